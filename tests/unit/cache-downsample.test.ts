import { describe, expect, it } from 'vitest';
import { downsampleIndices, downsampleSeries } from '../../shared/downsample';

function series(values: number[]) {
  const n = values.length;
  return {
    steps: Float64Array.from({ length: n }, (_, i) => i),
    values: Float64Array.from(values),
    timestamps: Float64Array.from({ length: n }, (_, i) => 1_000 * i),
  };
}

/** Deterministic pseudo-random values (LCG), so a failure is reproducible. */
function noise(n: number, seed = 7): number[] {
  let state = seed;
  return Array.from({ length: n }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  });
}

/** Between two consecutive kept finite points there must be no NaN in the original. */
function expectGapsKept(values: ArrayLike<number>, kept: Int32Array): void {
  const bridged: string[] = [];
  for (let k = 0; k + 1 < kept.length; k++) {
    const a = kept[k]!;
    const b = kept[k + 1]!;
    if (Number.isNaN(values[a]) || Number.isNaN(values[b])) continue;
    for (let i = a + 1; i < b; i++)
      if (Number.isNaN(values[i])) bridged.push(`${a}->${b} over ${i}`);
  }
  expect(bridged).toEqual([]);
}

describe('downsampleIndices', () => {
  it('returns every point when they fit', () => {
    expect([...downsampleIndices([3, 1, 2], 3)]).toEqual([0, 1, 2]);
    expect([...downsampleIndices([], 10)]).toEqual([]);
  });

  it('never returns more points than asked, in ascending order', () => {
    const values = noise(10_007);
    for (const max of [2, 3, 4, 5, 7, 10, 99, 100, 1000, 4096]) {
      const kept = downsampleIndices(values, max);
      expect(kept.length).toBeLessThanOrEqual(max);
      for (let k = 1; k < kept.length; k++) expect(kept[k]!).toBeGreaterThan(kept[k - 1]!);
    }
  });

  it('uses most of the budget', () => {
    expect(downsampleIndices(noise(100_000), 1000).length).toBeGreaterThanOrEqual(990);
  });

  it('keeps the first and last point and the extremes', () => {
    const values = noise(50_000);
    values[12_345] = 99; // a spike
    values[40_001] = -42; // a dip
    const kept = [...downsampleIndices(values, 200)];
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(49_999);
    expect(kept).toContain(12_345);
    expect(kept).toContain(40_001);
  });

  it('keeps NaN gaps as gaps', () => {
    const values = noise(30_000);
    for (const i of [10, 11, 5000, 5002, 5004, 17_777, 29_998]) values[i] = NaN;
    for (let i = 20_000; i < 20_500; i++) values[i] = NaN;
    for (const max of [20, 100, 1000]) {
      const kept = downsampleIndices(values, max);
      expect(kept.length).toBeLessThanOrEqual(max);
      expectGapsKept(values, kept);
    }
  });

  it('keeps gaps when NaN points are dense', () => {
    const values = noise(10_000).map((v, i) => (i % 3 === 1 ? NaN : v));
    const kept = downsampleIndices(values, 300);
    expect(kept.length).toBeLessThanOrEqual(300);
    expectGapsKept(values, kept);
  });

  it('handles a series of NaN only, and Infinity as an extreme', () => {
    const nan = downsampleIndices(new Array<number>(1000).fill(NaN), 10);
    expect(nan.length).toBeLessThanOrEqual(10);
    const values = noise(1000);
    values[500] = Infinity;
    values[600] = -Infinity;
    const kept = [...downsampleIndices(values, 50)];
    expect(kept).toContain(500);
    expect(kept).toContain(600);
  });
});

describe('downsampleSeries', () => {
  it('picks the same points from steps, values and timestamps', () => {
    const input = series(noise(5000));
    const out = downsampleSeries(input, 100);
    expect(out.values.length).toBe(out.steps.length);
    expect(out.timestamps.length).toBe(out.steps.length);
    for (let k = 0; k < out.steps.length; k++) {
      const i = out.steps[k]!;
      expect(out.values[k]).toBe(input.values[i]);
      expect(out.timestamps[k]).toBe(input.timestamps[i]);
    }
  });
});
