/**
 * Entry of the column catalog's build thread (built as dist/catalog-build-worker.mjs; started
 * by catalog-build-thread.ts). It counts every run of one source from its own read snapshot
 * and answers the catalog as stored (toJson), or null when the snapshot came after a write.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../thread-priority';
import type { CatalogBuildAnswer, CatalogBuildData } from './catalog-build-thread';
import { countCatalogInSnapshot, openCatalogReader } from './catalog-snapshot-count';

/**
 * Runs per read. Nobody waits on this thread between reads; the size bounds the rows and
 * columns held at once (2000 a read peaked ~25 MB higher at 100k runs than 200 or 500).
 */
const RUNS_PER_READ = 500;

const port = parentPort;
if (port !== null) {
  const { file, source, version } = workerData as CatalogBuildData;
  // Built at start or at the picker's first open, beside the window's first rows and scrolls:
  // those get the CPU first.
  lowerThisThreadsPriority();
  const reader = openCatalogReader(file);
  try {
    reader.exec('BEGIN');
    const counting = countCatalogInSnapshot(reader, source, version, RUNS_PER_READ);
    let step = counting.next();
    while (step.done !== true) step = counting.next();
    reader.exec('COMMIT');
    port.postMessage({ body: step.value?.toJson() ?? null } satisfies CatalogBuildAnswer);
  } finally {
    reader.close();
  }
}
