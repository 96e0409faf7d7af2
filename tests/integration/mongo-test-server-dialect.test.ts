// Where the test server must answer as mongod does for the clients our users have: Sacred's
// MongoObserver (through pymongo), Omniboard (mongoose) and the Node driver. Each case is
// mongod's documented answer; set ALTAR_TEST_MONGO_URI to check them against a real mongod.
import { Double, Int32, Long, MongoClient, ObjectId } from 'mongodb';
import type { Collection, Db, Document, UpdateFilter } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawMongoClient } from '../support/mongo-raw-client';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';

let server: MongoTestServer | undefined;
let client: MongoClient;
let db: Db;
const dbName = `altar_dialect_${process.pid}_${Date.now()}`;
const RAW = { promoteValues: false } as const;

beforeAll(async () => {
  let uri = process.env.ALTAR_TEST_MONGO_URI ?? '';
  if (!uri) {
    server = await startMongoTestServer();
    uri = server.uri;
  }
  client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  db = client.db(dbName);
});

afterAll(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await client?.close();
  await server?.close();
});

/** Tests store ints and strings as _id and push to untyped arrays. */
interface Loose extends Document {
  _id?: number | string | ObjectId;
}
/** The driver's types refuse $push on fields they do not know are arrays. */
const anyUpdate = (update: Document): UpdateFilter<Loose> => update as UpdateFilter<Loose>;
const coll = (name: string): Collection<Loose> => db.collection<Loose>(name);

describe("Sacred's saves: $set of the whole run, _id included", () => {
  it('accepts $set of an unchanged _id and refuses a different one with code 66', async () => {
    const runs = coll('runs_id');
    await runs.insertOne({ _id: 1, status: 'RUNNING' });
    const saved = await runs.updateOne({ _id: 1 }, { $set: { _id: 1, status: 'COMPLETED' } });
    expect(saved).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await runs.findOne({ _id: 1 })).toEqual({ _id: 1, status: 'COMPLETED' });
    await expect(runs.updateOne({ _id: 1 }, { $set: { _id: 2 } })).rejects.toMatchObject({
      code: 66,
    });
  });

  it("inserts final_save's upsert with the _id it sets", async () => {
    const runs = coll('runs_upsert');
    const byQuery = await runs.updateOne(
      { _id: 7 },
      { $set: { _id: 7, status: 'FAILED' } },
      { upsert: true },
    );
    expect(byQuery.upsertedId).toBe(7);
    const bySet = await runs.updateOne(
      { name: 'x' },
      { $set: { _id: 'alice-1', name: 'x' } },
      { upsert: true },
    );
    expect(bySet.upsertedId).toBe('alice-1');
    expect(await runs.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 7, status: 'FAILED' },
      { _id: 'alice-1', name: 'x' },
    ]);
  });
});

describe('numbers keep their BSON type', () => {
  /** A run-like document with a whole double, a fraction, an int32 and an Int64. */
  async function typedRun(name: string): Promise<Collection<Loose>> {
    const values = coll(name);
    await values.insertOne({
      _id: 1,
      config: { epochs: new Double(10), lr: new Double(0.5), seed: new Int32(3) },
      length: Long.fromNumber(700000),
    });
    return values;
  }

  it('returns a whole double as a double, Int64 as Int64 and int32 as int32', async () => {
    const values = await typedRun('types');
    await values.updateOne(
      { _id: 1 },
      anyUpdate({
        $set: { result: new Double(1) },
        $push: { values: { $each: [new Double(2), 3] } },
      }),
    );
    const raw = await values.findOne({ _id: 1 }, RAW);
    expect(raw?.config.epochs).toBeInstanceOf(Double);
    expect(raw?.config.lr).toBeInstanceOf(Double);
    expect(raw?.config.seed).toBeInstanceOf(Int32);
    expect(raw?.length).toBeInstanceOf(Long);
    expect(raw?.result).toBeInstanceOf(Double);
    expect(raw?.values[0]).toBeInstanceOf(Double);
    expect(raw?.values[1]).toBeInstanceOf(Int32);
  });

  it('still compares numbers by value across types in queries, sorts and upserts', async () => {
    const values = await typedRun('types_compared');
    expect(await values.countDocuments({ 'config.epochs': 10 })).toBe(1);
    expect(await values.countDocuments({ length: { $gt: 699999 } })).toBe(1);
    expect(await values.countDocuments({ 'config.epochs': { $in: [new Long(10)] } })).toBe(1);
    await values.insertOne({ _id: 2, config: { epochs: 9.5 } });
    const order = await values.find({}, { sort: { 'config.epochs': -1 } }).toArray();
    expect(order.map((doc) => doc._id)).toEqual([1, 2]);
    const metrics = coll('typed_metrics');
    await metrics.updateOne(
      { run_id: new Double(1), name: 'loss' },
      anyUpdate({ $push: { values: { $each: [new Double(1)] } } }),
      { upsert: true },
    );
    const seeded = await metrics.findOne({ run_id: 1 }, RAW);
    expect(seeded?.run_id).toBeInstanceOf(Double);
  });

  it('keeps the types of untouched values when $inc changes another field', async () => {
    const values = await typedRun('types_inc');
    await values.updateOne({ _id: 1 }, { $inc: { counter: 1 } });
    const raw = await values.findOne({ _id: 1 }, RAW);
    expect(raw?.config.epochs).toBeInstanceOf(Double);
    expect(raw?.counter).toEqual(new Int32(1));
  });
});

describe('more writes and reads as mongod answers them', () => {
  it('keeps $inc and $mul results in the wider type of field and operand', async () => {
    const values = coll('arithmetic');
    await values.insertOne({ _id: 1, d: new Double(2), i: 2, l: Long.fromNumber(2) });
    await values.updateOne({ _id: 1 }, { $inc: { d: 1, i: 1, l: 1, n: new Double(1) } });
    await values.updateOne({ _id: 1 }, { $mul: { i: new Double(2) } });
    const raw = await values.findOne({ _id: 1 }, RAW);
    expect(raw).toMatchObject({
      d: new Double(3),
      i: new Double(6),
      l: Long.fromNumber(3),
      n: new Double(1),
    });
  });

  it('refuses $push onto a field that is not an array (code 2)', async () => {
    const values = coll('push_target');
    await values.insertOne({ _id: 1, steps: 5 });
    await expect(
      values.updateOne({ _id: 1 }, anyUpdate({ $push: { steps: 6 } })),
    ).rejects.toMatchObject({ code: 2 });
  });

  it('sorts by $natural in stored order and its reverse', async () => {
    const values = coll('natural');
    await values.insertMany([{ _id: 'b' }, { _id: 'a' }, { _id: 'c' }]);
    const ids = async (direction: 1 | -1) =>
      (await values.find({}, { sort: { $natural: direction } }).toArray()).map((d) => d._id);
    expect(await ids(1)).toEqual(['b', 'a', 'c']);
    expect(await ids(-1)).toEqual(['c', 'a', 'b']);
  });
});

describe('update field order and conflicts', () => {
  it('adds new fields in lexicographic order as mongod >= 5.0 does', async () => {
    const metrics = coll('order');
    await metrics.updateOne(
      { run_id: 1, name: 'loss' },
      anyUpdate({
        $push: { steps: { $each: [0] }, values: { $each: [1] }, timestamps: { $each: [2] } },
      }),
      { upsert: true },
    );
    const doc = await metrics.findOne({ run_id: 1 }, { projection: { _id: 0 } });
    expect(Object.keys(doc ?? {})).toEqual(['run_id', 'name', 'steps', 'timestamps', 'values']);
    await metrics.updateOne({ run_id: 1 }, { $set: { zeta: 1, stop_time: 2, fail_trace: 3 } });
    const after = await metrics.findOne({ run_id: 1 }, { projection: { _id: 0 } });
    expect(Object.keys(after ?? {}).slice(5)).toEqual(['fail_trace', 'stop_time', 'zeta']);
  });

  it('refuses two operators on one path with code 40, even when nothing matches', async () => {
    await expect(
      coll('conflicts').updateOne({ run_id: 1 }, { $set: { n: 1 }, $inc: { n: 1 } }),
    ).rejects.toMatchObject({ code: 40 });
  });
});

describe('aggregation expressions as mongod evaluates them', () => {
  beforeAll(async () => {
    await coll('expr').insertMany([
      { _id: 1, metrics: [{ id: '65a000000000000000000001' }], score: 4, list: [3, 9, 1] },
      { _id: 2, score: 'high' },
    ]);
  });

  async function project(projection: Document): Promise<Document[]> {
    return coll('expr')
      .aggregate([{ $sort: { _id: 1 } }, { $project: { _id: 0, ...projection } }])
      .toArray();
  }

  it('compares values of different types in BSON order', async () => {
    expect(
      await project({
        hasMetrics: { $gt: ['$metrics', null] },
        stringAboveNumber: { $gt: ['x', 5] },
        missingIsNull: { $eq: ['$missing', null] },
        arrayEqualsElement: { $eq: [[1, 2], 1] },
        cmp: { $cmp: ['$score', 5] },
      }),
    ).toEqual([
      {
        hasMetrics: true,
        stringAboveNumber: true,
        missingIsNull: false,
        arrayEqualsElement: false,
        cmp: -1,
      },
      {
        hasMetrics: false,
        stringAboveNumber: true,
        missingIsNull: false,
        arrayEqualsElement: false,
        cmp: 1,
      },
    ]);
  });

  it('gives $min/$max/$avg/$sum of a single non-array value that value', async () => {
    expect(
      await project({
        min: { $min: '$score' },
        max: { $max: '$list' },
        avg: { $avg: '$score' },
        sum: { $sum: '$score' },
        listMin: { $min: [5, '$score', 2] },
        missingMin: { $min: '$missing' },
        missingSum: { $sum: '$missing' },
      }),
    ).toEqual([
      { min: 4, max: 9, avg: 4, sum: 4, listMin: 2, missingMin: null, missingSum: 0 },
      { min: 'high', max: null, avg: null, sum: 0, listMin: 2, missingMin: null, missingSum: 0 },
    ]);
  });

  it('converts to and from ObjectId ($toObjectId, $convert, $toString)', async () => {
    const [first] = await project({
      oid: { $toObjectId: { $arrayElemAt: ['$metrics.id', 0] } },
      bad: { $convert: { input: 'nope', to: 'objectId', onError: 'bad' } },
      none: { $toObjectId: '$missing' },
    });
    expect(first).toEqual({
      oid: new ObjectId('65a000000000000000000001'),
      bad: 'bad',
      none: null,
    });
    const [back] = await coll('expr')
      .aggregate([{ $match: { _id: 1 } }, { $project: { hex: { $toString: first?.oid } } }])
      .toArray();
    expect(back?.hex).toBe('65a000000000000000000001');
    await expect(project({ oid: { $toObjectId: 'nope' } })).rejects.toMatchObject({ code: 241 });
  });

  it("joins metrics by $lookup with let and $toObjectId (Omniboard's metric columns)", async () => {
    const id = new ObjectId();
    await coll('expr_metrics').insertOne({ _id: id, name: 'loss', values: [0.5, 0.25] });
    await coll('expr_runs').insertOne({ _id: 1, info: { metrics: [{ id: id.toHexString() }] } });
    const [run] = await coll('expr_runs')
      .aggregate([
        { $unwind: '$info.metrics' },
        {
          $lookup: {
            from: 'expr_metrics',
            let: { metricId: { $toObjectId: '$info.metrics.id' } },
            pipeline: [{ $match: { $expr: { $eq: ['$_id', '$$metricId'] } } }],
            as: 'metric',
          },
        },
      ])
      .toArray();
    expect(run?.metric).toEqual([{ _id: id, name: 'loss', values: [0.5, 0.25] }]);
  });

  it('counts with $collStats (mongoose estimatedDocumentCount), 26 when missing', async () => {
    const [stats] = await coll('expr')
      .aggregate([{ $collStats: { count: {} } }, { $group: { _id: 1, n: { $sum: '$count' } } }])
      .toArray();
    expect(stats).toEqual({ _id: 1, n: 2 });
    await expect(
      coll('no_such_collection')
        .aggregate([{ $collStats: { count: {} } }])
        .toArray(),
    ).rejects.toMatchObject({ code: 26 });
  });
});

describe('replies and hello', () => {
  it('sends ok as a double and hello with a topologyVersion', async () => {
    const ping = await client.db('admin').command({ ping: 1 }, RAW);
    expect(ping.ok).toEqual(new Double(1));
    const hello = await client.db('admin').command({ hello: 1 });
    expect(hello.topologyVersion.processId).toBeInstanceOf(ObjectId);
    expect(typeof hello.topologyVersion.counter).toBe('number');
  });

  it('keeps the driver monitor on awaited (streaming) heartbeats', async () => {
    const watched = new MongoClient(server?.uri ?? process.env.ALTAR_TEST_MONGO_URI ?? '', {
      heartbeatFrequencyMS: 500,
      serverSelectionTimeoutMS: 5000,
    });
    const awaited = new Promise<void>((resolve) => {
      let count = 0;
      watched.on('serverHeartbeatSucceeded', (event) => {
        if (event.awaited && ++count === 2) resolve();
      });
    });
    await watched.connect();
    await awaited;
    expect(await watched.db(dbName).command({ ping: 1 })).toMatchObject({ ok: 1 });
    await watched.close();
  });
});

describe.skipIf(process.env.ALTAR_TEST_MONGO_URI)('awaitable hello on the wire', () => {
  it('streams exhaust replies flagged moreToCome, each answering the one before', async () => {
    const raw = await RawMongoClient.connect(server!.port);
    try {
      const first = await raw.command({ hello: 1, $db: 'admin' });
      const requestId = raw.sendMsg(
        {
          hello: 1,
          topologyVersion: first.topologyVersion,
          maxAwaitTimeMS: 20,
          $db: 'admin',
        },
        { exhaustAllowed: true },
      );
      const replies = [await raw.next(), await raw.next(), await raw.next()];
      expect(replies.every((reply) => reply.moreToCome)).toBe(true);
      expect(replies[0]?.responseTo).toBe(requestId);
      expect(replies[1]?.responseTo).toBe(replies[0]?.requestId);
      expect(replies[2]?.responseTo).toBe(replies[1]?.requestId);
      expect(replies[2]?.doc.topologyVersion).toEqual(first.topologyVersion);
    } finally {
      raw.close();
    }
  });

  it('holds the reply up to maxAwaitTimeMS while other connections are answered', async () => {
    const raw = await RawMongoClient.connect(server!.port);
    const other = await RawMongoClient.connect(server!.port);
    try {
      const first = await raw.command({ hello: 1, $db: 'admin' });
      raw.sendMsg({
        hello: 1,
        topologyVersion: first.topologyVersion,
        maxAwaitTimeMS: 1500,
        $db: 'admin',
      });
      expect((await other.command({ ping: 1, $db: 'admin' })).ok).toEqual(new Double(1));
      expect(raw.unread).toBe(0);
      const awaited = await raw.next();
      expect(awaited.doc.topologyVersion).toEqual(first.topologyVersion);
      expect(awaited.moreToCome).toBe(false);
    } finally {
      raw.close();
      other.close();
    }
  });

  it('holds the reply until the topology changes (a replica-set primary change)', async () => {
    const set = await startMongoTestServer({ replicaSet: { name: 'rs0', members: 2 } });
    const raw = await RawMongoClient.connect(set.port);
    const other = await RawMongoClient.connect(set.port);
    try {
      const first = await raw.command({ hello: 1, $db: 'admin' });
      raw.sendMsg({
        hello: 1,
        topologyVersion: first.topologyVersion,
        maxAwaitTimeMS: 600_000,
        $db: 'admin',
      });
      // Another connection is answered meanwhile; the awaiting one is not.
      expect((await other.command({ ping: 1, $db: 'admin' })).ok).toEqual(new Double(1));
      expect(raw.unread).toBe(0);
      set.replicaSet?.stepDown();
      const changed = await raw.next();
      expect(changed.doc.isWritablePrimary).toBe(false);
      expect(Number(changed.doc.topologyVersion.counter)).toBe(
        Number(first.topologyVersion.counter) + 1,
      );
    } finally {
      raw.close();
      other.close();
      await set.close();
    }
  });

  it('answers a hello with an old topologyVersion at once', async () => {
    const raw = await RawMongoClient.connect(server!.port);
    try {
      const reply = await raw.command({
        hello: 1,
        topologyVersion: { processId: new ObjectId(), counter: Long.fromNumber(0) },
        maxAwaitTimeMS: 600_000,
        $db: 'admin',
      });
      expect(reply.topologyVersion.processId._bsontype).toBe('ObjectId');
    } finally {
      raw.close();
    }
  });
});
