// The MongoDB test server, exercised only through the official driver. Set
// ALTAR_TEST_MONGO_URI to run the same assertions against a real MongoDB.
import {
  Double,
  Long,
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  ObjectId,
} from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';

/** Tests store ints, strings and dates as _id, which the driver's default typing forbids. */
interface LooseDoc extends Document {
  _id?: number | string | boolean | Date | ObjectId;
}

let server: MongoTestServer | undefined;
let client: MongoClient;
let db: Db;
const dbName = `altar_mts_${process.pid}_${Date.now()}`;

let uri: string;

beforeAll(async () => {
  uri = process.env.ALTAR_TEST_MONGO_URI ?? '';
  if (!uri) {
    server = await startMongoTestServer();
    uri = server.uri;
  }
  client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, monitorCommands: true });
  await client.connect();
  db = client.db(dbName);
});

afterAll(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await client?.close();
  await server?.close();
});

const coll = (name: string): Collection<LooseDoc> => db.collection<LooseDoc>(name);

async function filled(name: string, count: number): Promise<Collection<LooseDoc>> {
  const collection = coll(name);
  await collection.insertMany(
    Array.from({ length: count }, (_, i) => ({ _id: i, n: i, parity: i % 2 ? 'odd' : 'even' })),
  );
  return collection;
}

describe('find and cursors', () => {
  it('pages through 1000 documents in batches of 10 with getMore', async () => {
    const collection = await filled('paged', 1000);
    const getMores: Document[] = [];
    const listener = (event: { commandName: string; command: Document }): void => {
      if (event.commandName === 'getMore') getMores.push(event.command);
    };
    client.on('commandStarted', listener);
    const docs = await collection.find({}).batchSize(10).toArray();
    client.off('commandStarted', listener);
    expect(docs.map((doc) => doc._id)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(getMores.length).toBeGreaterThanOrEqual(99);
    expect(getMores.every((command) => command.batchSize === 10)).toBe(true);
  });

  it('returns 101 documents in the default first batch', async () => {
    const replies: Document[] = [];
    const listener = (event: { commandName: string; reply: unknown }): void => {
      if (event.commandName === 'find') replies.push(event.reply as Document);
    };
    client.on('commandSucceeded', listener);
    const cursor = (await filled('paged_first', 200)).find({});
    await cursor.next();
    client.off('commandSucceeded', listener);
    expect(replies[0]?.cursor.firstBatch).toHaveLength(101);
    await cursor.close();
  });

  it('kills the server cursor when the driver cursor is closed', async () => {
    const cursor = (await filled('paged_kill', 50)).find({}).batchSize(10);
    await cursor.next();
    const id = cursor.id;
    expect(id && !id.isZero()).toBe(true);
    await cursor.close();
    await expect(db.command({ getMore: id, collection: 'paged' })).rejects.toMatchObject({
      code: 43,
    });
  });

  it('sorts, skips, limits and projects', async () => {
    const paged = await filled('paged_sorted', 1000);
    const docs = await paged
      .find(
        { n: { $gte: 10 } },
        { sort: { n: -1 }, skip: 5, limit: 3, projection: { n: 1, _id: 0 } },
      )
      .toArray();
    expect(docs).toEqual([{ n: 994 }, { n: 993 }, { n: 992 }]);
    const excluded = await paged.findOne({ _id: 7 }, { projection: { parity: 0 } });
    expect(excluded).toEqual({ _id: 7, n: 7 });
  });

  it('applies $slice projections the way Sacred readers page through arrays', async () => {
    const runs = coll('slices');
    await runs.insertOne({ _id: 1, name: 'loss', steps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    const page = await runs.findOne({ _id: 1 }, { projection: { steps: { $slice: [2, 3] } } });
    expect(page).toEqual({ _id: 1, name: 'loss', steps: [2, 3, 4] });
    const tail = await runs.findOne({ _id: 1 }, { projection: { steps: { $slice: -2 }, name: 1 } });
    expect(tail).toEqual({ _id: 1, name: 'loss', steps: [8, 9] });
    const beyond = await runs.findOne({ _id: 1 }, { projection: { steps: { $slice: [20, 5] } } });
    expect(beyond?.steps).toEqual([]);
  });

  it('sorts mixed _id types in BSON order: numbers < strings < ObjectId < booleans < dates', async () => {
    const mixed = coll('mixed');
    const oid = new ObjectId();
    const date = new Date('2024-01-02T03:04:05.678Z');
    await mixed.insertMany([
      { _id: 'b' },
      { _id: oid },
      { _id: 2 },
      { _id: date },
      { _id: 'a' },
      { _id: false },
      { _id: 1.5 },
    ]);
    const ids = (await mixed.find({}, { sort: { _id: 1 } }).toArray()).map((doc) => doc._id);
    expect(ids).toEqual([1.5, 2, 'a', 'b', oid, false, date]);
    const descending = await mixed.find({}, { sort: { _id: -1 }, limit: 2 }).toArray();
    expect(descending.map((doc) => doc._id)).toEqual([date, false]);
  });
});

describe('values round-trip', () => {
  it('keeps NaN, infinities, Int64 beyond 2^53, dates and nested values', async () => {
    const values = coll('values');
    const big = Long.fromString('9007199254740993');
    const when = new Date('2023-05-06T07:08:09.123Z');
    await values.insertOne({
      _id: 'v',
      nan: NaN,
      inf: Infinity,
      negInf: -Infinity,
      half: new Double(0.5),
      big,
      when,
      nested: { list: [1, 'two', { three: 3 }] },
    });
    const plain = await values.findOne({ _id: 'v' });
    expect(plain?.nan).toBeNaN();
    expect(plain?.inf).toBe(Infinity);
    expect(plain?.negInf).toBe(-Infinity);
    expect(plain?.half).toBe(0.5);
    expect(plain?.when).toEqual(when);
    expect(plain?.nested).toEqual({ list: [1, 'two', { three: 3 }] });
    const exact = await values.findOne({ _id: 'v' }, { useBigInt64: true });
    expect(exact?.big).toBe(9007199254740993n);
    expect(await values.countDocuments({ when: { $gt: new Date('2023-01-01') } })).toBe(1);
  });
});

describe('aggregate, count and distinct', () => {
  async function aggRuns(name: string): Promise<Collection<LooseDoc>> {
    const runs = coll(name);
    await runs.insertMany([
      { _id: 1, status: 'COMPLETED', steps: [1, 2, 3], score: 5 },
      { _id: 2, status: 'FAILED', steps: [1], score: 2 },
      { _id: 3, status: 'COMPLETED', steps: [], score: 9 },
    ]);
    return runs;
  }

  it('groups, projects array sizes, unwinds and counts', async () => {
    const runs = await aggRuns('agg');
    const grouped = await runs
      .aggregate([
        { $group: { _id: '$status', n: { $sum: 1 }, best: { $max: '$score' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(grouped).toEqual([
      { _id: 'COMPLETED', n: 2, best: 9 },
      { _id: 'FAILED', n: 1, best: 2 },
    ]);
    const sizes = await runs
      .aggregate([
        { $project: { count: { $size: '$steps' }, firstTwo: { $slice: ['$steps', 2] } } },
        { $sort: { count: -1 } },
      ])
      .toArray();
    expect(sizes).toEqual([
      { _id: 1, count: 3, firstTwo: [1, 2] },
      { _id: 2, count: 1, firstTwo: [1] },
      { _id: 3, count: 0, firstTwo: [] },
    ]);
    const unwound = await runs.aggregate([{ $unwind: '$steps' }, { $count: 'steps' }]).toArray();
    expect(unwound).toEqual([{ steps: 4 }]);
    const paged = await runs
      .aggregate([{ $sort: { _id: 1 } }, { $skip: 1 }, { $limit: 1 }, { $addFields: { x: 1 } }])
      .toArray();
    expect(paged).toEqual([{ _id: 2, status: 'FAILED', steps: [1], score: 2, x: 1 }]);
  });

  it('rejects an unknown pipeline stage with a server error', async () => {
    await expect(
      (await aggRuns('agg_unknown_stage')).aggregate([{ $nonsense: {} }]).toArray(),
    ).rejects.toBeInstanceOf(MongoServerError);
  });

  it('counts and lists distinct values', async () => {
    const runs = await aggRuns('agg_counts');
    expect(await runs.countDocuments({ status: 'COMPLETED' })).toBe(2);
    expect(await runs.countDocuments({}, { skip: 1, limit: 1 })).toBe(1);
    expect(await runs.estimatedDocumentCount()).toBe(3);
    expect(await coll('missing').countDocuments({})).toBe(0);
    expect(await runs.distinct('status')).toEqual(['COMPLETED', 'FAILED']);
    expect(await runs.distinct('steps', { _id: { $lte: 2 } })).toEqual([1, 2, 3]);
  });
});

describe('writes', () => {
  it('updates with $set and $push/$each, and upserts', async () => {
    const metrics = db.collection<{
      run_id: number;
      name: string;
      steps: number[];
      values: number[];
      done?: boolean;
    }>('metrics');
    const upserted = await metrics.updateOne(
      { run_id: 7, name: 'loss' },
      { $push: { steps: { $each: [0, 1] }, values: { $each: [0.9, 0.8] } } },
      { upsert: true },
    );
    expect(upserted.upsertedCount).toBe(1);
    const again = await metrics.updateOne(
      { run_id: 7, name: 'loss' },
      { $push: { steps: { $each: [2] }, values: { $each: [0.7] } }, $set: { done: true } },
      { upsert: true },
    );
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    const doc = await metrics.findOne({ run_id: 7 }, { projection: { _id: 0 } });
    expect(doc).toEqual({
      run_id: 7,
      name: 'loss',
      steps: [0, 1, 2],
      values: [0.9, 0.8, 0.7],
      done: true,
    });
    expect(upserted.upsertedId).toBeInstanceOf(ObjectId);
    const unchanged = await metrics.updateOne({ run_id: 7 }, { $set: { done: true } });
    expect(unchanged).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('updates many, replaces, finds-and-modifies and deletes', async () => {
    const items = await filled('items', 10);
    expect((await items.updateMany({ parity: 'odd' }, { $inc: { n: 100 } })).modifiedCount).toBe(5);
    expect(await items.countDocuments({ n: { $gte: 100 } })).toBe(5);
    await items.replaceOne({ _id: 0 }, { replaced: true });
    expect(await items.findOne({ _id: 0 })).toEqual({ _id: 0, replaced: true });
    const after = await items.findOneAndUpdate(
      { _id: 2 },
      { $set: { n: -2 } },
      { returnDocument: 'after' },
    );
    expect(after).toMatchObject({ _id: 2, n: -2 });
    expect((await items.deleteOne({ parity: 'even' })).deletedCount).toBe(1);
    expect((await items.deleteMany({ parity: 'odd' })).deletedCount).toBe(5);
    expect(await items.countDocuments({})).toBe(4);
    await expect(items.updateOne({ _id: 4 }, { $set: { _id: 99 } })).rejects.toMatchObject({
      code: 66,
    });
  });

  it('applies unacknowledged (w: 0) writes sent with moreToCome', async () => {
    const single = new MongoClient(uri, { maxPoolSize: 1, serverSelectionTimeoutMS: 5000 });
    try {
      const quiet = single.db(dbName).collection<LooseDoc>('quiet');
      const result = await quiet.insertOne({ _id: 'fire-and-forget' }, { writeConcern: { w: 0 } });
      expect(result.acknowledged).toBe(false);
      expect(await quiet.findOne({ _id: 'fire-and-forget' })).toEqual({ _id: 'fire-and-forget' });
    } finally {
      await single.close();
    }
  });

  it('refuses a duplicate _id with E11000 (code 11000)', async () => {
    const unique = coll('unique');
    await unique.insertOne({ _id: 'same' } as Document);
    const single = await unique.insertOne({ _id: 'same' } as Document).catch((e: unknown) => e);
    expect(single).toBeInstanceOf(MongoServerError);
    expect((single as MongoServerError).code).toBe(11000);
    expect((single as MongoServerError).message).toMatch(/E11000 duplicate key error/u);
    const many = await unique
      .insertMany([{ _id: 'x' }, { _id: 'same' }, { _id: 'y' }])
      .catch((e: unknown) => e);
    expect(many).toBeInstanceOf(MongoBulkWriteError);
    expect((many as MongoBulkWriteError).code).toBe(11000);
    expect((many as MongoBulkWriteError).insertedCount).toBe(1);
    expect(await unique.countDocuments({})).toBe(2);
  });

  it('enforces unique indexes created through createIndexes', async () => {
    const named = coll('named');
    await named.createIndex({ name: 1 }, { unique: true });
    await named.insertOne({ name: 'a' });
    await expect(named.insertOne({ name: 'a' })).rejects.toMatchObject({ code: 11000 });
    const indexes = await named.listIndexes().toArray();
    expect(indexes.map((index) => index.name).sort()).toEqual(['_id_', 'name_1']);
  });
});

describe('catalog', () => {
  it('lists databases and collections, with nameOnly and filters', async () => {
    await db.createCollection('alpha');
    await coll('beta').insertOne({ b: 1 });
    const all = await db.listCollections({}, { nameOnly: true }).toArray();
    expect(all.map((c) => c.name)).toEqual(expect.arrayContaining(['alpha', 'beta']));
    const filtered = await db.listCollections({ name: 'alpha' }).toArray();
    expect(filtered).toHaveLength(1);
    expect(filtered[0]).toMatchObject({ name: 'alpha', type: 'collection' });
    const databases = await client.db('admin').admin().listDatabases();
    expect(databases.databases.map((d) => d.name)).toContain(dbName);
    const namesOnly = await client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(namesOnly.databases.find((d) => d.name === dbName)).toEqual({ name: dbName });
  });

  it('answers ping and buildInfo', async () => {
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    const info = await client.db('admin').command({ buildInfo: 1 });
    expect(typeof info.version).toBe('string');
  });

  it('rejects an unknown command with CommandNotFound', async () => {
    await expect(db.command({ noSuchCommand: 1 })).rejects.toMatchObject({ code: 59 });
  });
});
