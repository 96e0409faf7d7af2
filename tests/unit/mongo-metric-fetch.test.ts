// Which metrics documents fetchRunMetrics gives each run, against the in-process MongoDB test
// server (port 0, in memory): by reference, by run id when a reference is missing or stale,
// never another run's (or another collection's) points, with the notes a run shows, and the
// cached points reused or extended only when the server's document still starts with them.
// Every test uses its own database. Expected points are written out by hand.
import { BSON, Double, Int32, Long, MongoClient, ObjectId } from 'mongodb';
import type { Db, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchRunMetrics,
  metricDocumentBytes,
  metricsTarget,
  summarizeMetricsInDatabase,
} from '../../main/core/mongo/mongo-metrics';
import type {
  KnownPoints,
  MetricsTarget,
  RunMetrics,
  RunMetricsRequest,
} from '../../main/core/mongo/mongo-metrics';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { freshDbName } from '../integration/mongo-sync-support';

const T0 = Date.parse('2026-11-27T12:00:00Z');
const OWN: MetricsTarget = { collection: 'metrics', shared: false };
const SHARED: MetricsTarget = { collection: 'metrics', shared: true };

let server: MongoTestServer;
let client: MongoClient;

beforeAll(async () => {
  server = await startMongoTestServer({});
  client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 3000 });
  await client.connect();
}, 60_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
});

function newDb(label: string): Db {
  return client.db(freshDbName(label));
}

/** A metrics document as Sacred writes it: steps 0…n-1, one Date per point a second apart. */
function metricDoc(id: ObjectId, runId: unknown, name: string, values: unknown[]): Document {
  return {
    _id: id,
    run_id: runId,
    name,
    steps: values.map((_, index) => index),
    values,
    timestamps: values.map((_, index) => new Date(T0 + index * 1000)),
  };
}

function known(values: number[], steps = values.map((_, i) => i)): KnownPoints {
  return {
    count: values.length,
    steps: Float64Array.from(steps),
    values: Float64Array.from(values),
    timestamps: Float64Array.from(values, (_, i) => T0 + i * 1000),
  };
}

function request(key: string, runId: unknown, refs: RunMetricsRequest['refs'] = []) {
  return { key, runId, refs };
}

/** name → values of one run's metrics, and its notes. */
function pointsOf(result: Map<string, RunMetrics>, key: string) {
  const run = result.get(key);
  if (run === undefined) throw new Error(`no result for run ${key}`);
  return {
    values: Object.fromEntries(run.metrics.map((m) => [m.name, [...m.values]])),
    steps: Object.fromEntries(run.metrics.map((m) => [m.name, [...m.steps]])),
    times: Object.fromEntries(run.metrics.map((m) => [m.name, [...m.timestamps]])),
    warnings: run.warnings,
  };
}

describe('where a source keeps its metrics', () => {
  it('uses <prefix>_metrics when Sacred created it, else the shared metrics collection', () => {
    expect(metricsTarget(null, new Set(['runs', 'metrics']))).toEqual(OWN);
    expect(metricsTarget('lab', new Set(['lab_runs', 'lab_metrics']))).toEqual({
      collection: 'lab_metrics',
      shared: false,
    });
    expect(metricsTarget('lab', new Set(['lab_runs', 'metrics', 'other_metrics']))).toEqual(SHARED);
  });
});

describe('metrics by reference', () => {
  it("gives each run the documents its info.metrics names, not another run's", async () => {
    const db = newDb('byref');
    const [a, b, c] = [new ObjectId(), new ObjectId(), new ObjectId()];
    await db
      .collection('metrics')
      .insertMany([
        metricDoc(a, 1, 'loss', [1, 0.5]),
        metricDoc(b, 2, 'loss', [2, 1.5, 1]),
        metricDoc(c, 2, 'acc', [0.25]),
      ]);
    const result = await fetchRunMetrics(db, OWN, [
      request('1', 1, [{ name: 'loss', id: a.toHexString() }]),
      request('2', 2, [
        { name: 'loss', id: b.toHexString() },
        { name: 'accuracy', id: c.toHexString() },
      ]),
    ]);
    expect(pointsOf(result, '1')).toMatchObject({ values: { loss: [1, 0.5] }, warnings: [] });
    // The reference's name is shown, whatever the document calls itself.
    expect(pointsOf(result, '2')).toMatchObject({
      values: { loss: [2, 1.5, 1], accuracy: [0.25] },
      steps: { loss: [0, 1, 2], accuracy: [0] },
      times: { loss: [T0, T0 + 1000, T0 + 2000] },
      warnings: [],
    });
  });

  it('falls back to run id and name for a reference that is stale, missing or not an id', async () => {
    const db = newDb('stale');
    const [loss, acc, lr] = [new ObjectId(), new ObjectId(), new ObjectId()];
    await db
      .collection('metrics')
      .insertMany([
        metricDoc(loss, 1, 'loss', [3, 2]),
        metricDoc(acc, 1, 'acc', [0.5]),
        metricDoc(lr, 1, 'lr', [0.1]),
        metricDoc(new ObjectId(), 2, 'loss', [99]),
      ]);
    const result = await fetchRunMetrics(db, OWN, [
      request('1', 1, [
        { name: 'loss', id: new ObjectId().toHexString() },
        { name: 'acc', id: null },
        { name: 'lr', id: 'not-an-object-id' },
      ]),
    ]);
    expect(pointsOf(result, '1')).toMatchObject({
      values: { loss: [3, 2], acc: [0.5], lr: [0.1] },
      warnings: [],
    });
  });

  it('says which referenced metric is missing, or ambiguous, and shows the others', async () => {
    const db = newDb('missing');
    const ok = new ObjectId();
    await db
      .collection('metrics')
      .insertMany([
        metricDoc(ok, 1, 'loss', [1]),
        metricDoc(new ObjectId(), 1, 'twice', [1]),
        metricDoc(new ObjectId(), 1, 'twice', [2]),
      ]);
    const result = await fetchRunMetrics(db, OWN, [
      request('1', 1, [
        { name: 'loss', id: ok.toHexString() },
        { name: 'gone', id: new ObjectId().toHexString() },
        { name: 'twice', id: null },
      ]),
    ]);
    expect(pointsOf(result, '1')).toEqual({
      values: { loss: [1] },
      steps: { loss: [0] },
      times: { loss: [T0] },
      warnings: [
        'metric "gone" is missing from metrics',
        'metric "twice": 2 documents in metrics match its run id; none is shown',
      ],
    });
  });
});

describe('metrics by run id (no references, older Sacred)', () => {
  it('takes every named document of the run, matching ids as MongoDB does', async () => {
    const db = newDb('byrunid');
    await db
      .collection('metrics')
      .insertMany([
        metricDoc(new ObjectId(), new Int32(1), 'loss', [1]),
        metricDoc(new ObjectId(), Long.fromNumber(1), 'acc', [0.5]),
        metricDoc(new ObjectId(), new Double(1), 'lr', [0.1]),
        metricDoc(new ObjectId(), '1', 'text-id', [7]),
        { _id: new ObjectId(), run_id: 1, values: [8] },
        metricDoc(new ObjectId(), 'myrun', 'loss', [5, 6]),
      ]);
    const result = await fetchRunMetrics(db, OWN, [
      request('1', 1),
      request('myrun', 'myrun'),
      request('3', 3),
    ]);
    const one = pointsOf(result, '1');
    expect(Object.keys(one.values).sort()).toEqual(['acc', 'loss', 'lr']);
    expect(one.values).toEqual({ loss: [1], acc: [0.5], lr: [0.1] });
    expect(pointsOf(result, 'myrun').values).toEqual({ loss: [5, 6] });
    expect(pointsOf(result, '3')).toEqual({ values: {}, steps: {}, times: {}, warnings: [] });
  });

  it('takes none from a shared collection, where run id 1 may be another collection’s', async () => {
    const db = newDb('shared');
    const ref = new ObjectId();
    await db
      .collection('metrics')
      .insertMany([metricDoc(new ObjectId(), 1, 'loss', [1]), metricDoc(ref, 2, 'acc', [0.5])]);
    const result = await fetchRunMetrics(db, SHARED, [
      request('1', 1),
      request('2', 2, [{ name: 'acc', id: ref.toHexString() }]),
    ]);
    expect(pointsOf(result, '1').values).toEqual({});
    expect(pointsOf(result, '2').values).toEqual({ acc: [0.5] });
  });

  it('finds the documents of more runs than one query asks for (200)', async () => {
    const db = newDb('batches');
    const runs = 203;
    const docs: Document[] = [];
    const requests: RunMetricsRequest[] = [];
    for (let run = 1; run <= runs; run++) {
      docs.push(metricDoc(new ObjectId(), run, 'loss', [run]));
      requests.push(request(String(run), run, [{ name: 'loss', id: null }]));
    }
    await db.collection('metrics').insertMany(docs);
    const result = await fetchRunMetrics(db, OWN, requests);
    for (const run of [1, 200, 201, runs]) {
      expect(pointsOf(result, String(run))).toMatchObject({
        values: { loss: [run] },
        warnings: [],
      });
    }
    expect([...result.values()].filter((r) => r.metrics.length === 1)).toHaveLength(runs);
  });
});

describe('points the cache already holds', () => {
  it('reuses them when the document is unchanged, and appends only new points when it grew', async () => {
    const db = newDb('growth');
    const [same, grew, rewritten, shrunk, firstChanged] = [
      new ObjectId(),
      new ObjectId(),
      new ObjectId(),
      new ObjectId(),
      new ObjectId(),
    ];
    await db
      .collection('metrics')
      .insertMany([
        metricDoc(same, 1, 'same', [1, 2, 3]),
        metricDoc(grew, 1, 'grew', [1, 2, 3, 4]),
        metricDoc(rewritten, 1, 'rewritten', [1, 2, 30]),
        metricDoc(shrunk, 1, 'shrunk', [1]),
        metricDoc(firstChanged, 1, 'firstChanged', [10, 2, 3]),
      ]);
    // The cache's steps are 100, 101 … so reused points are told from fetched ones (0, 1 …).
    const cached: Record<string, KnownPoints> = {
      same: known([1, 2, 3], [100, 101, 102]),
      grew: known([1, 2], [100, 101]),
      rewritten: known([1, 2, 3], [100, 101, 102]),
      shrunk: known([1, 2], [100, 101]),
      firstChanged: known([1, 2, 3], [100, 101, 102]),
    };
    const meter = { bytes: 0 };
    const result = await fetchRunMetrics(
      db,
      OWN,
      [
        request('1', 1, [
          { name: 'same', id: same.toHexString() },
          { name: 'grew', id: grew.toHexString() },
          { name: 'rewritten', id: rewritten.toHexString() },
          { name: 'shrunk', id: shrunk.toHexString() },
          { name: 'firstChanged', id: firstChanged.toHexString() },
        ]),
      ],
      (key, name) => (key === '1' ? (cached[name] ?? null) : null),
      meter,
    );
    const run = pointsOf(result, '1');
    expect(run.warnings).toEqual([]);
    expect(run.values).toEqual({
      same: [1, 2, 3],
      grew: [1, 2, 3, 4],
      rewritten: [1, 2, 30],
      shrunk: [1],
      firstChanged: [10, 2, 3],
    });
    expect(run.steps).toEqual({
      same: [100, 101, 102],
      grew: [100, 101, 2, 3],
      rewritten: [0, 1, 2],
      shrunk: [0],
      firstChanged: [0, 1, 2],
    });
    expect(run.times.grew).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000]);
    // The three whole documents as sent, plus the two new points of `grew`.
    const whole = [rewritten, shrunk, firstChanged].map((id, i) =>
      BSON.calculateObjectSize(
        metricDoc(
          id,
          1,
          ['rewritten', 'shrunk', 'firstChanged'][i] as string,
          [[1, 2, 30], [1], [10, 2, 3]][i] as number[],
        ),
      ),
    );
    const tail = metricDocumentBytes({ steps: [2, 3], values: [3, 4], timestamps: [0, 0] });
    expect(meter.bytes).toBe(whole.reduce((sum, n) => sum + n, 0) + tail);
  });

  it('extends each grown document by its own cached count, and reads new or vanished ones anew', async () => {
    const db = newDb('growmany');
    const [short, long, fresh, gone] = [
      new ObjectId(),
      new ObjectId(),
      new ObjectId(),
      new ObjectId(),
    ];
    await db
      .collection('metrics')
      .insertMany([
        metricDoc(short, 1, 'short', [1, 2, 3]),
        metricDoc(long, 1, 'long', [1, 2, 3, 4, 5]),
        metricDoc(fresh, 1, 'fresh', [7]),
      ]);
    const cached: Record<string, KnownPoints> = {
      short: known([1], [100]),
      long: known([1, 2, 3], [100, 101, 102]),
      gone: known([1], [100]),
    };
    const result = await fetchRunMetrics(
      db,
      OWN,
      [
        request('1', 1, [
          { name: 'short', id: short.toHexString() },
          { name: 'long', id: long.toHexString() },
          { name: 'fresh', id: fresh.toHexString() },
          { name: 'gone', id: gone.toHexString() },
        ]),
      ],
      (_key, name) => cached[name] ?? null,
    );
    expect(pointsOf(result, '1')).toMatchObject({
      steps: { short: [100, 1, 2], long: [100, 101, 102, 3, 4], fresh: [0] },
      values: { short: [1, 2, 3], long: [1, 2, 3, 4, 5], fresh: [7] },
      warnings: ['metric "gone" is missing from metrics'],
    });
  });

  it('reads metric times stored as text, keeping their microseconds', async () => {
    const db = newDb('texttimes');
    const id = new ObjectId();
    await db.collection('metrics').insertOne({
      _id: id,
      run_id: 1,
      name: 'loss',
      steps: [0, 1],
      values: [1, 2],
      timestamps: ['2024-01-02T03:04:05.000250', 'not a time'],
    });
    const result = await fetchRunMetrics(db, OWN, [
      request('1', 1, [{ name: 'loss', id: id.toHexString() }]),
    ]);
    expect(pointsOf(result, '1')).toEqual({
      values: { loss: [1, 2] },
      steps: { loss: [0, 1] },
      times: { loss: [Date.UTC(2024, 0, 2, 3, 4, 5) + 0.25, NaN] },
      warnings: ['metric "loss": 1 time was not a readable time (kept as no time)'],
    });
  });

  it('counts a cached NaN or None as the same first and last point', async () => {
    const db = newDb('nanfirst');
    const [nan, none] = [new ObjectId(), new ObjectId()];
    await db
      .collection('metrics')
      .insertMany([
        metricDoc(nan, 1, 'nan', [NaN, 1, NaN]),
        metricDoc(none, 1, 'none', [null, 2, null, 4]),
      ]);
    const cached: Record<string, KnownPoints> = {
      nan: known([NaN, 1, NaN], [100, 101, 102]),
      none: known([NaN, 2], [100, 101]),
    };
    const result = await fetchRunMetrics(
      db,
      OWN,
      [
        request('1', 1, [
          { name: 'nan', id: nan.toHexString() },
          { name: 'none', id: none.toHexString() },
        ]),
      ],
      (_key, name) => cached[name] ?? null,
    );
    const run = pointsOf(result, '1');
    expect(run.steps).toEqual({ nan: [100, 101, 102], none: [100, 101, 2, 3] });
    expect(run.values.none).toEqual([NaN, 2, NaN, 4]);
  });

  it('fetches a document whole when the cache has no points of it', async () => {
    const db = newDb('emptycache');
    const id = new ObjectId();
    await db.collection('metrics').insertOne(metricDoc(id, 1, 'loss', [5, 6]));
    const result = await fetchRunMetrics(
      db,
      OWN,
      [request('1', 1, [{ name: 'loss', id: id.toHexString() }])],
      () => ({ ...known([]), steps: Float64Array.from([100]) }),
    );
    expect(pointsOf(result, '1').steps).toEqual({ loss: [0, 1] });
  });
});

describe('summaries computed by the server', () => {
  it('gives count, first, last, min and max, skipping NaN, None and booleans in min and max', async () => {
    const db = newDb('summaries');
    const [a, b, empty, noValues] = [
      new ObjectId(),
      new ObjectId(),
      new ObjectId(),
      new ObjectId(),
    ];
    await db
      .collection('metrics')
      .insertMany([
        metricDoc(a, 1, 'loss', [NaN, 3, true, -2, null, 5, NaN]),
        metricDoc(b, Long.fromNumber(2), 'acc', [0.5]),
        metricDoc(empty, 1, 'empty', []),
        { _id: noValues, run_id: 1 },
        metricDoc(new ObjectId(), 1, 'not asked for', [1]),
      ]);
    const ids = [a, b, empty, noValues].map((id) => id.toHexString());
    const summaries = await summarizeMetricsInDatabase(db, 'metrics', [
      ...ids,
      ids[0] as string,
      'not-an-id',
    ]);
    expect(summaries.size).toBe(4);
    const loss = summaries.get(ids[0] as string);
    expect(loss).toMatchObject({ id: ids[0], name: 'loss', runId: 1, count: 7, min: -2, max: 5 });
    expect(loss?.first).toBeNaN();
    expect(loss?.last).toBeNaN();
    expect(summaries.get(ids[1] as string)).toMatchObject({
      name: 'acc',
      count: 1,
      first: 0.5,
      last: 0.5,
      min: 0.5,
      max: 0.5,
    });
    expect(summaries.get(ids[2] as string)).toEqual({
      id: ids[2],
      name: 'empty',
      runId: 1,
      count: 0,
      first: null,
      last: null,
      min: null,
      max: null,
    });
    // A document without values is an empty metric, as the local summaries have it.
    expect(summaries.get(ids[3] as string)).toMatchObject({
      name: null,
      count: 0,
      first: null,
      last: null,
      min: null,
      max: null,
    });
    const noMinMax = await summarizeMetricsInDatabase(db, 'metrics', [ids[1] as string], {
      minMax: false,
    });
    expect(noMinMax.get(ids[1] as string)).toMatchObject({ count: 1, min: null, max: null });
  });
});

describe('bytes of a metrics document on the wire', () => {
  it('is what BSON takes for its point arrays, at every count of index digits', () => {
    const empty = metricDocumentBytes({});
    expect(empty).toBe(64);
    for (const length of [0, 1, 9, 10, 11, 99, 100, 101, 1000, 12_345]) {
      const values = Array.from({ length }, (_, i) => i + 0.5);
      const times = Array.from({ length }, (_, i) => new Date(T0 + i));
      const doc = { steps: values, values, timestamps: times };
      // bson's own size of the three arrays, less its 5 bytes of an empty document.
      expect(metricDocumentBytes(doc) - empty, `length ${length}`).toBe(
        BSON.calculateObjectSize(doc) - 5,
      );
    }
    expect(metricDocumentBytes({ values: 'not a list', steps: null })).toBe(64);
  });
});
