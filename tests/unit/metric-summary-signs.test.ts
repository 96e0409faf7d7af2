// The min and max the run table shows for a metric, whatever the sign of its points: a loss
// that stays positive has a minimum, an accuracy delta that stays negative has a maximum.
import { describe, expect, it } from 'vitest';
import { summarizeMetric } from '../../main/core/cache/metric-summary';

/** The plain reading: sort the points that are numbers, take both ends. */
function naiveMinMax(values: number[]): { min: number | null; max: number | null } {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return { min: sorted[0] ?? null, max: sorted.at(-1) ?? null };
}

describe('summarizeMetric min and max', () => {
  it.each([
    ['all positive', [0.9, 0.5, 0.3, 0.7]],
    ['all negative', [-3, -1, -2]],
    ['one point', [42]],
    ['positive after NaN', [NaN, 5, 7]],
  ])('%s: min and max are the smallest and largest point', (_name, values) => {
    expect(summarizeMetric(values)).toMatchObject(naiveMinMax(values));
  });
});
