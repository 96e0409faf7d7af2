import type { ParsedRun, RunDirEntry } from './parsed-run';
import type { RunReaderWorker } from './run-reader-worker';

/**
 * The read workers of one sync. Each read goes to the live worker with the fewest reads
 * pending, so a worker busy with a big run does not hold up the runs behind it. A read
 * rejects when no worker is left alive (the sync then reads that run on its own thread).
 */
export class RunReaderPool {
  private constructor(private readonly workers: readonly RunReaderWorker[]) {}

  /** A pool of the workers `start` gave (it may give null); null when it gave none. */
  static start(count: number, start: () => RunReaderWorker | null): RunReaderPool | null {
    const workers: RunReaderWorker[] = [];
    for (let i = 0; i < count; i++) {
      const worker = start();
      if (worker !== null) workers.push(worker);
    }
    return workers.length === 0 ? null : new RunReaderPool(workers);
  }

  /** True once the sync closed it: reads still pending then have nobody to answer. */
  get closed(): boolean {
    return this.workers.some((worker) => worker.closed);
  }

  read(folder: string, entry: RunDirEntry): Promise<ParsedRun | null> {
    let best: RunReaderWorker | null = null;
    for (const worker of this.workers) {
      if (worker.failed) continue;
      if (best === null || worker.pendingReads < best.pendingReads) best = worker;
    }
    // Every worker failed: the first one's read rejects with why.
    return (best ?? (this.workers[0] as RunReaderWorker)).read(folder, entry);
  }

  close(): void {
    for (const worker of this.workers) worker.close();
  }
}
