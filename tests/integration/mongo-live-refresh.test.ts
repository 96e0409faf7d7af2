// The live refresh of RUNNING runs (main/core/sync/refresh-live-runs.ts): what a running run
// gains between two refreshes (heartbeat, status, metric points, output) reaches the cache,
// with only the new points and the appended output crossing the network and only what
// changed being written.
import { ObjectId } from 'mongodb';
import type { Document, MongoClient } from 'mongodb';
import { MongoClient as Client } from 'mongodb';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LiveRunStore } from '../../main/core/cache/live-run-store';
import { METRIC_CHUNK_POINTS } from '../../main/core/cache/float64-blob';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import { syncMongoSource } from '../../main/core/mongo/sync-mongo-source';
import { outputProbe, refreshLiveRuns } from '../../main/core/sync/refresh-live-runs';
import { AltarError } from '../../shared/errors';
import {
  RecordingConnections,
  addSourceRow,
  dropDatabase,
  freshDbName,
  openTestCache,
  startTestMongo,
} from './mongo-sync-support';
import type { TestCache, TestMongo } from './mongo-sync-support';
import { closedPort } from './cli-mongo-support';

const NOW = Date.parse('2026-11-27T12:00:00Z');

let mongo: TestMongo;
let writer: MongoClient;
let connections: RecordingConnections;
let cache: TestCache;
let database: string;
const lossId = new ObjectId();
const accId = new ObjectId();

function points(from: number, to: number) {
  const steps = [];
  const values = [];
  const timestamps = [];
  for (let i = from; i < to; i++) {
    steps.push(i);
    values.push(i === 3 ? NaN : 1 / (i + 1));
    timestamps.push(new Date(NOW - 60_000 + i));
  }
  return { steps, values, timestamps };
}

function runDoc(id: number, status: string, out: string): AnyDoc {
  return {
    _id: id,
    format: 'MongoObserver-0.7.0',
    status,
    command: 'train',
    experiment: { name: 'live', base_dir: '/x', sources: [], dependencies: [], repositories: [] },
    host: { hostname: 'gpu1' },
    meta: { command: 'train', options: { '--beat-interval': '2.0' } },
    config: { lr: 0.1, seed: id },
    start_time: new Date(NOW - 60_000),
    heartbeat: new Date(NOW - 2000),
    info: {
      metrics: [
        { id: lossId.toHexString(), name: 'loss' },
        { id: accId.toHexString(), name: 'acc' },
      ],
    },
    captured_out: out,
    artifacts: [],
    resources: [],
    result: null,
  };
}

/** Sacred ids are ints: the driver's default typing expects ObjectIds. */
interface AnyDoc {
  _id: number | ObjectId;
  [field: string]: unknown;
}

const runs = () => writer.db(database).collection<AnyDoc>('runs');
const metrics = () => writer.db(database).collection<AnyDoc>('metrics');
const refresh = (now = NOW) =>
  refreshLiveRuns({ store: cache.store, source: 'live', connections, now: () => now });

beforeAll(async () => {
  mongo = await startTestMongo();
  writer = new Client(mongo.uri);
  await writer.connect();
}, 60_000);

afterAll(async () => {
  await connections?.close();
  cache?.close();
  await dropDatabase(mongo.uri, database);
  await writer?.close();
  await mongo?.close();
});

beforeEach(async () => {
  await connections?.close();
  cache?.close();
  database = freshDbName('live');
  connections = new RecordingConnections({ p1: mongo.uri });
  cache = openTestCache();
  addSourceRow(cache.store, 'live', database);
  await runs().insertMany([
    runDoc(1, 'RUNNING', 'epoch 1 ✓\n'),
    { ...runDoc(2, 'COMPLETED', 'done\n'), stop_time: new Date(NOW - 1000) },
  ]);
  await metrics().insertMany([
    { _id: lossId, run_id: 1, name: 'loss', ...points(0, 10) },
    { _id: accId, run_id: 1, name: 'acc', ...points(0, 5) },
  ]);
  await syncMongoSource({ store: cache.store, source: 'live', connections, now: () => NOW });
});

describe('refreshing a running run', () => {
  it('appends new points and output, and takes the new heartbeat and status', async () => {
    const grown: Document = {
      steps: { $each: points(10, 25).steps },
      values: { $each: points(10, 25).values },
      timestamps: { $each: points(10, 25).timestamps },
    };
    await metrics().updateOne({ _id: lossId }, { $push: grown });
    await runs().updateOne(
      { _id: 1 },
      { $set: { heartbeat: new Date(NOW), captured_out: 'epoch 1 ✓\nepoch 2 ✓\n' } },
    );
    const from = connections.commands.length;
    const result = await refresh();
    expect(result).toMatchObject({ checked: 1, changed: ['1'], points: 15 });
    // Only the appended text crossed the network: the output was never fetched whole.
    expect(result.outputBytes).toBe(Buffer.byteLength('epoch 2 ✓\n'));
    expect(connections.count('find', 'runs', from)).toBe(0);

    const run = cache.store.getRun('live', '1');
    expect(run?.heartbeat).toBe(new Date(NOW).toISOString());
    expect(cache.store.getCapturedOutput('live', '1')?.text).toBe('epoch 1 ✓\nepoch 2 ✓\n');
    const loss = cache.store.getMetricPoints('live', '1', 'loss');
    expect(loss?.count).toBe(25);
    expect([...(loss?.steps ?? [])]).toEqual(points(0, 25).steps);
    expect(Number.isNaN(loss?.values[3])).toBe(true);
    const summary = cache.store.metricsOfRun('live', '1').find((m) => m.name === 'loss');
    expect(summary).toMatchObject({ count: 25, last_value: 1 / 25, max_value: 1 });
    expect(cache.store.getMetricPoints('live', '1', 'acc')?.count).toBe(5);

    // The next sync sees the refreshed fingerprint: nothing left to read.
    const again = await syncMongoSource({
      store: cache.store,
      source: 'live',
      connections,
      now: () => NOW + 11 * 60_000,
    });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
  });

  it('writes nothing and reports no change when nothing changed', async () => {
    const result = await refresh();
    expect(result).toMatchObject({ checked: 1, changed: [], points: 0, outputBytes: 0 });
  });

  it('takes a finished run: status, stop time, result and the rewritten output', async () => {
    await runs().updateOne(
      { _id: 1 },
      {
        $set: {
          status: 'COMPLETED',
          stop_time: new Date(NOW),
          heartbeat: new Date(NOW),
          result: 0.93,
          // A progress bar redrawn with \r: Sacred rewrites the output, it is not a suffix.
          captured_out: 'epoch 1 done\n',
        },
      },
    );
    const result = await refresh();
    expect(result.changed).toEqual(['1']);
    expect(cache.store.getRun('live', '1')).toMatchObject({
      status: 'COMPLETED',
      result: '0.93',
      stop_time: new Date(NOW).toISOString(),
    });
    expect(cache.store.getCapturedOutput('live', '1')?.text).toBe('epoch 1 done\n');
    // No longer RUNNING: the next refresh has nothing to ask.
    const from = connections.commands.length;
    expect((await refresh()).checked).toBe(0);
    expect(connections.commands.length).toBe(from);
  });

  it('rewrites a metric whose points changed in place, and adds a new one', async () => {
    await metrics().updateOne({ _id: accId }, { $set: { values: [9, 9, 9, 9, 9] } });
    const newId = new ObjectId();
    await metrics().insertOne({ _id: newId, run_id: 1, name: 'lr', ...points(0, 3) });
    const ref: Document = { 'info.metrics': { id: newId.toHexString(), name: 'lr' } };
    await runs().updateOne({ _id: 1 }, { $set: { heartbeat: new Date(NOW) }, $push: ref });
    const result = await refresh();
    expect(result.changed).toEqual(['1']);
    expect([...(cache.store.getMetricPoints('live', '1', 'acc')?.values ?? [])]).toEqual([
      9, 9, 9, 9, 9,
    ]);
    expect(cache.store.getMetricPoints('live', '1', 'lr')?.count).toBe(3);
    expect(cache.store.metricsOfRun('live', '1').map((m) => m.name)).toEqual(['loss', 'acc', 'lr']);
  });

  it('keeps a long output compressed in the cache, and appends to it', async () => {
    const log = Array.from({ length: 4000 }, (_, i) => `step ${i}: loss=0.${i % 97}\n`).join('');
    await runs().updateOne({ _id: 1 }, { $set: { heartbeat: new Date(NOW), captured_out: log } });
    await refresh();
    await runs().updateOne(
      { _id: 1 },
      { $set: { heartbeat: new Date(NOW + 1), captured_out: `${log}done\n` } },
    );
    const result = await refresh(NOW + 1);
    expect(result.outputBytes).toBe(5);
    expect(cache.store.getCapturedOutput('live', '1')?.text).toBe(`${log}done\n`);
    const row = cache.store.database
      .prepare(
        "SELECT length(captured_out) AS stored, captured_out_bytes AS bytes FROM runs WHERE source = 'live' AND run_id = '1'",
      )
      .get() as { stored: number; bytes: number };
    expect(row.bytes).toBe(Buffer.byteLength(`${log}done\n`));
    expect(row.stored).toBeLessThan(row.bytes / 4);
  });

  it('leaves runs alone whose last sign of life is old (probably dead)', async () => {
    const from = connections.commands.length;
    const result = await refresh(NOW + 60 * 60_000);
    expect(result.checked).toBe(0);
    expect(connections.commands.length).toBe(from);
  });

  it('fails with the reason when the server is gone, keeping the cache', async () => {
    // A port that was just bound and closed: nothing listens there, unlike an assumed-closed one.
    const down = new RecordingConnections({ p1: `mongodb://127.0.0.1:${await closedPort()}` });
    const reasons: (string | undefined)[] = [];
    try {
      const error = await refreshLiveRuns({
        store: cache.store,
        source: 'live',
        connections: down,
        now: () => NOW,
        onReachability: (online, reason) => reasons.push(online ? 'online' : reason),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AltarError);
      expect((error as AltarError).code).toBe('CONNECTION_FAILED');
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toContain('The live refresh of "live" stopped');
      expect(cache.store.getMetricPoints('live', '1', 'loss')?.count).toBe(10);
    } finally {
      await down.close();
    }
  });
});

describe('appending metric points to the cached chunks', () => {
  it('fills the last chunk and adds new ones, and the result equals a full write', () => {
    const local = openTestCache();
    try {
      addSourceRow(local.store, 's', 'db');
      const total = METRIC_CHUNK_POINTS + 10;
      const make = (n: number) => ({
        steps: Float64Array.from({ length: n }, (_, i) => i),
        values: Float64Array.from({ length: n }, (_, i) => Math.sin(i)),
        timestamps: Float64Array.from({ length: n }, (_, i) => NOW + i),
      });
      const run = (n: number) => ({
        ...emptyParsedRun('x', 'RUNNING'),
        metrics: [{ name: 'm', ...make(n) }],
      });
      local.store.writeRun(
        's',
        { id: 'a', dir: null, fingerprint: 'f' },
        run(METRIC_CHUNK_POINTS - 5),
      );
      local.store.writeRun('s', { id: 'b', dir: null, fingerprint: 'f' }, run(total));
      const live = new LiveRunStore(local.store);
      const result = live.updateRun('s', { id: 'a', dir: null, fingerprint: 'g' }, run(total));
      expect(result).toEqual({ found: true, changed: true, points: 15 });
      // Blobs compared by digest: a deep equal of megabyte buffers is slow.
      const chunks = (id: string) =>
        local.store.database
          .prepare(
            `SELECT chunk_no, point_count, hex(steps) || hex("values") || hex(timestamps) AS data
             FROM metric_chunks WHERE source = 's' AND run_id = ? ORDER BY chunk_no`,
          )
          .all(id)
          .map((row) => {
            const chunk = row as { chunk_no: number; point_count: number; data: string };
            return [
              chunk.chunk_no,
              chunk.point_count,
              createHash('sha1').update(chunk.data).digest('hex'),
            ];
          });
      expect(chunks('a')).toEqual(chunks('b'));
      const summary = (id: string) =>
        local.store.database
          .prepare(
            `SELECT count, first_value, last_value, min_value, max_value FROM metrics
             WHERE source = 's' AND run_id = ?`,
          )
          .get(id);
      expect(summary('a')).toEqual(summary('b'));
      expect(live.updateRun('s', { id: 'a', dir: null, fingerprint: 'g' }, run(total))).toEqual({
        found: true,
        changed: false,
        points: 0,
      });
      // A run the cache does not hold is the sync's job, not the refresh's.
      expect(live.updateRun('s', { id: 'zz', dir: null, fingerprint: 'g' }, run(3)).changed).toBe(
        false,
      );
      expect(local.store.getRun('s', 'zz')).toBeNull();
    } finally {
      local.close();
    }
  });

  it('starts the output probe on a character boundary', () => {
    const text = `${'é'.repeat(200)}end`;
    const probe = outputProbe(text, Buffer.byteLength(text) + 1000);
    expect(text.endsWith(probe.overlap)).toBe(true);
    expect(Buffer.byteLength(probe.overlap)).toBeLessThanOrEqual(256);
    expect(probe.start).toBe(Buffer.byteLength(text) + 1000 - Buffer.byteLength(probe.overlap));
    expect(outputProbe('', 0)).toEqual({ start: 0, overlap: '' });
  });
});
