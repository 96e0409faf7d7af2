import type { CacheStore, WriteRunResult } from '../cache/cache-store';
import { METRIC_CHUNK_POINTS } from '../cache/float64-blob';
import type { ParsedRun, RunDirEntry } from '../folder/parsed-run';

export interface RunWriteBatchOptions {
  store: CacheStore;
  source: string;
  /** Runs written in one transaction at most. */
  maxRuns: number;
  /** A batch holding this many metric points is written at once (memory; big runs alone). */
  maxPoints?: number;
  /** The longest a read run waits to be written, so the window sees runs arrive. */
  maxWaitMs?: number;
  /** Runs inside the transaction after each run's rows are written (fault injection). */
  beforeCommitRun?: (runId: string) => void;
  /** True when the sync was asked to stop: runs not yet written are dropped, not written. */
  stopped: () => boolean;
  /** Called for each run once the transaction holding it has committed. */
  onWritten: (run: ParsedRun, written: WriteRunResult) => void;
}

interface PendingRun {
  entry: RunDirEntry;
  run: ParsedRun;
}

/** A run with more points than one chunk costs far more than its commit: it is written alone. */
const MAX_POINTS = METRIC_CHUNK_POINTS;
const MAX_WAIT_MS = 100;

/**
 * Writes the runs of a sync many to a transaction (group commit): one commit per run wrote the
 * hot index pages of every table into the WAL again for each run, and checkpointed them as
 * often. A batch whose write fails is rolled back and written again one run per transaction,
 * so a bad run fails alone and the good ones of its batch are kept. A crash loses at most the
 * batch being written, never part of a run, and the next sync reads those runs again (their
 * fingerprints were not stored). Writes are synchronous: no transaction stays open across the
 * event loop, where the window's calls would see or join it.
 */
export class RunWriteBatch {
  private pending: PendingRun[] = [];
  private points = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failure: { error: unknown } | null = null;

  constructor(private readonly options: RunWriteBatchOptions) {}

  /**
   * Queues a read run; writes the batch once full. Throws the sync's first write failure (a
   * queued run is still written by the last flush, as a run read before a failure was).
   */
  add(entry: RunDirEntry, run: ParsedRun): void {
    this.pending.push({ entry, run });
    for (const metric of run.metrics) this.points += metric.values.length;
    if (
      this.pending.length >= this.options.maxRuns ||
      this.points >= (this.options.maxPoints ?? MAX_POINTS)
    ) {
      this.flush();
      return;
    }
    this.throwIfFailed();
    this.timer ??= setTimeout(() => {
      try {
        this.flush();
      } catch {
        // Kept in `failure`: the next add or the last flush throws it.
      }
    }, this.options.maxWaitMs ?? MAX_WAIT_MS);
  }

  /** Writes what is queued (nothing once stopped), then throws the first failure, if any. */
  flush(): void {
    const batch = this.takePending();
    if (batch.length > 0 && !this.options.stopped()) this.write(batch);
    this.throwIfFailed();
  }

  /** Forgets the queued runs (the sync stopped); the next sync reads them again. */
  drop(): void {
    this.takePending();
  }

  private write(batch: PendingRun[]): void {
    const { store, source, beforeCommitRun } = this.options;
    let written: [ParsedRun, WriteRunResult][] = [];
    let firstError: { error: unknown } | null = null;
    try {
      const results = store.writeRuns(source, batch, beforeCommitRun);
      written = batch.map(({ run }, i) => [run, results[i] as WriteRunResult]);
    } catch (error) {
      if (batch.length === 1) firstError = { error };
      // The batch was rolled back: each run again in its own transaction, so that a run whose
      // write fails fails alone and the good ones of its batch are kept.
      for (const { entry, run } of batch.length === 1 ? [] : batch) {
        try {
          written.push([
            run,
            store.writeRun(source, entry, run, () => beforeCommitRun?.(entry.id)),
          ]);
        } catch (again) {
          firstError ??= { error: again };
        }
      }
    }
    for (const [run, result] of written) this.options.onWritten(run, result);
    this.failure ??= firstError;
  }

  private takePending(): PendingRun[] {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.points = 0;
    return batch;
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure.error;
  }
}
