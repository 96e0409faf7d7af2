import type { MetricSeries } from '../../shared/contract';
import { AltarError } from '../../shared/errors';
import type { MetricRangeStore } from './cache/metric-range-store';

export interface MetricQuery {
  source: string;
  id: string;
  name: string;
  maxPoints?: number;
  xMin?: number;
  xMax?: number;
}

/**
 * getMetric for a plot: the points of a step range (all steps without one), downsampled to
 * maxPoints from the chunks of that range only. Throws NOT_FOUND for an unknown metric.
 */
export function queryMetric(ranges: MetricRangeStore, query: MetricQuery): MetricSeries {
  const { source, id, name, maxPoints, xMin, xMax } = query;
  const hasRange = xMin !== undefined || xMax !== undefined;
  const range = hasRange ? { xMin: xMin ?? -Infinity, xMax: xMax ?? Infinity } : null;
  if (range !== null && range.xMin > range.xMax) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `getMetric: xMin (${range.xMin}) must not be greater than xMax (${range.xMax}).`,
    );
  }
  const read = ranges.read(source, id, name, range, maxPoints ?? null);
  if (read === null) {
    throw new AltarError('NOT_FOUND', `Run "${id}" of "${source}" has no metric "${name}".`);
  }
  return {
    name,
    ...read.series,
    totalPoints: read.totalPoints,
    nonFinitePoints: read.nonFinitePoints,
    downsampled: read.downsampled,
    ...(range === null ? {} : { pointsInRange: read.pointsInRange }),
  };
}
