import type { z } from 'zod';
import type { metricsMethods, MetricBatch } from '../../../shared/contract/metrics-methods';
import { isAltarError } from '../../../shared/errors';
import { packMetricBatch } from '../../../shared/metric-batch';
import type { MetricBatchEntry } from '../../../shared/metric-batch';
import type { CacheStore } from '../cache/cache-store';
import type { MetricRangeStore } from '../cache/metric-range-store';
import { readMetricSeries } from './read-metric-series';

type GetMetricsArgs = z.output<(typeof metricsMethods)['getMetrics']['args']>;

export interface MetricsServiceDeps {
  store: CacheStore;
  ranges: MetricRangeStore;
  /** The core's argument check (the contract's schema; refuses calls once the core is closed). */
  parse: (method: 'getMetrics', args: unknown) => GetMetricsArgs;
  /** Throws the core's NOT_FOUND for an unknown source or run, as getMetric does. */
  requireRun: (source: string, id: string) => unknown;
}

/**
 * getMetrics: every trace of a plot in one call (shared/contract/metrics-methods.ts). Each
 * trace is read exactly as getMetric reads it; a trace that getMetric would refuse (unknown
 * run or metric, xMin above xMax) carries that error in its place and the others still answer.
 * Arguments outside the contract refuse the whole batch.
 */
export function createMetricsService(deps: MetricsServiceDeps) {
  const { store, ranges, parse, requireRun } = deps;
  return {
    async getMetrics(args: unknown): Promise<MetricBatch> {
      const { traces, maxPoints } = parse('getMetrics', args);
      // A plot asks several metrics of each run: look each run up once.
      const runChecks = new Map<string, unknown>();
      const entries = traces.map((trace): MetricBatchEntry => {
        try {
          const runKey = `${trace.source}\u0000${trace.id}`;
          if (!runChecks.has(runKey)) {
            try {
              requireRun(trace.source, trace.id);
              runChecks.set(runKey, null);
            } catch (error) {
              runChecks.set(runKey, error);
            }
          }
          const refused = runChecks.get(runKey);
          if (refused !== null) throw refused;
          return readMetricSeries(store, ranges, { ...trace, maxPoints });
        } catch (error) {
          // A bug is not a trace's answer: it fails the call as it would fail getMetric.
          if (!isAltarError(error)) throw error;
          return { error: error.toPayload() };
        }
      });
      return packMetricBatch(entries);
    },
  };
}
