/**
 * Progress of a backup, restore or copy (issue 17), as the backup service reports it to its
 * callers (the CLI prints it, the UI turns it into events). In shared/ so that the contract slice
 * of the backup methods and the renderer use the one shape the core emits.
 */
import { z } from 'zod';

export const BackupPhaseSchema = z.enum([
  /** Reading the source and deciding where each run goes; nothing written yet. */
  'planning',
  'metrics',
  /** GridFS content (artifacts, source files): chunks and file documents. */
  'files',
  'runs',
  /** Omniboard's settings and columns. */
  'omniboard',
  /** Raw data objects (MinIO/S3) to or from `DIR/raw_data/<bucket>/<key>`. */
  'raw-data',
  'done',
]);
export type BackupPhase = z.infer<typeof BackupPhaseSchema>;

export const BackupProgressSchema = z.object({
  phase: BackupPhaseSchema,
  /** Items of this phase done so far (documents, chunks, runs, objects) of `total`. */
  done: z.number().int(),
  /** Items this phase will handle; null while not known (a collection not counted). */
  total: z.number().int().nullable(),
  /** Bytes written so far by the whole operation (documents as BSON, file and object content). */
  bytesDone: z.number().int(),
  /** Bytes the whole operation will write; null while not known. */
  bytesTotal: z.number().int().nullable(),
  /** The run being written, as the target will know it, in the `runs` phase. */
  currentRun: z.string().optional(),
});
export type BackupProgress = z.infer<typeof BackupProgressSchema>;
