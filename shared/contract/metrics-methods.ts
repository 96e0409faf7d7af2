/**
 * Metric points for a whole plot in one call (issue 13): a plot of 20 runs asked one getMetric
 * per trace, and each answer paid its own request, argument check and JSON envelope. getMetrics
 * answers every trace of the plot at once, with all their points in ONE Float64Array (one
 * structured-clone buffer over IPC, one base64 string over HTTP: shared/wire-codec.ts).
 * shared/metric-batch.ts turns the answer back into one MetricSeries per trace.
 */
import { z } from 'zod';
import { SourceNameSchema } from './source-name';
import { ErrorPayloadSchema } from '../error-payload-schema';

// RunKeySchema's id rule, repeated: shared/contract.ts spreads this file's methods, so
// importing it back would be a cycle (the source name comes from ./source-name).
const sourceName = SourceNameSchema;

/** One trace of a plot: a run's metric, optionally only the steps in [xMin, xMax]. */
export const MetricTraceQuerySchema = z
  .object({
    source: sourceName,
    id: z.string().min(1).max(512),
    name: z.string().min(1).max(1024),
    /** Only points whose step lies in [xMin, xMax] (a zoomed plot); omit for all steps. */
    xMin: z.number().optional(),
    xMax: z.number().optional(),
  })
  .strict();
export type MetricTraceQuery = z.infer<typeof MetricTraceQuerySchema>;

/**
 * A trace that answered: what getMetric gives for it, its arrays as a slice of the batch's
 * `points`: steps at [offset, offset + length), values right after, then timestamps.
 */
export const MetricBatchSeriesSchema = z
  .object({
    name: z.string(),
    offset: z.number().int().min(0),
    length: z.number().int().min(0),
    totalPoints: z.number().int(),
    nonFinitePoints: z.number().int().optional(),
    downsampled: z.boolean(),
    pointsInRange: z.number().int().optional(),
  })
  .strict();

/** A trace that could not be read (unknown run or metric, xMin above xMax): getMetric's error. */
export const MetricBatchFailureSchema = z.object({ error: ErrorPayloadSchema }).strict();

export const MetricBatchSchema = z
  .object({
    /** The points of every trace that answered, back to back (see MetricBatchSeriesSchema). */
    points: z.instanceof(Float64Array),
    /** One entry per asked trace, in the order asked. */
    traces: z.array(z.union([MetricBatchSeriesSchema, MetricBatchFailureSchema])),
  })
  .refine(
    (batch) =>
      batch.traces.every(
        (trace) => !('offset' in trace) || trace.offset + 3 * trace.length <= batch.points.length,
      ),
    { message: 'a trace points outside the batch', path: ['traces'] },
  );
export type MetricBatch = z.infer<typeof MetricBatchSchema>;

/** A plot of 20 runs × 10 metrics is 200 traces; far more is not a plot. */
export const MAX_TRACES_PER_BATCH = 1000;

export const metricsMethods = {
  getMetrics: {
    args: z
      .object({
        traces: z.array(MetricTraceQuerySchema).min(1).max(MAX_TRACES_PER_BATCH),
        /** Each trace downsampled to about this many points (as getMetric); omit for all. */
        maxPoints: z.number().int().min(2).max(10_000_000).optional(),
      })
      .strict(),
    result: MetricBatchSchema,
  },
} as const;
