/**
 * getRuns (issue 13): the detail of several runs in one call. A plot of 20 runs asked one
 * getRun per run before its first points, and each paid its own request; the batch is one.
 * Each run answers what getRun gives for it, or getRun's error in its place (an unknown run
 * or source does not fail the others).
 */
import { z } from 'zod';
import { ErrorPayloadSchema } from '../error-payload-schema';
import { RunDetailSchema, RunKeySchema } from './run-schemas';

/** A plot of many runs, or compare: far more is not something a window shows at once. */
export const MAX_RUNS_PER_BATCH = 1000;

/** A run that could not be read: getRun's error for it. */
export const RunBatchFailureSchema = z.object({ error: ErrorPayloadSchema }).strict();

export const runsMethods = {
  getRuns: {
    args: z
      .object({ runs: z.array(RunKeySchema.strict()).min(1).max(MAX_RUNS_PER_BATCH) })
      .strict(),
    result: z.object({
      /** One entry per asked run, in the order asked. */
      runs: z.array(z.union([RunDetailSchema, RunBatchFailureSchema])),
    }),
  },
} as const;
