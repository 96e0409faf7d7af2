// downsampleSeries draws the points downsampleIndices keeps: each kept point with its own step,
// value and time, never another point's.
import { describe, expect, it } from 'vitest';
import { downsampleIndices, downsampleSeries } from '../../shared/downsample';

describe('downsampleSeries', () => {
  it('takes step, value and time of exactly the kept points', () => {
    const n = 3000;
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 7) + (i % 11) / 10);
    values[1234] = NaN;
    const series = {
      steps: Float64Array.from({ length: n }, (_, i) => 100 + 10 * i),
      values,
      timestamps: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + 1000 * i),
    };
    const kept = [...downsampleIndices(values, 60)];
    const out = downsampleSeries(series, 60);
    expect([...out.steps]).toEqual(kept.map((i) => 100 + 10 * i));
    expect([...out.timestamps]).toEqual(kept.map((i) => 1_700_000_000_000 + 1000 * i));
    expect([...out.values]).toEqual(kept.map((i) => values[i]));
    expect(out.steps[0]).toBe(100);
    expect(out.steps.at(-1)).toBe(100 + 10 * (n - 1));
  });
});
