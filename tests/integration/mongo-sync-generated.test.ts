// Generated MongoObserver databases (every status, id type, bad document, prefix, shared
// metrics, Sacred 0.6) synced into the cache, and incremental re-syncs, with the commands
// the driver sent recorded to check what each sync fetched.
import { ObjectId } from 'mongodb';
import type { Document, MongoClient, UpdateFilter, Long } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncMongoSource } from '../../main/core/mongo/sync-mongo-source';
import type { SyncSummary } from '../../shared/contract';
import { AltarError } from '../../shared/errors';
import type { SyncProgress } from '../../shared/events';
import { generateLegacySacred06, generateSacredMongo } from '../support/sacred-mongo-generator';
import type { GeneratedLegacy06, GeneratedSacredMongo } from '../support/sacred-mongo-generator';
import {
  RecordingConnections,
  addSourceRow,
  dropDatabase,
  freshDbName,
  openTestCache,
  startTestMongo,
} from './mongo-sync-support';
import type { TestCache, TestMongo } from './mongo-sync-support';
import { MongoClient as Client } from 'mongodb';

/** Sacred ids are ints and strings: the driver's default typing expects ObjectIds. */
interface AnyRun {
  _id: number | string | ObjectId;
  [field: string]: unknown;
}

const NOW = Date.parse('2026-11-27T00:00:00Z');
/** A day later no generated RUNNING run is live any more, so nothing is re-read for it. */
const LATER = NOW + 86_400_000;

let mongo: TestMongo;
let writer: MongoClient;
let connections: RecordingConnections;
let cache: TestCache;
let main: GeneratedSacredMongo;
let legacy: GeneratedLegacy06;
const db = {
  main: freshDbName('main'),
  resync: freshDbName('resync'),
  noRef: freshDbName('noref'),
  prefixed: freshDbName('prefixed'),
  shared: freshDbName('shared'),
  legacy: freshDbName('legacy'),
};

function sync(
  source: string,
  now = NOW,
  onProgress?: (p: SyncProgress) => void,
): Promise<SyncSummary> {
  return syncMongoSource({ store: cache.store, source, connections, now: () => now, onProgress });
}

async function pointsIn(
  database: string,
  collection: string,
  filter: Document = {},
): Promise<number> {
  const docs = await writer.db(database).collection(collection).find(filter).toArray();
  return docs.reduce((sum, doc) => sum + (doc.values as unknown[]).length, 0);
}

beforeAll(async () => {
  mongo = await startTestMongo();
  writer = new Client(mongo.uri);
  await writer.connect();
  main = await generateSacredMongo(writer.db(db.main), { runs: 200, now: NOW, seed: 3 });
  await generateSacredMongo(writer.db(db.prefixed), {
    runs: 12,
    now: NOW,
    seed: 4,
    prefix: 'exp',
    variants: false,
  });
  // Deprecated collection names: two runs collections share `metrics` and both count from 1.
  for (const [name, seed] of [
    ['a_runs', 5],
    ['b_runs', 6],
  ] as const) {
    await generateSacredMongo(writer.db(db.shared), {
      runs: 15,
      now: NOW,
      seed,
      variants: false,
      runsCollection: name,
      metricsCollection: 'metrics',
    });
  }
  legacy = await generateLegacySacred06(writer.db(db.legacy));
  connections = new RecordingConnections({ p1: mongo.uri });
  cache = openTestCache();
  addSourceRow(cache.store, 'main', db.main);
  addSourceRow(cache.store, 'prefixed', db.prefixed, 'exp');
  addSourceRow(cache.store, 'a', db.shared, 'a');
  addSourceRow(cache.store, 'b', db.shared, 'b');
  addSourceRow(cache.store, 'legacy', db.legacy, 'default');
}, 120_000);

afterAll(async () => {
  await connections?.close();
  cache?.close();
  for (const name of Object.values(db)) await dropDatabase(mongo.uri, name);
  await writer?.close();
  await mongo?.close();
});

describe('a generated 200-run database', () => {
  let first: SyncSummary;
  let commandsBefore: number;
  const progress: SyncProgress[] = [];

  beforeAll(async () => {
    commandsBefore = connections.commands.length;
    first = await sync('main', NOW, (p) => progress.push(p));
  }, 60_000);

  it('adds every document, with every metric point, and reports progress', async () => {
    expect(first).toMatchObject({
      added: main.ids.length,
      updated: 0,
      removed: 0,
      unchanged: 0,
      unreadable: 1,
      points: await pointsIn(db.main, 'metrics'),
    });
    expect(cache.store.countRuns('main')).toBe(main.ids.length);
    expect(progress[0]?.phase).toBe('scanning');
    // Reading events are throttled (a 20k-run sync must not flood the UI), never more than runs.
    const reading = progress.filter((p) => p.phase === 'reading');
    expect(reading.length).toBeGreaterThan(0);
    expect(reading.length).toBeLessThanOrEqual(main.ids.length);
    expect(reading.at(-1)).toMatchObject({ done: main.ids.length - 1, total: main.ids.length });
    expect(progress.at(-1)).toMatchObject({
      phase: 'done',
      done: main.ids.length,
      points: first.points,
      etaSeconds: 0,
    });
    expect(progress.at(-1)?.bytes).toBeGreaterThan(0);
    expect(progress.at(-1)?.bytes).toBe(first.bytes);
    expect(cache.store.getSource('main')).toMatchObject({
      last_error: null,
      last_sync_at: new Date(NOW).toISOString(),
    });
  });

  it('lists with a projection and fetches documents, metrics and files in batches', () => {
    const finds = connections.commands
      .slice(commandsBefore)
      .filter((e) => e.commandName === 'find');
    const listing = finds.filter(
      (e) => e.command.find === main.runsCollection && e.command.filter?._id === undefined,
    );
    expect(listing).toHaveLength(1);
    expect(Object.keys(listing[0]?.command.projection as Document).sort()).toEqual([
      '_id',
      'heartbeat',
      'omniboard',
      'start_time',
      'status',
      'stop_time',
    ]);
    const batches = Math.ceil(main.ids.length / 16);
    const fullFetches = finds.filter(
      (e) => e.command.find === main.runsCollection && e.command.filter?._id !== undefined,
    );
    expect(fullFetches).toHaveLength(batches);
    // One query by id per batch, plus at most one run_id fallback per batch: never one per metric.
    expect(connections.count('find', 'metrics', commandsBefore)).toBeLessThanOrEqual(2 * batches);
    expect(connections.count('find', 'fs.files', commandsBefore)).toBeLessThanOrEqual(batches);
  });

  it('keeps every status, QUEUED runs with their few fields', () => {
    const page = cache.store.listRuns('main', null, 0);
    const statuses = new Set(page.rows.map((row) => row.status));
    for (const status of [
      'COMPLETED',
      'FAILED',
      'INTERRUPTED',
      'RUNNING',
      'QUEUED',
      'TIMEOUT',
      'PREEMPTED',
    ]) {
      expect(statuses).toContain(status);
    }
    const queued = page.rows.filter((row) => row.status === 'QUEUED');
    expect(queued.length).toBeGreaterThan(0);
    for (const row of queued) {
      expect(row.start_time).toBeNull();
      expect(row.unreadable).toBeNull();
      expect(JSON.parse(row.config)).toHaveProperty('seed');
      expect(cache.store.metricsOfRun('main', row.run_id)).toEqual([]);
    }
  });

  it('keeps int 42, string "42", an Int64 id and myrun7 apart', () => {
    const int42 = cache.store.getRun('main', '42');
    const string42 = cache.store.getRun('main', '"42"');
    expect(int42?.origin).toBe('{"$numberInt":"42"}');
    expect(string42?.origin).toBe('"42"');
    expect(string42?.status).toBe('RUNNING');
    const long = main.variants?.longId as Long;
    expect(cache.store.getRun('main', long.toString())?.origin).toBe(
      `{"$numberLong":"${long.toString()}"}`,
    );
    expect(cache.store.getRun('main', 'myrun7')?.status).toBe('COMPLETED');
  });

  it('marks a bare {_id} document unreadable and survives a config that is a string', () => {
    const variants = main.variants;
    const bare = cache.store.getRun('main', String(variants?.bareDocumentId));
    expect(bare?.status).toBe('UNREADABLE');
    expect(bare?.unreadable).toContain('not a Sacred run');
    const badConfig = cache.store.getRun('main', String(variants?.badConfigId));
    expect(badConfig).toMatchObject({ status: 'COMPLETED', unreadable: null, config: '{}' });
    expect(JSON.parse(badConfig?.warnings ?? '[]')).toContain('config is a string, not an object');
  });

  it('turns Int64 values into numbers, or strings past 2^53, and keeps escaped keys', () => {
    const info = JSON.parse(cache.store.getRun('main', 'myrun7')?.info ?? '{}') as Document;
    expect(info.sample_count).toBe(5_000_000_000);
    expect(info.beyond_double).toBe('9007199254740993');
    expect(info['a,b']).toBe('escaped dotted key');
    expect(info['@x']).toBe('escaped dollar key');
    const config = JSON.parse(cache.store.getRun('main', 'myrun7')?.config ?? '{}') as Document;
    expect(JSON.stringify(config)).toMatch(/"(NaN|Infinity|-Infinity)"/u);
  });

  it('shows an overwritten run as RUNNING with the stop_time of its earlier life', () => {
    const run = cache.store.getRun('main', String(main.variants?.overwrittenId));
    expect(run?.status).toBe('RUNNING');
    expect(run?.stop_time).not.toBeNull();
    expect(Date.parse(run?.stop_time ?? '')).toBeLessThan(Date.parse(run?.start_time ?? ''));
  });

  it('reads Altar sender runs: result from info.result, float steps, data files', () => {
    const id = String(main.variants?.altarIds[0]);
    const run = cache.store.getRun('main', id);
    expect(JSON.parse(run?.result ?? 'null')).toEqual({ peak: 408, fwhm: 3.2 });
    expect(run?.command).toBe('run');
    const info = JSON.parse(run?.info ?? '{}') as Document;
    expect(info.dataFiles.raw_data.minio.video.size).toBe('12.30 Mo');
    const points = cache.store.getMetricPoints('main', id, 'intensity');
    expect(points?.steps[1]).toBe(401);
    expect(points?.steps[2]).toBe(401.5);
    expect(cache.store.artifactsOfRun('main', id)[0]).toMatchObject({ content_type: 'text/csv' });
  });

  it('takes tags and notes from the omniboard sub-document', async () => {
    const doc = await writer
      .db(db.main)
      .collection('runs')
      .findOne({ 'omniboard.notes': { $exists: true } });
    expect(doc).not.toBeNull();
    const run = cache.store
      .listRuns('main', null, 0)
      .rows.find((row) => row.run_id === String(doc?._id));
    expect(run?.comment).toBe(doc?.omniboard.notes);
    expect(JSON.parse(run?.tags ?? '[]')).toEqual(doc?.omniboard.tags);
  });

  it('stores metric points exactly as the metrics documents hold them', async () => {
    const found = await writer
      .db(db.main)
      .collection('metrics')
      .findOne({ run_id: { $type: 'int' } });
    expect(found).not.toBeNull();
    const doc = found as Document;
    const run = cache.store.getMetricPoints('main', String(doc.run_id), doc.name as string);
    expect(run?.count).toBe((doc.values as unknown[]).length);
    expect([...(run?.steps ?? [])]).toEqual((doc.steps as number[]).map(Number));
    expect(run?.timestamps[0]).toBe((doc.timestamps as Date[])[0]?.getTime());
  });

  it('lists artifacts with GridFS sizes and content types', () => {
    const id = String(main.variants?.artifactRunId);
    const artifacts = cache.store.artifactsOfRun('main', id);
    const uploaded = main.artifacts.filter((a) => a.runId === main.variants?.artifactRunId);
    expect(artifacts.map((a) => [a.name, a.size, a.content_type])).toEqual(
      uploaded.map((a) => [a.name, a.content.length, a.contentType]),
    );
  });
});

// Its own copy of the 200-run database, synced once before: these tests change it.
describe('re-syncing', () => {
  let resync: GeneratedSacredMongo;

  beforeAll(async () => {
    resync = await generateSacredMongo(writer.db(db.resync), { runs: 200, now: NOW, seed: 3 });
    addSourceRow(cache.store, 'resync', db.resync);
    await sync('resync', NOW);
  }, 120_000);

  it('fetches no full document when nothing changed, and says so', async () => {
    await sync('resync', LATER);
    const before = connections.commands.length;
    const summary = await sync('resync', LATER);
    expect(summary).toMatchObject({
      added: 0,
      updated: 0,
      removed: 0,
      unchanged: resync.ids.length,
      points: 0,
    });
    const commands = connections.commands.slice(before);
    const finds = commands.filter((e) => e.commandName === 'find');
    expect(finds).toHaveLength(1);
    expect(finds[0]?.command.filter).toEqual({});
    expect(finds[0]?.command.projection).not.toHaveProperty('captured_out');
    expect(commands.filter((e) => e.commandName === 'aggregate')).toEqual([]);
  });

  it('re-reads a RUNNING run that is still alive even when its beat did not change', async () => {
    const before = connections.commands.length;
    const summary = await sync('resync', NOW);
    const live = [...resync.kinds].filter(([, kind]) => kind === 'RUNNING_FRESH').length;
    expect(summary.updated).toBeGreaterThanOrEqual(1);
    expect(summary.updated).toBeLessThanOrEqual(live + 2);
    expect(connections.count('find', 'runs', before)).toBeGreaterThan(1);
  });

  it('picks up a changed heartbeat, a new run and a deleted run, and nothing else', async () => {
    await sync('resync', LATER);
    const runs = writer.db(db.resync).collection<AnyRun>('runs');
    await runs.updateOne({ _id: 3 }, { $set: { heartbeat: new Date(NOW + 5000) } });
    await runs.insertOne({
      _id: 'fresh-run',
      format: 'MongoObserver-0.7.0',
      status: 'COMPLETED',
      command: 'main',
      experiment: { name: 'late', sources: [] },
      config: { seed: 1 },
      start_time: new Date(NOW),
    });
    await runs.deleteOne({ _id: 4 });
    const before = connections.commands.length;
    const summary = await sync('resync', LATER);
    expect(summary).toMatchObject({
      added: 1,
      updated: 1,
      removed: 1,
      unchanged: resync.ids.length - 2,
    });
    const full = connections.commands
      .slice(before)
      .filter(
        (e) =>
          e.commandName === 'find' &&
          e.command.find === 'runs' &&
          e.command.filter?._id !== undefined,
      );
    expect(full).toHaveLength(1);
    expect((full[0]?.command.filter._id.$in as unknown[]).length).toBe(2);
    expect(cache.store.getRun('resync', '4')).toBeNull();
    expect(cache.store.getRun('resync', 'fresh-run')?.experiment).toBe('late');
    expect(cache.store.getRun('resync', '3')?.heartbeat).toBe(new Date(NOW + 5000).toISOString());
  });

  it('downloads only the new points of a growing metric and reuses unchanged ones', async () => {
    await sync('resync', LATER);
    const metrics = writer.db(db.resync).collection('metrics');
    // Not runs 3 and 4, which another test changes and deletes.
    const grown = (await metrics.findOne({
      run_id: { $type: 'int', $nin: [3, 4] },
      'values.2': { $exists: true },
    })) as Document;
    const runId = grown.run_id as number;
    const before = cache.store.getMetricPoints('resync', String(runId), grown.name as string);
    const at = new Date(NOW + 60_000);
    await metrics.updateOne({ _id: grown._id }, {
      $push: {
        steps: { $each: [100_001, 100_002] },
        values: { $each: [0.5, NaN] },
        timestamps: { $each: [at, at] },
      },
    } as unknown as UpdateFilter<Document>);
    await writer
      .db(db.resync)
      .collection<AnyRun>('runs')
      .updateOne({ _id: runId }, { $set: { heartbeat: at } });
    const from = connections.commands.length;
    const summary = await sync('resync', LATER);
    expect(summary).toMatchObject({ updated: 1, added: 0 });
    const after = cache.store.getMetricPoints('resync', String(runId), grown.name as string);
    expect(after?.count).toBe((before?.count ?? 0) + 2);
    expect([...(after?.steps.subarray(0, before?.count) ?? [])]).toEqual([
      ...(before?.steps ?? []),
    ]);
    expect(after?.steps[after.count - 2]).toBe(100_001);
    expect(after?.values[after.count - 2]).toBe(0.5);
    expect(Number.isNaN(after?.values[after.count - 1])).toBe(true);
    expect(after?.timestamps[after.count - 1]).toBe(at.getTime());
    // Summaries and tails come from aggregations; no metrics document is downloaded whole.
    expect(connections.count('find', 'metrics', from)).toBe(0);
    expect(connections.count('aggregate', 'metrics', from)).toBe(2);
    const listed = cache.store
      .metricsOfRun('resync', String(runId))
      .find((m) => m.name === grown.name);
    expect(listed).toMatchObject({ count: after?.count, last_value: 'NaN' });
  });

  it('refuses a second sync of the same source while one runs', async () => {
    const running = sync('resync', LATER);
    await expect(sync('resync', LATER)).rejects.toMatchObject({ code: 'SYNC_IN_PROGRESS' });
    await running;
  });

  it('reports a source that is not a mongo source or does not exist', async () => {
    await expect(sync('nope')).rejects.toBeInstanceOf(AltarError);
    await expect(sync('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('collection layouts', () => {
  it('reads a prefixed P_runs / P_metrics pair', async () => {
    const summary = await sync('prefixed');
    expect(summary.added).toBe(12);
    expect(summary.points).toBe(await pointsIn(db.prefixed, 'exp_metrics'));
  });

  it('resolves colliding run_ids in a shared metrics collection through info.metrics ids', async () => {
    const a = await sync('a');
    const b = await sync('b');
    const all = await pointsIn(db.shared, 'metrics');
    expect(a.points + b.points).toBe(all);
    const runsA = await writer
      .db(db.shared)
      .collection('a_runs')
      .find({ 'info.metrics.0': { $exists: true } })
      .toArray();
    const sample = runsA[0] as Document;
    const ref = (sample.info.metrics as { name: string; id: string }[])[0];
    const doc = await writer
      .db(db.shared)
      .collection('metrics')
      .findOne({ _id: new ObjectId(ref?.id) });
    const cached = cache.store.getMetricPoints('a', String(sample._id), ref?.name ?? '');
    expect(cached?.count).toBe((doc?.values as unknown[]).length);
    expect(cached?.values[0]).toBeCloseTo(Number((doc?.values as unknown[])[0]), 12);
  });

  it("does not borrow another collection's metrics for a run without references", async () => {
    // Its own copy of the shared layout: the run it changes is no other test's.
    for (const [name, seed] of [
      ['a_runs', 5],
      ['b_runs', 6],
    ] as const) {
      await generateSacredMongo(writer.db(db.noRef), {
        runs: 15,
        now: NOW,
        seed,
        variants: false,
        runsCollection: name,
        metricsCollection: 'metrics',
      });
    }
    addSourceRow(cache.store, 'a-no-ref', db.noRef, 'a');
    const runs = writer.db(db.noRef).collection<AnyRun>('a_runs');
    const withMetrics = await runs.findOne({ 'info.metrics.0': { $exists: true } });
    await runs.updateOne(
      { _id: withMetrics?._id },
      { $unset: { 'info.metrics': '' }, $set: { heartbeat: new Date(NOW + 1) } },
    );
    await sync('a-no-ref');
    expect(cache.store.metricsOfRun('a-no-ref', String(withMetrics?._id))).toEqual([]);
    // The other runs of the collection keep theirs.
    expect(cache.store.countRuns('a-no-ref')).toBe(15);
  }, 60_000);

  it('reads a Sacred 0.6 database: default.runs, ObjectId ids, default GridFS', async () => {
    const summary = await sync('legacy');
    expect(summary.added).toBe(legacy.ids.length);
    const id = legacy.ids[0]?.toHexString() ?? '';
    const run = cache.store.getRun('legacy', id);
    expect(run).toMatchObject({
      status: 'COMPLETED',
      comment: 'old run 0',
      experiment: 'old_experiment',
    });
    expect(run?.origin).toBe(JSON.stringify({ $oid: id }));
    const sources = JSON.parse(run?.source_files ?? '[]') as {
      name: string;
      gridfsBucket?: string;
    }[];
    expect(sources).toHaveLength(1);
    expect(sources[0]?.gridfsBucket).toBe('default');
    expect(cache.store.artifactsOfRun('legacy', id).map((a) => [a.name, a.size])).toEqual([
      ['weights.txt', 11],
    ]);
  });
});
