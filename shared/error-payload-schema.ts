import { z } from 'zod';
import { errorCodes, type ErrorPayload } from './errors';

/** The schemas of shared/errors.ts's shapes, for the contract (kept apart: they need zod). */
export const ErrorCodeSchema = z.enum(errorCodes);

export const ErrorPayloadSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Set when a folder given as a source is one run's folder: the folder of runs holding it. */
  parentFolder: z.string().optional(),
});

// The hand-written type and the schema describe one shape: the build fails if they part.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const samePayload: Same<z.infer<typeof ErrorPayloadSchema>, ErrorPayload> = true;
void samePayload;
