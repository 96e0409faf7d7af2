import type { Worker } from 'node:worker_threads';
import { startWorker, workerSource } from '../worker-source';
import type { WorkerSource } from '../worker-source';

/** What the build thread is started with. */
export interface CatalogBuildData {
  /** The cache file; the thread opens its own read-only connection. */
  file: string;
  source: string;
  /** The source's version when the build's marker was written (markCatalogBuilding). */
  version: number;
}

/** The thread's one answer: the catalog's stored form, or null (the snapshot was too late). */
export interface CatalogBuildAnswer {
  body: string | null;
}

/** A build running on its thread. */
export interface CatalogBuildThread {
  /**
   * The catalog's stored form, or null when the thread was stopped or its snapshot came after
   * a write. Rejects when the thread failed (then the caller builds on its own thread).
   */
  readonly answer: Promise<string | null>;
  stop(): void;
}

/**
 * Young-generation cap of the thread's heap. A build parses every run's JSON (~0.8 GB of
 * short-lived objects at 100k runs) and keeps only the catalog (a few MB): with V8's default
 * young generation the process's resident peak rose by the garbage's high-water mark, which
 * this bounds; the thread's whole heap is handed back when it ends.
 */
const YOUNG_GENERATION_MB = 4;

/**
 * Starts the catalog build of one source on a worker thread, so that the process's main thread
 * (the one answering the window's queries) does none of its work; null when no thread can be
 * started here (then the caller builds in slices on its own thread).
 */
export function startCatalogBuildThread(
  data: CatalogBuildData,
  // Built: dist/catalog-build-worker.mjs (build/build-main.mjs).
  source: WorkerSource | null = workerSource(
    'catalog-build-worker.mjs',
    new URL('./catalog-build-worker.ts', import.meta.url),
  ),
): CatalogBuildThread | null {
  if (source === null) return null;
  let worker: Worker;
  try {
    worker = startWorker(source, {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
  } catch {
    return null;
  }
  let stopped = false;
  const answer = new Promise<string | null>((resolve, reject) => {
    worker.once('message', (message: CatalogBuildAnswer) => resolve(message.body));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (stopped) resolve(null);
      else
        reject(new Error(`the catalog build thread ended without an answer (exit code ${code})`));
    });
  });
  return {
    answer,
    stop() {
      stopped = true;
      void worker.terminate();
    },
  };
}
