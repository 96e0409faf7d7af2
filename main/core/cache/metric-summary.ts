/** What the metrics table keeps about each metric so that listing never touches the points. */
export interface MetricSummaryValues {
  count: number;
  /** NaN and ±Infinity kept as numbers here; the cache stores them as text (see sql-number). */
  first: number | null;
  last: number | null;
  /** Over finite and infinite points; NaN points are counted but never a minimum or maximum. */
  min: number | null;
  max: number | null;
  /** NaN and ±Infinity points: a plot cannot draw them, the mean leaves NaN out. */
  nonFinite: number;
}

export function summarizeMetric(values: ArrayLike<number>): MetricSummaryValues {
  const count = values.length;
  if (count === 0) return { count, first: null, last: null, min: null, max: null, nonFinite: 0 };
  let min: number | null = null;
  let max: number | null = null;
  let nonFinite = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) nonFinite++;
    if (Number.isNaN(v)) continue;
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  }
  return {
    count,
    first: values[0] as number,
    last: values[count - 1] as number,
    min,
    max,
    nonFinite,
  };
}
