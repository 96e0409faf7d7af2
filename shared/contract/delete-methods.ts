/**
 * Deleting runs (issue 15): a preview for the confirmation, the delete itself, and the trash
 * of folder sources. Spread into `methods` in shared/contract.ts. This file imports nothing
 * from contract.ts (which imports it), so its few shared shapes are restated here.
 */
import { z } from 'zod';
import { SourceNameSchema } from './source-name';

const sourceName = SourceNameSchema;
const runId = z.string().min(1).max(512);
const runIds = z.array(runId).min(1).max(10_000);

/**
 * What the user was shown of a run: a delete of a run whose status or heartbeat differs on the
 * server (or on disk) by then is refused with CONFLICT and asked again.
 */
export const RunStampSchema = z.object({
  id: runId,
  status: z.string(),
  heartbeat: z.string().nullable(),
});
export type RunStamp = z.infer<typeof RunStampSchema>;

export const DeletePreviewSchema = z.object({
  source: z.string(),
  kind: z.enum(['folder', 'mongo']),
  /** `delete`: MongoDB documents are removed; `trash`: run folders move to `.altar-trash`. */
  action: z.enum(['delete', 'trash']),
  /** The runs as cached now; pass them back as `expected` to deleteRuns. */
  runs: z.array(RunStampSchema.extend({ experiment: z.string().nullable() })),
  /** Asked ids the cache does not know (nothing is done about them). */
  missing: z.array(z.string()),
  metricSeries: z.number().int(),
  metricPoints: z.number().int(),
  /** Artifact files (GridFS files, or the artifacts of the moved folders). */
  artifactFiles: z.number().int(),
  /**
   * MongoDB: GridFS source files referenced by these runs only (deleted) and by other runs
   * too (kept); null when the server could not be asked. Folder sources: null.
   */
  sourceFiles: z.number().int().nullable(),
  sharedSourceFilesKept: z.number().int().nullable(),
  /** Runs with raw data (MinIO or local files): never deleted by the app. */
  runsWithRawData: z.number().int(),
  /** Null when the source accepts writes now; else why not (read-only, offline). */
  refusal: z.string().nullable(),
  /** The confirmation's text: what goes, what stays. */
  message: z.string(),
});
export type DeletePreview = z.infer<typeof DeletePreviewSchema>;

export const TrashEntrySchema = z.object({
  /** The folder's name inside `.altar-trash` (`<id>-<time>`): what restoreRun takes. */
  trashId: z.string(),
  runId: z.string(),
  /** ISO time of the delete, from the folder's name; null when it cannot be read. */
  deletedAt: z.string().nullable(),
  /** False when a run of the same id exists again: restoring would be refused. */
  idFree: z.boolean(),
});
export type TrashEntry = z.infer<typeof TrashEntrySchema>;

export const deleteMethods = {
  previewDeleteRuns: {
    args: z.object({ source: sourceName, ids: runIds }).strict(),
    result: DeletePreviewSchema,
  },
  /**
   * Deletes runs (MongoDB) or moves their folders to the trash (folder sources); the cache drops
   * them at once. With `expected`, a run that changed since is refused (CONFLICT) and nothing
   * is deleted; without it (the CLI's --yes), no such check.
   */
  deleteRuns: {
    args: z
      .object({
        source: sourceName,
        ids: runIds,
        expected: z.array(RunStampSchema).max(10_000).optional(),
      })
      .strict(),
    result: z.object({
      deleted: z.array(z.string()),
      /** Folder sources: where each run folder went (trash ids). */
      trashed: z.array(z.object({ id: z.string(), trashId: z.string() })),
      message: z.string(),
    }),
  },
  listTrash: {
    args: z.object({ source: sourceName }).strict(),
    result: z.object({ entries: z.array(TrashEntrySchema) }),
  },
  /** Moves a trashed run folder back; ALREADY_EXISTS when its id is taken. */
  restoreRun: {
    args: z.object({ source: sourceName, trashId: z.string().min(1).max(600) }).strict(),
    result: z.object({ id: z.string() }),
  },
} as const;
