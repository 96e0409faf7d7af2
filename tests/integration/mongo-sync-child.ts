/**
 * Child process for mongo-sync-crash.test.ts: syncs a MongoDB source into a cache and prints
 * one JSON line per event. With a stop point it blocks there, after printing
 * {"event":"hung",...}, until the parent's SIGKILL arrives: the kill lands at a known point of
 * the sync, whatever the machine's speed.
 *
 *   node --import tsx mongo-sync-child.ts <cache file> <mongo uri> <database> [stop]
 *
 * stop = `listing`: as the sync starts listing the server's runs, nothing written yet;
 * stop = `write:F` (0 ≤ F ≤ 1): inside the transaction of the k-th run written (rows written,
 * not committed), k = ceil(F × runs to read), at least 1: the runs before it are committed.
 *
 * Prints {"event":"started"} once the cache is open, then progress lines and a summary.
 */
import { CacheStore } from '../../main/core/cache/cache-store';
import { syncMongoSource } from '../../main/core/mongo/sync-mongo-source';
import { RecordingConnections, addSourceRow } from './mongo-sync-support';

const [cacheFile, uri, database, stop] = process.argv.slice(2);
if (cacheFile === undefined || uri === undefined || database === undefined) {
  throw new Error('usage: <cache> <uri> <database> [listing | write:F]');
}
const writeAt = stop?.startsWith('write:') ? Number(stop.slice('write:'.length)) : null;
if (
  stop !== undefined &&
  stop !== 'listing' &&
  !(writeAt !== null && writeAt >= 0 && writeAt <= 1)
) {
  throw new Error(`unknown stop point ${stop}`);
}

const print = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** Blocks the only thread (inside whatever the sync holds open) until SIGKILL. */
const hang = (line: object): void => {
  print({ event: 'hung', ...line });
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
};

const store = CacheStore.open(cacheFile);
if (store.getSource('lab') === null) addSourceRow(store, 'lab', database);
const connections = new RecordingConnections({ p1: uri });
print({ event: 'started', recoveredFrom: store.recoveredFrom });
let toRead: number | null = null;
let writes = 0;
const summary = await syncMongoSource({
  store,
  source: 'lab',
  connections,
  fetchBatch: 4,
  onProgress: (progress) => {
    print({ event: 'progress', ...progress });
    if (stop === 'listing' && progress.phase === 'scanning') hang({ at: 'listing' });
    // The first `reading` event (never throttled) comes before the first write.
    if (progress.phase === 'reading' && toRead === null) toRead = progress.total;
  },
  beforeCommitRun: (runId) => {
    writes++;
    if (writeAt === null || toRead === null) return;
    if (writes === Math.max(1, Math.ceil(writeAt * toRead))) {
      hang({ at: 'write', runId, write: writes, toRead });
    }
  },
});
print({ event: 'summary', ...summary });
await connections.close();
store.close();
