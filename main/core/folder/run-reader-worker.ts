import type { Worker } from 'node:worker_threads';
import { startWorker, workerSource } from '../worker-source';
import type { WorkerSource } from '../worker-source';
import type { ParsedRun, RunDirEntry } from './parsed-run';
import { fromWireRun } from './run-wire';
import type { WireRun } from './run-wire';

/** What the read worker is started with: the same for every run of one sync. */
export interface ReadWorkerData {
  allowedFolders: string[];
  source: string;
}

/** One run directory to read. */
export interface ReadJob {
  id: number;
  folder: string;
  entry: RunDirEntry;
}

/** The worker's answer to one job: the run (null: not a run any more), or why it threw. */
export type ReadAnswer =
  | { id: number; run: WireRun | null; error?: undefined }
  | { id: number; error: string; run?: undefined };

/**
 * A worker thread that reads the run directories of one sync (read-run-worker.ts): the core's
 * thread only writes. Every read it cannot answer (the worker failed to start or died) rejects,
 * and the sync then reads that run on its own thread.
 */
export class RunReaderWorker {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (run: ParsedRun | null) => void; reject: (error: Error) => void }
  >();
  private failure: Error | null = null;
  private closedByUs = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (answer: ReadAnswer) => this.answer(answer));
    worker.on('error', (error: Error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the read worker ended (exit code ${code})`)));
  }

  /** A worker for this sync, or null when none can be started here (then read on this thread). */
  static start(
    data: ReadWorkerData,
    // Built: dist/folder-read-worker.mjs (build/build-main.mjs).
    source: WorkerSource | null = workerSource(
      'folder-read-worker.mjs',
      new URL('./read-run-worker.ts', import.meta.url),
    ),
  ): RunReaderWorker | null {
    if (source === null) return null;
    try {
      const worker = startWorker(source, { workerData: data });
      return new RunReaderWorker(worker);
    } catch {
      return null;
    }
  }

  /** True once the sync closed it: reads still pending then have nobody to answer. */
  get closed(): boolean {
    return this.closedByUs;
  }

  /** Reads asked for and not answered yet. */
  get pendingReads(): number {
    return this.pending.size;
  }

  /** True once the worker failed or ended: its reads reject from then on. */
  get failed(): boolean {
    return this.failure !== null;
  }

  read(folder: string, entry: RunDirEntry): Promise<ParsedRun | null> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, folder, entry } satisfies ReadJob);
    });
  }

  close(): void {
    this.closedByUs = true;
    void this.worker.terminate();
  }

  private answer(answer: ReadAnswer): void {
    const waiting = this.pending.get(answer.id);
    if (waiting === undefined) return;
    this.pending.delete(answer.id);
    if (answer.error !== undefined) waiting.reject(new Error(answer.error));
    else waiting.resolve(answer.run === null ? null : fromWireRun(answer.run));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}
