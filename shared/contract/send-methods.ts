/**
 * The contract slice of sending runs (issue 16): folders of lab results become Sacred runs in
 * a writable source, as the old AltarSender did (../shared/ALTAR_TOOLS.md §1). A preview reads
 * every input and shows the documents that would be written, then a send writes them with
 * progress events (`sendProgress`) and can be cancelled. Spread into `methods` in
 * shared/contract.ts.
 *
 * This file imports nothing from shared/contract.ts: that file imports this one, and a cycle
 * would leave its schemas undefined while this one is evaluated.
 */
import { z } from 'zod';
import { SourceNameSchema } from './source-name';

const sourceName = SourceNameSchema;
/** A file or glob inside each folder (relative; "/" separated). */
const inFolder = z.string().min(1).max(1024);
const separator = z.string().min(1).max(4).optional();

/** How each folder's files map to the run, once for all folders. */
export const SendMappingSchema = z
  .object({
    config: z
      .object({
        /** A JSON, YAML, CSV or xlsx file (key, value a row for tables). */
        file: inFolder.optional(),
        /** Parse the folder's name: `$var$` any text, `$var%N$` N characters. */
        fromName: z.string().min(1).max(1024).optional(),
        /** Nested keys joined with "_" (the old sender's Flatten). */
        flatten: z.boolean().optional(),
        /** A CSV/xlsx config's first row is a header, not a pair. */
        header: z.boolean().optional(),
        separator,
      })
      .strict()
      .optional(),
    metrics: z
      .object({
        file: inFolder,
        xAxis: z.string().min(1).max(256).optional(),
        columns: z.array(z.string().min(1).max(256)).max(1000).optional(),
        /** Default true: the first row names the columns. */
        header: z.boolean().optional(),
        separator,
      })
      .strict()
      .optional(),
    results: z.object({ file: inFolder }).strict().optional(),
    /** Globs of files stored as artifacts (GridFS, or copied into a folder run). */
    artifacts: z.array(inFolder).max(100).optional(),
    /** Globs of raw data files, uploaded to MinIO/S3 or copied to a local root. */
    rawData: z.array(inFolder).max(100).optional(),
    rawTo: z.enum(['minio', 'local']).optional(),
    /** MinIO: the bucket (it must exist); the server is the source's storage profile. */
    bucket: z.string().min(3).max(63).optional(),
    /** Local: the root folder; default the first local data folder of the storage profile. */
    localRoot: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type SendMapping = z.infer<typeof SendMappingSchema>;

const sendArgs = {
  source: sourceName,
  /** Absolute paths of the folders to send, one run each. */
  folders: z.array(z.string().min(1).max(4096)).min(1).max(1000),
  mapping: SendMappingSchema,
  /** Send folders that were sent already (same HASH7 and files) again, as new runs. */
  again: z.boolean().optional(),
  /**
   * Resume folders whose earlier send FAILED part-way: the SAME run (same id) is completed,
   * storing only the files that have not arrived (see `failedEarlier`), then marked COMPLETED.
   * With it, a folder sent already (COMPLETED) is skipped (`notSent`, why 'sent-already') and a
   * folder never sent is sent. Without it (and without `again`) a folder whose earlier send
   * FAILED is not sent (why 'failed-earlier').
   */
  resume: z.boolean().optional(),
};

export const SendFileRoleSchema = z.enum(['config', 'metrics', 'results', 'artifact', 'raw']);

/** One folder as it would be sent: its files, problems, and the run document it gives. */
export const SendPreviewFolderSchema = z.object({
  folder: z.string(),
  /** The folder's name: experiment.name and config.experiment. */
  name: z.string(),
  /** `HASH7-YYYYMMDDTHHMMSS` that stored names start with. */
  prefix: z.string(),
  files: z.array(
    z.object({
      role: SendFileRoleSchema,
      /** Relative to the folder. */
      path: z.string(),
      /** The stored name (artifacts and raw data), else null. */
      storedName: z.string().nullable(),
      size: z.number().int(),
    }),
  ),
  /** Why this folder cannot be sent as mapped (a bad file, nothing matched a glob). */
  problems: z.array(z.string()),
  /** The id of a run that already holds this folder (same HASH7 and files), or null. */
  duplicateOf: z.string().nullable(),
  /**
   * An earlier send of this folder that FAILED part-way ("failed earlier, 3 of 5 files
   * arrived"), which `resume` completes; absent when there is none. `arrived` counts the
   * planned artifacts and raw files the run records as stored; a resume checks each of them
   * (size and MD5) before trusting it.
   */
  failedEarlier: z
    .object({
      /** The FAILED run's id: a resume completes this run. */
      id: z.string(),
      arrived: z.number().int(),
      total: z.number().int(),
      /** Its fail_trace, one line. */
      reason: z.string().nullable(),
    })
    .optional(),
  /** The run document that would be written (`_id` null until sent), as JSON. */
  document: z.record(z.string(), z.json()),
});
export type SendPreviewFolder = z.infer<typeof SendPreviewFolderSchema>;

export const SentRunSchema = z.object({
  folder: z.string(),
  /** The new run's id in the source. */
  id: z.string(),
  status: z.enum(['COMPLETED', 'FAILED']),
  /** Why the run is FAILED (files that could not be stored), else null. */
  reason: z.string().nullable(),
  /** True when this completed (or tried to complete) an earlier FAILED run of the folder. */
  resumed: z.boolean().optional(),
  /** Resumed: files (artifacts and raw) found stored already, byte for byte, and not sent again. */
  alreadyArrived: z.number().int().optional(),
});
export type SentRun = z.infer<typeof SentRunSchema>;

/** Why a folder given to sendRuns was not sent by this call. */
export const NotSentWhySchema = z.enum([
  /** A bad or missing input file, or a glob that matched nothing (see the preview). */
  'problems',
  /** A COMPLETED run holds it already (`runId`): send again with `again`. */
  'sent-already',
  /** Its earlier send FAILED (`runId`): `resume` completes that run, `again` sends a new one. */
  'failed-earlier',
  /** Its send stopped on an error before a run existed (the server went away…). */
  'error',
  /** The batch stopped (an error in an earlier folder) before reaching it. */
  'not-attempted',
]);
export type NotSentWhy = z.infer<typeof NotSentWhySchema>;

export const NotSentFolderSchema = z.object({
  folder: z.string(),
  why: NotSentWhySchema,
  message: z.string(),
  /** The run it refers to ('sent-already', 'failed-earlier'), else null. */
  runId: z.string().nullable(),
});
export type NotSentFolder = z.infer<typeof NotSentFolderSchema>;

/** Progress of sendRuns: one event per file step and per folder. */
export const SendProgressSchema = z.object({
  operationId: z.string().nullable(),
  phase: z.enum(['uploading', 'writing', 'folder-done', 'done', 'failed', 'cancelled']),
  folder: z.string().nullable(),
  /** The file being stored (relative to its folder), or null. */
  file: z.string().nullable(),
  /** Bytes of the current file sent so far, of its size. */
  bytes: z.number().int(),
  totalBytes: z.number().int(),
  foldersDone: z.number().int(),
  foldersTotal: z.number().int(),
  /**
   * 'folder-done' only: how that folder ended (a run COMPLETED or FAILED, or NOT_SENT: refused
   * or stopped before a run existed). Other phases: absent.
   */
  folderStatus: z.enum(['COMPLETED', 'FAILED', 'NOT_SENT']).optional(),
  /** 'uploading'/'writing' of a resume: the file had arrived already and is not sent again. */
  arrived: z.boolean().optional(),
});
export type SendProgress = z.infer<typeof SendProgressSchema>;

export const sendMethods = {
  /** Reads every input and returns what sendRuns would write; writes nothing. */
  previewSend: {
    args: z.object(sendArgs).strict(),
    result: z.object({ folders: z.array(SendPreviewFolderSchema) }),
  },
  /**
   * Sends each folder as a run, folder by folder: a folder that cannot be sent (a problem, sent
   * already, failed earlier without `resume`) is listed in `notSent` and the others are sent.
   * Rejects, writing nothing, when no folder can be sent at all (INVALID_ARGUMENT for problems,
   * ALREADY_EXISTS for sent or failed earlier), or when the first folder's send fails before
   * its run exists (the server cannot be reached). A folder that fails part-way is left FAILED
   * with what arrived (`resume` completes it) and the next folder is sent; an error that leaves
   * no run stops the batch (the rest: `notSent`, why 'not-attempted'). A cancelled send removes
   * the new run it was writing (a cancelled resume leaves the earlier run FAILED, as it was).
   */
  sendRuns: {
    args: z.object({ ...sendArgs, operationId: z.string().min(1).max(128).optional() }).strict(),
    result: z.object({
      runs: z.array(SentRunSchema),
      /** Folders this call did not send, with why; absent or empty when all were sent. */
      notSent: z.array(NotSentFolderSchema).optional(),
    }),
  },
  cancelSend: {
    args: z.object({ operationId: z.string().min(1).max(128) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
} as const;
