/**
 * Child process for mongo-sync-crash.test.ts: syncs a MongoDB source into a cache and prints
 * one JSON line per event so the parent can SIGKILL it at a chosen moment.
 *
 *   node --import tsx mongo-sync-child.ts <cache file> <mongo uri> <database>
 *
 * Prints {"event":"started"} once the cache is open, then progress lines and a summary.
 */
import { CacheStore } from '../../main/core/cache/cache-store';
import { syncMongoSource } from '../../main/core/mongo/sync-mongo-source';
import { RecordingConnections, addSourceRow } from './mongo-sync-support';

const [cacheFile, uri, database] = process.argv.slice(2);
if (cacheFile === undefined || uri === undefined || database === undefined) {
  throw new Error('usage: <cache> <uri> <database>');
}

const print = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const store = CacheStore.open(cacheFile);
if (store.getSource('lab') === null) addSourceRow(store, 'lab', database);
const connections = new RecordingConnections({ p1: uri });
print({ event: 'started', recoveredFrom: store.recoveredFrom });
const summary = await syncMongoSource({
  store,
  source: 'lab',
  connections,
  fetchBatch: 4,
  onProgress: (progress) => print({ event: 'progress', ...progress }),
});
print({ event: 'summary', ...summary });
await connections.close();
store.close();
