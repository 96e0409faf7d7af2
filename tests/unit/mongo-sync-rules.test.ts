// The rules of syncMongoSource as a user sees them in the cache, against the in-process MongoDB
// test server (port 0, in memory), so that the mutation run, which runs unit tests only,
// covers the module: which runs a sync reads again (changed listing fields, the 10-minute live
// window), which it removes, where a prefixed source's runs and metrics live, whose metrics
// are whose, what a broken document or an `_id` of each kind becomes, and what a stopped,
// cancelled or cut-off sync leaves behind. Every test uses its own database and source.
import { MongoClient, ObjectId } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../shared/contract';
import type { SyncProgress } from '../../shared/events';
import type { SourceRow } from '../../main/core/cache/cache-rows';
import {
  fingerprintOf,
  mongoTarget,
  runsCollectionName,
  syncMongoSource,
} from '../../main/core/mongo/sync-mongo-source';
import type { SacredId, SyncMongoOptions } from '../../main/core/mongo/sync-mongo-source';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import {
  RecordingConnections,
  addSourceRow,
  freshDbName,
  openTestCache,
  withWriter,
} from '../integration/mongo-sync-support';
import type { TestCache } from '../integration/mongo-sync-support';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const MINUTE = 60_000;
// The documented live window, written out rather than taken from the code.
const TEN_MINUTES = 10 * MINUTE;

/** Run and metrics documents: Sacred's `_id`s are ints, strings or ObjectIds. */
interface AnyDoc extends Document {
  _id: SacredId;
}

interface RunDocOptions {
  status?: string;
  /** Last heartbeat (ms); null leaves the field out. */
  beat?: number | null;
  start?: number;
  output?: string;
  config?: unknown;
  metrics?: { name: string; id: ObjectId }[];
}

function runDoc(id: SacredId, options: RunDocOptions = {}): AnyDoc {
  const status = options.status ?? 'COMPLETED';
  const beat = options.beat === undefined ? NOW - 30 * MINUTE : options.beat;
  const start = options.start ?? NOW - 60 * MINUTE;
  return {
    _id: id,
    format: 'MongoObserver-0.7.0',
    status,
    command: 'train',
    experiment: { name: 'rules', base_dir: '/x', sources: [], dependencies: [], repositories: [] },
    host: { hostname: 'gpu1' },
    meta: { command: 'train', options: {} },
    config: options.config ?? { seed: 1 },
    start_time: new Date(start),
    ...(beat === null ? {} : { heartbeat: new Date(beat) }),
    ...(status === 'RUNNING' || beat === null ? {} : { stop_time: new Date(beat) }),
    info: options.metrics === undefined ? {} : { metrics: options.metrics },
    captured_out: options.output ?? 'first\n',
    artifacts: [],
    resources: [],
    result: null,
  };
}

function metricDoc(id: ObjectId, runId: SacredId, name: string, values: number[]): AnyDoc {
  return {
    _id: id,
    run_id: runId,
    name,
    steps: values.map((_, index) => index),
    values,
    timestamps: values.map((_, index) => new Date(NOW - MINUTE + index * 1000)),
  };
}

let server: MongoTestServer;
let writer: MongoClient;
let connections: RecordingConnections;
let cache: TestCache;

beforeAll(async () => {
  server = await startMongoTestServer({});
  connections = new RecordingConnections({ p1: server.uri });
  cache = openTestCache();
  writer = new MongoClient(server.uri, { serverSelectionTimeoutMS: 3000 });
  await writer.connect();
}, 60_000);

afterAll(async () => {
  await connections?.close();
  cache?.close();
  await writer?.close();
  await server?.close();
});

/** A new source over a new database, named after the test. */
function newSource(label: string, prefix: string | null = null) {
  const database = freshDbName(label);
  addSourceRow(cache.store, label, database, prefix);
  return { name: label, db: writer.db(database) };
}

function sync(source: string, extra: Partial<SyncMongoOptions> = {}): Promise<SyncSummary> {
  return syncMongoSource({ store: cache.store, source, connections, now: () => NOW, ...extra });
}

const output = (source: string, id: string) => cache.store.getCapturedOutput(source, id)?.text;
const runIds = (source: string) =>
  cache.store
    .listRuns(source, null, 0)
    .rows.map((row) => row.run_id)
    .sort();

describe('which runs a sync reads again', () => {
  it('reads a run whose status, heartbeat, times or Omniboard fields changed, and no other', async () => {
    const { name, db } = newSource('changed');
    const runs = db.collection<AnyDoc>('runs');
    await runs.insertMany([1, 2, 3, 4, 5, 6].map((id) => runDoc(id)));
    expect(await sync(name)).toMatchObject({ added: 6, updated: 0, removed: 0, unchanged: 0 });

    // Every document gets new output and config; only some also change a listing field.
    await runs.updateMany({}, { $set: { captured_out: 'second\n', config: { seed: 2 } } });
    await runs.updateOne({ _id: 1 }, { $set: { status: 'FAILED' } });
    await runs.updateOne({ _id: 2 }, { $set: { heartbeat: new Date(NOW - 29 * MINUTE) } });
    await runs.updateOne({ _id: 3 }, { $set: { stop_time: new Date(NOW - 20 * MINUTE) } });
    await runs.updateOne({ _id: 4 }, { $set: { omniboard: { tags: ['best'] } } });
    await runs.updateOne({ _id: 5 }, { $set: { start_time: new Date(NOW - 61 * MINUTE) } });

    const summary = await sync(name);
    expect(summary).toMatchObject({ added: 0, updated: 5, removed: 0, unchanged: 1 });
    for (const id of ['1', '2', '3', '4', '5']) {
      expect(output(name, id)).toBe('second\n');
      expect(JSON.parse(cache.store.getRun(name, id)?.config ?? 'null')).toEqual({ seed: 2 });
    }
    expect(cache.store.getRun(name, '1')?.status).toBe('FAILED');
    expect(JSON.parse(cache.store.getRun(name, '4')?.tags ?? '[]')).toEqual(['best']);
    // A finished run whose listing did not change is not fetched: its new config and output
    // are not seen (Sacred never changes them without a beat).
    expect(output(name, '6')).toBe('first\n');
    expect(JSON.parse(cache.store.getRun(name, '6')?.config ?? 'null')).toEqual({ seed: 1 });

    // And a sync with nothing changed reads no run document at all.
    const from = connections.commands.length;
    expect(await sync(name)).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 6 });
    const fullReads = connections.commands
      .slice(from)
      .filter((event) => event.commandName === 'find' && event.command.projection === undefined);
    expect(fullReads.filter((event) => event.command.find === 'runs')).toEqual([]);
  });

  it('removes from the cache a run deleted on the server, keeping the others', async () => {
    const { name, db } = newSource('deleted');
    const runs = db.collection<AnyDoc>('runs');
    const metricId = new ObjectId();
    await runs.insertMany([
      runDoc(1),
      runDoc(2, { metrics: [{ name: 'loss', id: metricId }] }),
      runDoc(3),
    ]);
    await db.collection<AnyDoc>('metrics').insertOne(metricDoc(metricId, 2, 'loss', [3, 2, 1]));
    await sync(name);
    expect(runIds(name)).toEqual(['1', '2', '3']);

    await runs.deleteOne({ _id: 2 });
    expect(await sync(name)).toMatchObject({ added: 0, updated: 0, removed: 1, unchanged: 2 });
    expect(runIds(name)).toEqual(['1', '3']);
    expect(cache.store.getRun(name, '2')).toBeNull();
    expect(cache.store.getMetricPoints(name, '2', 'loss')).toBeNull();
    expect(cache.store.getSource(name)?.run_count).toBe(2);

    // Deleting every run empties the source.
    await runs.deleteMany({});
    expect(await sync(name)).toMatchObject({ removed: 2, unchanged: 0 });
    expect(runIds(name)).toEqual([]);
  });

  it('reads RUNNING runs seen alive in the last 10 minutes again with an unchanged listing', async () => {
    const { name, db } = newSource('live');
    const runs = db.collection<AnyDoc>('runs');
    await runs.insertMany([
      runDoc(1, { status: 'RUNNING', beat: NOW - MINUTE }),
      // Exactly 10 minutes old is still inside the window.
      runDoc(2, { status: 'RUNNING', beat: NOW - TEN_MINUTES }),
      runDoc(3, { status: 'RUNNING', beat: NOW - TEN_MINUTES - 1 }),
      runDoc(4, { status: 'COMPLETED', beat: NOW - MINUTE }),
      // No heartbeat yet: the start time is its last sign of life.
      runDoc(5, { status: 'RUNNING', beat: null, start: NOW - 2 * MINUTE }),
      runDoc(6, { status: 'RUNNING', beat: null, start: NOW - TEN_MINUTES - 1 }),
      // The heartbeat, not the start time, says when it was last alive.
      runDoc(7, { status: 'RUNNING', beat: NOW - 2 * TEN_MINUTES, start: NOW - MINUTE }),
      // A heartbeat that is not a date is no sign of life: the start time is used instead.
      {
        ...runDoc(8, { status: 'RUNNING', beat: null, start: NOW - TEN_MINUTES - 1 }),
        heartbeat: 'now',
      },
      { ...runDoc(10, { status: 'RUNNING', beat: null, start: NOW - MINUTE }), heartbeat: 'now' },
      // A beat from the future (clock skew) counts as alive.
      runDoc(9, { status: 'RUNNING', beat: NOW + MINUTE }),
    ]);
    expect(await sync(name)).toMatchObject({ added: 10 });
    await runs.updateMany({}, { $set: { captured_out: 'first\nmore\n' } });

    const summary = await sync(name);
    expect(output(name, '1')).toBe('first\nmore\n');
    expect(output(name, '2')).toBe('first\nmore\n');
    expect(output(name, '3')).toBe('first\n');
    expect(output(name, '4')).toBe('first\n');
    expect(output(name, '5')).toBe('first\nmore\n');
    expect(output(name, '6')).toBe('first\n');
    expect(output(name, '7')).toBe('first\n');
    expect(output(name, '8')).toBe('first\n');
    expect(output(name, '9')).toBe('first\nmore\n');
    expect(output(name, '10')).toBe('first\nmore\n');
    expect(summary).toMatchObject({ added: 0, updated: 5, removed: 0, unchanged: 5 });

    // Later, outside the window, none of them is read again.
    await runs.updateMany({}, { $set: { captured_out: 'first\nmore\nlast\n' } });
    const later = await sync(name, { now: () => NOW + 2 * TEN_MINUTES });
    expect(later).toMatchObject({ updated: 0, unchanged: 10 });
    expect(output(name, '1')).toBe('first\nmore\n');
  });
});

describe('collections of a source with a prefix', () => {
  it('reads <prefix>_runs and <prefix>_metrics, not the plain or other prefixed collections', async () => {
    const { name, db } = newSource('prefixed', 'exp');
    const own = new ObjectId();
    const plain = new ObjectId();
    await db
      .collection<AnyDoc>('exp_runs')
      .insertOne(runDoc(1, { metrics: [{ name: 'acc', id: own }] }));
    await db.collection<AnyDoc>('exp_metrics').insertOne(metricDoc(own, 1, 'acc', [0.5, 0.75]));
    await db.collection<AnyDoc>('runs').insertMany([runDoc(1, { output: 'plain\n' }), runDoc(2)]);
    await db.collection<AnyDoc>('metrics').insertOne(metricDoc(plain, 1, 'acc', [9, 9, 9]));
    await db.collection<AnyDoc>('other_runs').insertOne(runDoc(3));

    expect(runsCollectionName('exp')).toBe('exp_runs');
    expect(runsCollectionName(null)).toBe('runs');
    expect(await sync(name)).toMatchObject({ added: 1 });
    expect(runIds(name)).toEqual(['1']);
    expect(output(name, '1')).toBe('first\n');
    expect([...(cache.store.getMetricPoints(name, '1', 'acc')?.values ?? [])]).toEqual([0.5, 0.75]);
  });

  it("reads Sacred 0.6's <prefix>.runs when there is no <prefix>_runs", async () => {
    const { name, db } = newSource('dotted', 'old');
    await db.collection<AnyDoc>('old.runs').insertMany([runDoc(1), runDoc(2)]);
    await db.collection<AnyDoc>('runs').insertOne(runDoc(3));
    expect(await sync(name)).toMatchObject({ added: 2 });
    expect(runIds(name)).toEqual(['1', '2']);

    // Once <prefix>_runs appears it wins, and the runs only in <prefix>.runs go.
    await db.collection<AnyDoc>('old_runs').insertOne(runDoc(7));
    expect(await sync(name)).toMatchObject({ added: 1, removed: 2 });
    expect(runIds(name)).toEqual(['7']);
  });

  it('takes metrics from the shared metrics collection by reference when <prefix>_metrics is missing', async () => {
    const { name, db } = newSource('sharedmetrics', 'lab');
    const mine = new ObjectId();
    await db
      .collection<AnyDoc>('lab_runs')
      .insertOne(runDoc(1, { metrics: [{ name: 'loss', id: mine }] }));
    // Runs of other prefixes share the collection and the run id 1.
    await db
      .collection<AnyDoc>('metrics')
      .insertMany([
        metricDoc(mine, 1, 'loss', [4, 3]),
        metricDoc(new ObjectId(), 1, 'loss', [100, 200, 300]),
      ]);
    await sync(name);
    expect([...(cache.store.getMetricPoints(name, '1', 'loss')?.values ?? [])]).toEqual([4, 3]);
  });

  it('keeps the cached runs and says so when the runs collection is gone', async () => {
    const { name, db } = newSource('gone', 'gone');
    await db.collection<AnyDoc>('gone_runs').insertOne(runDoc(1));
    await sync(name);
    await db.collection<AnyDoc>('gone_runs').drop();

    await expect(sync(name)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('gone_runs'),
    });
    expect(runIds(name)).toEqual(['1']);
    expect(cache.store.getSource(name)?.last_error).toContain('gone_runs');
  });
});

describe('metrics of each run', () => {
  it('attaches each metrics document to its own run, by reference or by run id', async () => {
    const { name, db } = newSource('metrics');
    const a = new ObjectId();
    const b = new ObjectId();
    const c = new ObjectId();
    const runObjectId = new ObjectId();
    await db.collection<AnyDoc>('runs').insertMany([
      runDoc(1, { metrics: [{ name: 'loss', id: a }] }),
      runDoc(2, { metrics: [{ name: 'loss', id: b }] }),
      // No references (older Sacred): found by run_id in an unshared collection.
      runDoc(3),
      runDoc(runObjectId),
    ]);
    await db
      .collection<AnyDoc>('metrics')
      .insertMany([
        metricDoc(a, 1, 'loss', [1, 0.5]),
        metricDoc(b, 2, 'loss', [2, 1.5, 1]),
        metricDoc(c, 3, 'acc', [0.9]),
        metricDoc(new ObjectId(), runObjectId, 'acc', [0.1, 0.2]),
      ]);
    const summary = await sync(name);
    const values = (id: string, metric: string) => [
      ...(cache.store.getMetricPoints(name, id, metric)?.values ?? []),
    ];
    expect(values('1', 'loss')).toEqual([1, 0.5]);
    expect(values('2', 'loss')).toEqual([2, 1.5, 1]);
    expect(values('3', 'acc')).toEqual([0.9]);
    expect(values(runObjectId.toHexString(), 'acc')).toEqual([0.1, 0.2]);
    expect(cache.store.getMetricPoints(name, '1', 'acc')).toBeNull();
    expect(cache.store.getMetricPoints(name, '3', 'loss')).toBeNull();
    expect(summary.points).toBe(8);
    expect(summary.bytes).toBeGreaterThan(0);

    // New points of a run with a new beat are appended to what it had.
    const grown = metricDoc(a, 1, 'loss', [1, 0.5, 0.25]);
    await db
      .collection<AnyDoc>('metrics')
      .updateOne(
        { _id: a },
        { $set: { steps: grown.steps, values: grown.values, timestamps: grown.timestamps } },
      );
    await db
      .collection<AnyDoc>('runs')
      .updateOne({ _id: 1 }, { $set: { heartbeat: new Date(NOW) } });
    expect(await sync(name)).toMatchObject({ updated: 1, unchanged: 3 });
    expect(values('1', 'loss')).toEqual([1, 0.5, 0.25]);
    expect(values('2', 'loss')).toEqual([2, 1.5, 1]);
  });

  it('warns about a referenced metric that is missing and keeps the run', async () => {
    const { name, db } = newSource('missingmetric');
    await db
      .collection<AnyDoc>('runs')
      .insertOne(runDoc(1, { metrics: [{ name: 'loss', id: new ObjectId() }] }));
    await db.collection<AnyDoc>('metrics').insertOne(metricDoc(new ObjectId(), 2, 'loss', [1]));
    await sync(name);
    expect(cache.store.getRun(name, '1')?.status).toBe('COMPLETED');
    expect(cache.store.getRun(name, '1')?.warnings).toContain('metric \\"loss\\" is missing');
  });
});

describe('broken documents', () => {
  it('keeps a broken document as unreadable or with warnings, and every good run beside it', async () => {
    const { name, db } = newSource('broken');
    await db.collection<AnyDoc>('runs').insertMany([
      runDoc(1),
      // Not a run at all.
      { _id: 2, hello: 'world' },
      // Wrong types.
      { ...runDoc(3), config: 'seed=3', info: [1, 2], captured_out: 42, start_time: 'yesterday' },
      // No status.
      { ...runDoc(4), status: undefined },
      runDoc(5),
    ]);
    const summary = await sync(name);
    expect(summary).toMatchObject({ added: 5, unreadable: 1 });
    expect(runIds(name)).toEqual(['1', '2', '3', '4', '5']);
    expect(cache.store.getRun(name, '1')?.unreadable).toBeNull();
    expect(cache.store.getRun(name, '5')?.unreadable).toBeNull();
    expect(output(name, '5')).toBe('first\n');
    expect(cache.store.getRun(name, '2')?.unreadable).toContain('not a Sacred run');
    const wrong = cache.store.getRun(name, '3');
    expect(wrong?.unreadable).toBeNull();
    expect(wrong?.warnings).toContain('config is');
    expect(wrong?.warnings).toContain('captured_out is');
    expect(cache.store.getRun(name, '4')?.warnings).toContain('no status');
    expect(cache.store.getSource(name)?.unreadable_count).toBe(1);
    expect(cache.store.getSource(name)?.last_error).toBeNull();
  });
});

describe('a sync that does not finish', () => {
  async function tenRuns(label: string) {
    const source = newSource(label);
    const metricIds = Array.from({ length: 10 }, () => new ObjectId());
    await source.db
      .collection<AnyDoc>('runs')
      .insertMany(
        metricIds.map((id, index) =>
          runDoc(index + 1, { output: `run ${index + 1}\n`, metrics: [{ name: 'loss', id }] }),
        ),
      );
    await source.db
      .collection<AnyDoc>('metrics')
      .insertMany(metricIds.map((id, index) => metricDoc(id, index + 1, 'loss', [index, 1, 2])));
    return source;
  }

  /** Every cached run is whole: its output and its metric, as on the server. */
  function expectWhole(name: string) {
    for (const id of runIds(name)) {
      expect(output(name, id)).toBe(`run ${id}\n`);
      const points = cache.store.getMetricPoints(name, id, 'loss');
      expect([...(points?.values ?? [])]).toEqual([Number(id) - 1, 1, 2]);
    }
  }

  it('stopped midway keeps the runs it wrote, and the next sync adds the rest', async () => {
    const { name } = await tenRuns('stopped');
    let written = 0;
    const progress: SyncProgress[] = [];
    const error = await sync(name, {
      fetchBatch: 2,
      beforeCommitRun: () => void written++,
      shouldStop: () => written >= 3,
      onProgress: (event) => progress.push(event),
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('stopped') });
    expect(runIds(name)).toHaveLength(3);
    expectWhole(name);
    expect(progress.at(-1)?.phase).toBe('failed');
    expect(cache.store.getSource(name)?.last_sync_at).toBeNull();

    expect(await sync(name)).toMatchObject({ added: 7, unchanged: 3 });
    expect(runIds(name)).toHaveLength(10);
    expectWhole(name);
    expect(cache.store.getSource(name)?.last_sync_at).toBe(new Date(NOW).toISOString());
    expect(cache.store.getSource(name)?.last_error).toBeNull();
  });

  it('cancelled midway says so and keeps the runs it wrote', async () => {
    const { name } = await tenRuns('cancelled');
    let written = 0;
    await expect(
      sync(name, {
        fetchBatch: 3,
        beforeCommitRun: () => void written++,
        isCancelled: () => written >= 4,
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(runIds(name)).toHaveLength(4);
    expectWhole(name);
    expect(cache.store.getSource(name)?.last_error).toContain('cancelled');
  });

  it('cancelled before it starts reading writes nothing', async () => {
    const { name } = await tenRuns('cancelledearly');
    await expect(sync(name, { isCancelled: () => true })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(runIds(name)).toEqual([]);
  });

  it('with a run failing to write, keeps the runs before it whole and not that one', async () => {
    const { name } = await tenRuns('failedwrite');
    await expect(
      sync(name, {
        fetchBatch: 1,
        beforeCommitRun: (runId) => {
          if (runId === '5') throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(runIds(name)).toEqual(['1', '2', '3', '4']);
    expectWhole(name);
    expect(cache.store.getSource(name)?.last_error).toContain('disk full');
  });

  it('with the server going away midway, keeps whole runs and the next sync completes them', async () => {
    // Its own server: the fault closes every connection.
    const own = await startMongoTestServer({});
    const ownConnections = new RecordingConnections({ p1: own.uri });
    try {
      const database = freshDbName('cutoff');
      addSourceRow(cache.store, 'cutoff', database);
      await withWriter(own.uri, async (client) => {
        const db = client.db(database);
        const ids = Array.from({ length: 10 }, () => new ObjectId());
        await db
          .collection<AnyDoc>('runs')
          .insertMany(
            ids.map((id, index) =>
              runDoc(index + 1, { output: `run ${index + 1}\n`, metrics: [{ name: 'loss', id }] }),
            ),
          );
        await db
          .collection<AnyDoc>('metrics')
          .insertMany(ids.map((id, index) => metricDoc(id, index + 1, 'loss', [index, 1, 2])));
      });
      const reachability: boolean[] = [];
      let written = 0;
      const error = await syncMongoSource({
        store: cache.store,
        source: 'cutoff',
        connections: ownConnections,
        now: () => NOW,
        fetchBatch: 1,
        onReachability: (online) => reachability.push(online),
        beforeCommitRun: () => {
          // After the second run, the server answers nothing more.
          if (++written === 2) own.setFaults({ dropAfterReplies: 0 });
        },
      }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: expect.stringMatching(/CONNECTION_FAILED|TIMEOUT|SOURCE_UNAVAILABLE/),
      });
      const kept = runIds('cutoff');
      expect(kept.length).toBeGreaterThanOrEqual(2);
      expect(kept.length).toBeLessThan(10);
      expectWhole('cutoff');
      expect(cache.store.getSource('cutoff')?.last_error).not.toBeNull();
      expect(cache.store.getSource('cutoff')?.last_sync_at).toBeNull();
      expect(reachability[0]).toBe(true);

      own.setFaults({});
      const summary = await syncMongoSource({
        store: cache.store,
        source: 'cutoff',
        connections: ownConnections,
        now: () => NOW,
      });
      expect(summary).toMatchObject({ added: 10 - kept.length, unchanged: kept.length });
      expect(runIds('cutoff')).toHaveLength(10);
      expectWhole('cutoff');
    } finally {
      await ownConnections.close();
      await own.close();
    }
  });

  it('refuses a second sync of a source already syncing, and leaves the first one be', async () => {
    const { name } = await tenRuns('twice');
    expect(cache.store.tryBeginSync(name)).toBe(true);
    try {
      await expect(sync(name)).rejects.toMatchObject({ code: 'SYNC_IN_PROGRESS' });
      expect(cache.store.isSyncing(name)).toBe(true);
    } finally {
      cache.store.endSync(name);
    }
    expect(await sync(name)).toMatchObject({ added: 10 });
    expect(cache.store.isSyncing(name)).toBe(false);
  });
});

describe('run ids', () => {
  it('keeps ObjectId, string and int ids apart, and follows each through changes and deletion', async () => {
    const { name, db } = newSource('ids');
    const oid = new ObjectId();
    const runs = db.collection<AnyDoc>('runs');
    await runs.insertMany([
      runDoc(oid, { output: 'oid\n' }),
      runDoc('abc', { output: 'abc\n' }),
      runDoc(42, { output: 'int\n' }),
      runDoc('42', { output: 'string\n' }),
    ]);
    expect(await sync(name)).toMatchObject({ added: 4 });
    const hex = oid.toHexString();
    expect(runIds(name)).toEqual(['"42"', '42', 'abc', hex].sort());
    expect(output(name, hex)).toBe('oid\n');
    expect(output(name, 'abc')).toBe('abc\n');
    expect(output(name, '42')).toBe('int\n');
    expect(output(name, '"42"')).toBe('string\n');

    await runs.updateOne({ _id: oid }, { $set: { status: 'FAILED', captured_out: 'oid 2\n' } });
    await runs.updateOne({ _id: '42' }, { $set: { status: 'FAILED', captured_out: 'string 2\n' } });
    await runs.deleteOne({ _id: 'abc' });
    expect(await sync(name)).toMatchObject({ updated: 2, removed: 1, unchanged: 1 });
    expect(runIds(name)).toEqual(['"42"', '42', hex].sort());
    expect(output(name, hex)).toBe('oid 2\n');
    expect(output(name, '"42"')).toBe('string 2\n');
    expect(output(name, '42')).toBe('int\n');
  });
});

describe('what a sync refuses', () => {
  it('names a source that does not exist, or one that is not a MongoDB source', async () => {
    await expect(sync('no-such-source')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    cache.store.addSource({
      name: 'a-folder',
      kind: 'folder',
      location: '/nowhere',
      createdAt: new Date(0).toISOString(),
    });
    await expect(sync('a-folder')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const row = cache.store.getSource('a-folder');
    expect(row).not.toBeNull();
    if (row !== null) expect(() => mongoTarget(row)).toThrow('not a MongoDB source');
    expect(cache.store.isSyncing('a-folder')).toBe(false);
  });
});

describe('the MongoDB part of a source row', () => {
  const row: SourceRow = {
    name: 'lab',
    kind: 'mongo',
    location: 'mongodb://test/lab',
    created_at: new Date(0).toISOString(),
    last_sync_at: null,
    last_error: null,
    run_count: 0,
    unreadable_count: 0,
    profile_id: 'p1',
    database: 'lab',
    prefix: 'exp',
  };

  it('gives the profile, database and prefix of a MongoDB source', () => {
    expect(mongoTarget(row)).toEqual({ profileId: 'p1', database: 'lab', prefix: 'exp' });
  });

  it('refuses a row that is not a MongoDB source or lacks its profile or database', () => {
    for (const broken of [
      { ...row, kind: 'folder' as const },
      { ...row, profile_id: null },
      { ...row, database: null },
    ]) {
      expect(() => mongoTarget(broken)).toThrow('Source "lab" is not a MongoDB source.');
    }
  });

  it('names the source in the refusals of a sync', async () => {
    await expect(sync('nowhere')).rejects.toThrow('There is no source named "nowhere".');
    const { name } = newSource('busy');
    cache.store.tryBeginSync(name);
    try {
      await expect(sync(name)).rejects.toThrow('Source "busy" is already being synced.');
    } finally {
      cache.store.endSync(name);
    }
  });
});

describe('the listing fingerprint', () => {
  it('changes with each listing field and with nothing else', () => {
    const base = runDoc(1, { status: 'RUNNING', beat: NOW });
    const same = fingerprintOf(base);
    expect(fingerprintOf({ ...base, _id: 2, config: { seed: 9 }, captured_out: 'x' })).toBe(same);
    for (const [field, value] of [
      ['status', 'COMPLETED'],
      ['heartbeat', new Date(NOW + 1)],
      ['stop_time', new Date(NOW)],
      ['start_time', new Date(NOW + 1)],
      ['omniboard', { notes: 'n' }],
    ] as const) {
      expect(fingerprintOf({ ...base, [field]: value }), field).not.toBe(same);
    }
    // A field absent and a field null are told apart.
    const { heartbeat: _ignored, ...noBeat } = base;
    expect(fingerprintOf(noBeat)).not.toBe(fingerprintOf({ ...noBeat, heartbeat: null }));
  });
});
