/**
 * Child process for core-sync-crash.test.ts: syncs a folder source into a cache and prints
 * one JSON line per event so the parent can kill it at a chosen moment.
 *
 *   node --import tsx core-sync-child.ts <cache file> <folder> [hang-at-write] [runs-per-commit]
 *
 * With hang-at-write = k, the k-th run's transaction (rows written, not committed) blocks
 * forever after printing {"event":"in-transaction"}: the parent kills it right there.
 * Runs-per-commit: how many runs the sync writes in one transaction (default: the sync's).
 */
import { CacheStore } from '../../main/core/cache/cache-store';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';

const [cacheFile, folder, hangArg, batchArg] = process.argv.slice(2);
if (cacheFile === undefined || folder === undefined) throw new Error('usage: <cache> <folder>');
const hangAt = hangArg === undefined ? 0 : Number(hangArg);

const print = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const store = CacheStore.open(cacheFile);
if (store.getSource('big') === null) {
  store.addSource({
    name: 'big',
    kind: 'folder',
    location: folder,
    createdAt: new Date().toISOString(),
  });
}
let writes = 0;
const summary = await syncFolderSource({
  store,
  source: 'big',
  ...(batchArg === undefined ? {} : { runsPerCommit: Number(batchArg) }),
  onProgress: (progress) => print({ event: 'progress', ...progress }),
  beforeCommitRun: (runId) => {
    writes++;
    if (writes !== hangAt) return;
    print({ event: 'in-transaction', runId });
    // Block the only thread inside the open transaction until SIGKILL arrives.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
print({ event: 'summary', ...summary });
store.close();
