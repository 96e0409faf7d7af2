// A live refresh of a RUNNING run (refresh-live-runs.ts) appends points and rewrites metrics in
// place: the stored tails (metric-tails.ts) and the run table's lastN columns must follow.
import { ObjectId } from 'mongodb';
import type { Document, MongoClient } from 'mongodb';
import { MongoClient as Client } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobToFloat64 } from '../../main/core/cache/float64-blob';
import { syncMongoSource } from '../../main/core/mongo/sync-mongo-source';
import { QueryEngine } from '../../main/core/query/query-engine';
import { refreshLiveRuns } from '../../main/core/sync/refresh-live-runs';
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
let mongo: TestMongo;
let writer: MongoClient;
let connections: RecordingConnections;
let cache: TestCache;
let database: string;
const lossId = new ObjectId();
const accId = new ObjectId();

const valueAt = (i: number): number => (i % 13 === 3 ? NaN : Math.cos(i) / (i + 1));

function points(from: number, to: number) {
  const steps = [];
  const values = [];
  const timestamps = [];
  for (let i = from; i < to; i++) {
    steps.push(i);
    values.push(valueAt(i));
    timestamps.push(new Date(NOW - 60_000 + i));
  }
  return { steps, values, timestamps };
}

function tailMean(values: number[], n: number): number | undefined {
  const tail = values.slice(Math.max(0, values.length - n)).filter((v) => !Number.isNaN(v));
  if (tail.length === 0) return undefined;
  return tail.reduce((sum, v) => sum + v, 0) / tail.length;
}

beforeAll(async () => {
  mongo = await startTestMongo();
  writer = new Client(mongo.uri);
  await writer.connect();
  database = freshDbName('tails');
  connections = new RecordingConnections({ p1: mongo.uri });
  cache = openTestCache();
  addSourceRow(cache.store, 'live', database);
}, 60_000);

afterAll(async () => {
  await connections?.close();
  cache?.close();
  await dropDatabase(mongo.uri, database);
  await writer?.close();
  await mongo?.close();
});

describe('a live refresh and the stored metric tails', () => {
  it('keeps every lastN equal to the mean of the newest points', async () => {
    const db = writer.db(database);
    await db.collection('runs').insertOne({
      _id: 1 as unknown as ObjectId,
      format: 'MongoObserver-0.7.0',
      status: 'RUNNING',
      command: 'train',
      experiment: { name: 'live', base_dir: '/x', sources: [], dependencies: [], repositories: [] },
      host: { hostname: 'gpu1' },
      meta: { command: 'train', options: { '--beat-interval': '2.0' } },
      config: { lr: 0.1 },
      start_time: new Date(NOW - 60_000),
      heartbeat: new Date(NOW - 2000),
      info: {
        metrics: [
          { id: lossId.toHexString(), name: 'loss' },
          { id: accId.toHexString(), name: 'acc' },
        ],
      },
      captured_out: 'start\n',
      artifacts: [],
      resources: [],
      result: null,
    });
    await db.collection('metrics').insertMany([
      { _id: lossId, run_id: 1, name: 'loss', ...points(0, 60) },
      { _id: accId, run_id: 1, name: 'acc', ...points(0, 5) },
    ]);
    await syncMongoSource({ store: cache.store, source: 'live', connections, now: () => NOW });
    const engine = new QueryEngine(cache.store.database, () => NOW);
    const columns = ['metrics.loss.last50', 'metrics.loss.last100', 'metrics.acc.last3'];
    const before = engine.query({ columns }).rows[0]?.values;
    expect(before).toEqual({
      'metrics.loss.last50': tailMean(points(0, 60).values, 50),
      'metrics.loss.last100': tailMean(points(0, 60).values, 100),
      'metrics.acc.last3': tailMean(points(0, 5).values, 3),
    });

    // 90 more points for loss (its tail now spans old and new points), acc rewritten in place.
    const grown = points(60, 150);
    const push: Document = {
      steps: { $each: grown.steps },
      values: { $each: grown.values },
      timestamps: { $each: grown.timestamps },
    };
    await db.collection('metrics').updateOne({ _id: lossId }, { $push: push });
    await db
      .collection('metrics')
      .updateOne({ _id: accId }, { $set: { values: [7, 8, 9, 10, 11] } });
    await db
      .collection('runs')
      .updateOne({ _id: 1 as unknown as ObjectId }, { $set: { heartbeat: new Date(NOW) } });
    const result = await refreshLiveRuns({
      store: cache.store,
      source: 'live',
      connections,
      now: () => NOW,
    });
    expect(result.changed).toEqual(['1']);

    const loss = points(0, 150).values;
    const tails = cache.store.database
      .prepare(`SELECT name, total, tail FROM metric_tails WHERE source = 'live' ORDER BY name`)
      .raw()
      .all() as [string, number, Buffer][];
    expect(tails.map(([name, total, tail]) => [name, total, [...blobToFloat64(tail)]])).toEqual([
      ['acc', 5, [7, 8, 9, 10, 11]],
      ['loss', 150, loss.slice(50)],
    ]);
    // The same engine: the refresh moved the source's version, so the columns are rebuilt.
    expect(engine.query({ columns }).rows[0]?.values).toEqual({
      'metrics.loss.last50': tailMean(loss, 50),
      'metrics.loss.last100': tailMean(loss, 100),
      'metrics.acc.last3': 10,
    });
  });
});
