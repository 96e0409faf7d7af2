import { z } from 'zod';
import { SendProgressSchema } from './contract/send-methods';
import { BackupProgressEventSchema } from './contract/backup-methods';

/** Events pushed from the core to every door (IPC: webContents.send, HTTP: server-sent events). */
export const SyncProgressSchema = z.object({
  source: z.string(),
  phase: z.enum(['scanning', 'reading', 'done', 'failed']),
  done: z.number().int(),
  total: z.number().int(),
  /** The run being read, when phase is "reading". */
  runId: z.string().nullable(),
  message: z.string().nullable(),
  /** Metric points written so far by this sync. */
  points: z.number().int().optional(),
  /** Bytes read from the source so far (documents as stored, approximately). */
  bytes: z.number().int().optional(),
  /** Seconds left at the current pace; null while unknown. */
  etaSeconds: z.number().nullable().optional(),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;

/** Progress of makeArtifactsAvailableOffline, one event per artifact and a final one. */
export const ArtifactDownloadProgressSchema = z.object({
  source: z.string(),
  phase: z.enum(['downloading', 'done', 'failed']),
  /** Artifacts handled so far (downloaded, already cached or skipped) of `total`. */
  done: z.number().int(),
  total: z.number().int(),
  /** Bytes fetched so far of the bytes still to fetch when the download started. */
  bytes: z.number().int(),
  totalBytes: z.number().int(),
  message: z.string().nullable(),
});
export type ArtifactDownloadProgress = z.infer<typeof ArtifactDownloadProgressSchema>;

/** Progress of exportRuns / exportMetrics (issue 6); operationId is the caller's, or null. */
export const ExportProgressSchema = z.object({
  operationId: z.string().nullable(),
  phase: z.enum(['writing', 'done', 'failed']),
  /** Runs written so far of `total`. */
  done: z.number().int(),
  total: z.number().int(),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

export const events = {
  syncProgress: SyncProgressSchema,
  artifactDownloadProgress: ArtifactDownloadProgressSchema,
  /** runsUnchanged: a sync that wrote no run (the sources' state changed, not their runs). */
  sourcesChanged: z.object({ runsUnchanged: z.boolean().optional() }),
  exportProgress: ExportProgressSchema,
  /** Cached runs of a source changed (a sync or a live refresh); runIds null: any of them. */
  runsChanged: z.object({ source: z.string(), runIds: z.array(z.string()).nullable() }),
  /**
   * A cached run left RUNNING (completed, failed, interrupted) in a sync or live refresh. The
   * desktop app turns it into a notification when the source asks for them.
   */
  runFinished: z.object({
    source: z.string(),
    runId: z.string(),
    status: z.string(),
    experiment: z.string().nullable(),
  }),
  sendProgress: SendProgressSchema,
  backupProgress: BackupProgressEventSchema,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const eventNames = Object.keys(events) as EventName[];

export type Unsubscribe = () => void;

/** Subscribing to events: implemented by the core's event bus and by every client. */
export interface EventSource {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
}
