import type { BackupPhase, BackupProgress } from '../../../shared/backup-progress';

/** What every backup operation takes from its caller: where progress goes, and how to stop it. */
export interface BackupHooks {
  onProgress?: (progress: BackupProgress) => void;
  /** Stops between documents (or objects); what was written stays and the next run resumes. */
  signal?: AbortSignal;
}

/**
 * Counts one operation's bytes across its phases and reports progress in the shared shape.
 * Every report first checks the signal, so an abort takes effect at the next document batch.
 */
export class BackupMeter {
  bytesDone = 0;
  bytesTotal: number | null = null;

  constructor(private readonly hooks: BackupHooks = {}) {}

  get signal(): AbortSignal | undefined {
    return this.hooks.signal;
  }

  /** Throws the signal's reason when the caller aborted. */
  check(): void {
    this.hooks.signal?.throwIfAborted();
  }

  addBytes(bytes: number): void {
    this.bytesDone += bytes;
  }

  report(phase: BackupPhase, done: number, total: number | null, currentRun?: string): void {
    this.check();
    this.hooks.onProgress?.({
      phase,
      done,
      total,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      ...(currentRun === undefined ? {} : { currentRun }),
    });
  }
}
