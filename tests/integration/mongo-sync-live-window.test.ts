// A sync reads a run again when its listing fields (status, heartbeat, start/stop time) changed,
// and also, with an unchanged listing, while it is RUNNING and its last sign of life is at most
// 10 minutes old: its output or artifacts may have arrived between two beats. Older RUNNING runs
// (probably dead) and finished runs with an unchanged listing are not read again.
import type { MongoClient } from 'mongodb';
import { MongoClient as Client } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_WINDOW_MS, syncMongoSource } from '../../main/core/mongo/sync-mongo-source';
import {
  RecordingConnections,
  addSourceRow,
  dropDatabase,
  freshDbName,
  openTestCache,
  startTestMongo,
} from './mongo-sync-support';
import type { TestCache, TestMongo } from './mongo-sync-support';

const NOW = Date.parse('2026-11-27T12:00:00Z');
// The documented window, written out rather than taken from the code.
const TEN_MINUTES = 10 * 60_000;

interface AnyDoc {
  _id: number;
  [field: string]: unknown;
}

function runDoc(id: number, status: string, lastBeat: number): AnyDoc {
  return {
    _id: id,
    format: 'MongoObserver-0.7.0',
    status,
    command: 'train',
    experiment: { name: 'window', base_dir: '/x', sources: [], dependencies: [], repositories: [] },
    host: { hostname: 'gpu1' },
    meta: { command: 'train', options: {} },
    config: { seed: id },
    start_time: new Date(lastBeat - 60_000),
    heartbeat: new Date(lastBeat),
    ...(status === 'RUNNING' ? {} : { stop_time: new Date(lastBeat) }),
    info: {},
    captured_out: 'before\n',
    artifacts: [],
    resources: [],
    result: null,
  };
}

let mongo: TestMongo;
let writer: MongoClient;
let connections: RecordingConnections;
let cache: TestCache;
let database: string;

beforeAll(async () => {
  mongo = await startTestMongo();
  writer = new Client(mongo.uri);
  await writer.connect();
  database = freshDbName('window');
  connections = new RecordingConnections({ p1: mongo.uri });
  cache = openTestCache();
  addSourceRow(cache.store, 'window', database);
  await writer
    .db(database)
    .collection<AnyDoc>('runs')
    .insertMany([
      runDoc(1, 'RUNNING', NOW - 60_000),
      runDoc(2, 'RUNNING', NOW - TEN_MINUTES),
      runDoc(3, 'RUNNING', NOW - TEN_MINUTES - 1),
      runDoc(4, 'COMPLETED', NOW - 60_000),
    ]);
  await syncMongoSource({ store: cache.store, source: 'window', connections, now: () => NOW });
  // Output arrives for every run, with no field of the listing changed.
  await writer
    .db(database)
    .collection<AnyDoc>('runs')
    .updateMany({}, { $set: { captured_out: 'before\nafter\n' } });
}, 60_000);

afterAll(async () => {
  await connections?.close();
  cache?.close();
  await dropDatabase(mongo.uri, database);
  await writer?.close();
  await mongo?.close();
});

describe('a sync with an unchanged listing', () => {
  it('uses a 10 minute window', () => {
    expect(LIVE_WINDOW_MS).toBe(TEN_MINUTES);
  });

  it('reads again the RUNNING runs seen alive in the last 10 minutes, and only those', async () => {
    const summary = await syncMongoSource({
      store: cache.store,
      source: 'window',
      connections,
      now: () => NOW,
    });
    const output = (id: string) => cache.store.getCapturedOutput('window', id)?.text;
    expect(output('1')).toBe('before\nafter\n');
    // Exactly 10 minutes old is still inside the window.
    expect(output('2')).toBe('before\nafter\n');
    expect(output('3')).toBe('before\n');
    expect(output('4')).toBe('before\n');
    expect(summary).toMatchObject({ added: 0, updated: 2, removed: 0 });
  });
});
