/**
 * The contract slice of backup, restore and copy in the window (issue 17): the same work as the
 * CLI's `export`, `import` and `copy` (main/core/backup/), with sizes before starting, progress
 * events (`backupProgress`), cancel, and a summary that says what was written, what was left out
 * and which runs took a new id. Spread into `methods` in shared/contract.ts.
 *
 * This file imports nothing from shared/contract.ts: that file imports this one, and a cycle
 * would leave its schemas undefined while this one is evaluated.
 */
import { z } from 'zod';
import { BackupProgressSchema } from '../backup-progress';
import { SourceNameSchema } from './source-name';

/** An absolute folder path (POSIX or Windows), as typed or picked; the core checks it on disk. */
export const BackupFolderSchema = z
  .string()
  .min(1)
  .max(4096)
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  .refine((path) => !/[\u0000-\u001f]/u.test(path), 'must not contain control characters')
  .refine(
    (path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/u.test(path) || path.startsWith('\\\\'),
    'must be an absolute path',
  );

/** Which runs of a source: all (neither), those matching a filter, or these ids. */
const runChoice = {
  /** A filter of the run table's language (`status = COMPLETED`). */
  where: z.string().min(1).max(10_000).optional(),
  /** Run ids of the source (the run table's selection). */
  runIds: z.array(z.string().min(1).max(512)).min(1).max(100_000).optional(),
};
/** Lets cancelBackup stop the work; progress events carry it. */
const operationId = z.string().min(1).max(128).optional();

export const BackupEstimateSchema = z.object({
  runs: z.number().int(),
  /** Metric series and their points, as cached. */
  metrics: z.number().int(),
  metricPoints: z.number().int(),
  artifacts: z.number().int(),
  /** Sizes of the artifacts whose size is known (null sizes counted in `artifactsUnknownSize`). */
  artifactBytes: z.number().int(),
  artifactsUnknownSize: z.number().int(),
  /** Raw data files the runs name and their bytes, when asked for and known. */
  rawDataFiles: z.number().int(),
  rawDataBytes: z.number().int(),
  /** What the numbers leave out or may miss, one sentence each (the server is out of reach…). */
  notes: z.array(z.string()),
});
export type BackupEstimate = z.infer<typeof BackupEstimateSchema>;

/** What a backup folder holds, read before restoring it. */
export const BackupContentsSchema = z.object({
  /** The database folder that would be restored. */
  database: z.string(),
  runs: z.number().int(),
  /** Collections of Sacred and Omniboard found (runs, metrics, fs.files…). */
  collections: z.array(z.string()),
  /** Bytes of the whole folder on disk (gzip as written). */
  bytes: z.number().int(),
  /** Raw data objects saved under `raw_data/<bucket>/<key>` (export with raw data), and their bytes. */
  rawDataFiles: z.number().int(),
  rawDataBytes: z.number().int(),
  /** What would be left out (collections that are not Sacred's…), one sentence each. */
  notes: z.array(z.string()),
});
export type BackupContents = z.infer<typeof BackupContentsSchema>;

export const BackupSummarySchema = z.object({
  kind: z.enum(['export', 'import', 'copy']),
  /** Where it went: the backup folder, or the source written into. */
  target: z.string(),
  /** Runs written (export: runs in the dump; import/copy: runs added). */
  runsWritten: z.number().int(),
  /** Runs the target held already (an earlier restore or copy); nothing was added twice. */
  runsPresent: z.number().int(),
  metricsWritten: z.number().int(),
  filesWritten: z.number().int(),
  /** Export: each collection written with its documents and bytes. */
  collections: z.array(
    z.object({ name: z.string(), documents: z.number().int(), bytes: z.number().int() }),
  ),
  /** Runs whose id was taken in the target: old → new (also kept in each run's info). */
  renamed: z.array(z.object({ from: z.string(), to: z.string() })),
  /** Raw data objects written into the backup (export) or uploaded to the storage (import). */
  rawDataFiles: z.number().int(),
  /** What could not be included, one sentence each (offline: artifacts never opened…). */
  omitted: z.array(z.string()),
});
export type BackupSummary = z.infer<typeof BackupSummarySchema>;

/**
 * Progress of exportBackup / importBackup / copyRuns: the backup service's own progress
 * (shared/backup-progress.ts), the caller's operation id, and how the operation stands.
 */
export const BackupProgressEventSchema = BackupProgressSchema.extend({
  operationId: z.string().nullable(),
  /** `working` until the last event, which says how it ended. */
  state: z.enum(['working', 'done', 'failed', 'cancelled']),
});
export type BackupProgressEvent = z.infer<typeof BackupProgressEventSchema>;

export const backupMethods = {
  /** Sizes of a backup or copy before starting, from the cache (works offline). */
  estimateBackup: {
    args: z
      .object({ source: SourceNameSchema, ...runChoice, rawData: z.boolean().optional() })
      .strict(),
    result: BackupEstimateSchema,
  },
  /**
   * Writes a source's runs as a mongodump folder in `to` (which must not exist yet or be
   * empty). A cancelled or failed backup leaves no folder behind.
   */
  exportBackup: {
    args: z
      .object({
        source: SourceNameSchema,
        to: BackupFolderSchema,
        ...runChoice,
        gzip: z.boolean().optional(),
        rawData: z.boolean().optional(),
        operationId,
      })
      .strict(),
    result: BackupSummarySchema,
  },
  /** Reads what a backup folder holds (its database, runs, size) without restoring it. */
  inspectBackup: {
    args: z
      .object({ from: BackupFolderSchema, database: z.string().min(1).max(64).optional() })
      .strict(),
    result: BackupContentsSchema,
  },
  /** Restores a mongodump folder (ours or mongodump's) into a writable source. */
  importBackup: {
    args: z
      .object({
        from: BackupFolderSchema,
        to: SourceNameSchema,
        /** The dump's database folder when it holds several. */
        database: z.string().min(1).max(64).optional(),
        /** Upload the backup's raw data to the target's storage and point the runs at it. */
        rawData: z.boolean().optional(),
        /** The bucket it goes to; default: the bucket each object came from. */
        bucket: z.string().min(3).max(63).optional(),
        operationId,
      })
      .strict(),
    result: BackupSummarySchema,
  },
  /** Copies runs (all, a filter's, or these ids) into another writable source; idempotent. */
  copyRuns: {
    args: z
      .object({ from: SourceNameSchema, to: SourceNameSchema, ...runChoice, operationId })
      .strict(),
    result: BackupSummarySchema,
  },
  cancelBackup: {
    args: z.object({ operationId: z.string().min(1).max(128) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
} as const;
