import type { MetricSeries } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import type { CacheStore } from '../cache/cache-store';
import { countNonFinite } from '../cache/metric-non-finite';
import type { MetricRangeStore } from '../cache/metric-range-store';
import { queryMetric } from '../metric-query';
import type { MetricQuery } from '../metric-query';

/**
 * One metric of a run as getMetric answers it, for getMetric and for each trace of getMetrics
 * alike (so a batch gives exactly what the single calls give). The run is known to exist.
 * With a point budget or a step range, only the chunks needed are read (metric-query.ts);
 * without either, every point, as stored. Throws NOT_FOUND for a metric the run lacks and
 * INVALID_ARGUMENT for xMin above xMax.
 */
export function readMetricSeries(
  store: CacheStore,
  ranges: MetricRangeStore,
  query: MetricQuery,
): MetricSeries {
  const { source, id, name, maxPoints, xMin, xMax } = query;
  if (maxPoints !== undefined || xMin !== undefined || xMax !== undefined) {
    return queryMetric(ranges, query);
  }
  const points = store.getMetricPoints(source, id, name);
  if (points === null) {
    throw new AltarError('NOT_FOUND', `Run "${id}" of "${source}" has no metric "${name}".`);
  }
  return {
    name,
    steps: points.steps,
    values: points.values,
    timestamps: points.timestamps,
    totalPoints: points.count,
    nonFinitePoints: countNonFinite(points.values),
    downsampled: false,
  };
}
