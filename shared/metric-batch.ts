/**
 * getMetrics' answer (shared/contract/metrics-methods.ts) to and from one MetricSeries per
 * trace. The core packs every trace's steps, values and timestamps into one Float64Array; the
 * renderer reads them back as views of that array (no copy). Kept apart from the schema file
 * so the renderer does not bundle zod to read a plot's points.
 */
import type { MetricSeries } from './contract';
import type { MetricBatch } from './contract/metrics-methods';
import type { ErrorPayload } from './errors';

export type MetricBatchEntry = MetricSeries | { error: ErrorPayload };

export function packMetricBatch(entries: readonly MetricBatchEntry[]): MetricBatch {
  let total = 0;
  for (const entry of entries) if (!('error' in entry)) total += 3 * entry.values.length;
  const points = new Float64Array(total);
  let at = 0;
  const traces = entries.map((entry) => {
    if ('error' in entry) return { error: entry.error };
    const length = entry.values.length;
    points.set(entry.steps, at);
    points.set(entry.values, at + length);
    points.set(entry.timestamps, at + 2 * length);
    const offset = at;
    at += 3 * length;
    return {
      name: entry.name,
      offset,
      length,
      totalPoints: entry.totalPoints,
      ...(entry.nonFinitePoints === undefined ? {} : { nonFinitePoints: entry.nonFinitePoints }),
      downsampled: entry.downsampled,
      ...(entry.pointsInRange === undefined ? {} : { pointsInRange: entry.pointsInRange }),
    };
  });
  return { points, traces };
}

/** One entry per asked trace, in the order asked: its series, or why it could not be read. */
export function unpackMetricBatch(batch: MetricBatch): MetricBatchEntry[] {
  const { points } = batch;
  return batch.traces.map((trace) => {
    if ('error' in trace) return { error: trace.error };
    const { offset, length } = trace;
    const view = (part: number): Float64Array<ArrayBuffer> =>
      points.subarray(offset + part * length, offset + (part + 1) * length);
    return {
      name: trace.name,
      steps: view(0),
      values: view(1),
      timestamps: view(2),
      totalPoints: trace.totalPoints,
      ...(trace.nonFinitePoints === undefined ? {} : { nonFinitePoints: trace.nonFinitePoints }),
      downsampled: trace.downsampled,
      ...(trace.pointsInRange === undefined ? {} : { pointsInRange: trace.pointsInRange }),
    };
  });
}
