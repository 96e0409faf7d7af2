// The run table while runs are live: every refresh of running runs (refresh-live-runs.ts)
// and every sync that touches a few runs must patch the engine's rows of those runs (not
// reload the source) and leave it answering exactly like an engine that loads afresh.
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Document, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
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
const RUNS = 30;
let mongo: TestMongo;
let writer: MongoClient;
let connections: RecordingConnections;
let cache: TestCache;
let database: string;

const COLUMNS = [
  'status',
  'heartbeat',
  'duration',
  'config.lr',
  'config.depth',
  'result',
  'notes',
  'metrics.loss.last',
  'metrics.loss.count',
  'metrics.loss.last5',
  'metrics.loss.mean',
];
const QUERIES = [
  {},
  { where: 'status = RUNNING', sort: [{ column: 'metrics.loss.last' }] },
  { where: 'dead = false and metrics.loss.count > 3', sort: [{ column: 'heartbeat', desc: true }] },
  { where: 'config.lr < 0.05', sort: [{ column: 'metrics.loss.last5', desc: true }] },
];

function answers(engine: QueryEngine): unknown[] {
  return QUERIES.map((query) => engine.query({ ...query, columns: COLUMNS, limit: 1000 }));
}

/** An engine over another connection to the cache file: it loads everything afresh. */
function freshAnswers(): unknown[] {
  const other = CacheStore.open(join(cache.dir, 'cache.sqlite'));
  try {
    return answers(new QueryEngine(other.database, () => NOW)).map((result) => ({
      ...(result as object),
      elapsedMs: 0,
    }));
  } finally {
    other.close();
  }
}

function withoutTimes(results: unknown[]): unknown[] {
  return results.map((result) => ({ ...(result as object), elapsedMs: 0 }));
}

function runDoc(id: number, running: boolean) {
  return {
    _id: id as unknown as ObjectId,
    format: 'MongoObserver-0.7.0',
    status: running ? 'RUNNING' : 'COMPLETED',
    command: 'train',
    experiment: { name: 'live', base_dir: '/x', sources: [], dependencies: [], repositories: [] },
    host: { hostname: `gpu${id % 3}` },
    meta: { command: 'train', options: { '--beat-interval': '2.0' } },
    config: { lr: (id % 7) / 50, depth: id % 5 },
    start_time: new Date(NOW - 600_000 + id * 1000),
    heartbeat: new Date(NOW - (running ? 2000 : 300_000)),
    ...(running ? {} : { stop_time: new Date(NOW - 300_000) }),
    info: {},
    captured_out: `run ${id}\n`,
    artifacts: [],
    resources: [],
    result: running ? null : id / 100,
  };
}

function lossPoints(id: number, from: number, to: number) {
  const steps: number[] = [];
  const values: number[] = [];
  const timestamps: Date[] = [];
  for (let i = from; i < to; i++) {
    steps.push(i);
    values.push(Math.sin(id + i) + 1);
    timestamps.push(new Date(NOW - 60_000 + i));
  }
  return { steps, values, timestamps };
}

beforeAll(async () => {
  mongo = await startTestMongo();
  writer = new MongoClient(mongo.uri);
  await writer.connect();
  database = freshDbName('segrefresh');
  connections = new RecordingConnections({ p1: mongo.uri });
  cache = openTestCache();
  addSourceRow(cache.store, 'live', database);
  const db = writer.db(database);
  // Every fifth run is running and logs a loss.
  await db
    .collection('runs')
    .insertMany(Array.from({ length: RUNS }, (_, i) => runDoc(i + 1, (i + 1) % 5 === 0)));
  await db.collection('metrics').insertMany(
    Array.from({ length: RUNS }, (_, i) => ({
      run_id: i + 1,
      name: 'loss',
      ...lossPoints(i + 1, 0, 4 + (i % 6)),
    })),
  );
  for (let id = 1; id <= RUNS; id++) {
    const metric = await db.collection('metrics').findOne({ run_id: id });
    await db
      .collection('runs')
      .updateOne(
        { _id: id as unknown as ObjectId },
        { $set: { 'info.metrics': [{ id: String(metric?._id), name: 'loss' }] } },
      );
  }
  await syncMongoSource({ store: cache.store, source: 'live', connections, now: () => NOW });
}, 60_000);

afterAll(async () => {
  await connections?.close();
  cache?.close();
  await dropDatabase(mongo.uri, database);
  await writer?.close();
  await mongo?.close();
});

describe('the run table during live refreshes', () => {
  it('patches the refreshed runs and answers like a fresh load', async () => {
    const engine = new QueryEngine(cache.store.database, () => NOW);
    expect(withoutTimes(answers(engine))).toEqual(freshAnswers());
    const loads = engine.index.counts.loads;
    const db = writer.db(database);
    for (let round = 1; round <= 3; round++) {
      // The running runs log more points and beat; one of them changes its config.
      for (const id of [5, 10, 15]) {
        await db
          .collection('metrics')
          .updateOne(
            { run_id: id, name: 'loss' },
            { $push: pushOf(lossPoints(id, 100 * round, 100 * round + 3)) },
          );
        await db.collection('runs').updateOne(
          { _id: id as unknown as ObjectId },
          {
            $set: {
              heartbeat: new Date(NOW - 1000 + round),
              ...(id === 10 ? { 'config.lr': round / 10 } : {}),
            },
          },
        );
      }
      const result = await refreshLiveRuns({
        store: cache.store,
        source: 'live',
        connections,
        now: () => NOW,
      });
      expect(result.changed.sort()).toEqual(['10', '15', '5']);
      expect(withoutTimes(answers(engine)), `round ${round}`).toEqual(freshAnswers());
    }
    expect(engine.index.counts.loads).toBe(loads);
    expect(engine.index.counts.refreshes).toBe(3);

    // A sync that finds a new run, a run gone and a run finished.
    await db.collection('runs').insertOne(runDoc(RUNS + 1, true));
    await db.collection('runs').deleteOne({ _id: 3 as unknown as ObjectId });
    await db
      .collection('runs')
      .updateOne(
        { _id: 20 as unknown as ObjectId },
        { $set: { status: 'COMPLETED', stop_time: new Date(NOW - 500), result: 0.5 } },
      );
    const summary = await syncMongoSource({
      store: cache.store,
      source: 'live',
      connections,
      now: () => NOW,
    });
    expect(summary.added + summary.removed + summary.updated).toBeGreaterThanOrEqual(3);
    expect(withoutTimes(answers(engine))).toEqual(freshAnswers());
    expect(engine.index.counts.loads).toBe(loads);
    expect(engine.index.counts.refreshes).toBe(4);
  });
});

function pushOf(points: ReturnType<typeof lossPoints>): Document {
  return {
    steps: { $each: points.steps },
    values: { $each: points.values },
    timestamps: { $each: points.timestamps },
  };
}
