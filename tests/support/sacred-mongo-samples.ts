// The real Sacred 0.8.7 MongoObserver documents of tests/fixtures/sacred-samples, loaded through
// the driver, plus odd run documents (SACRED_FORMAT.md §1, §4, §6) readers must survive.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EJSON } from 'bson';
import { Binary, Double, Int32, Long, ObjectId } from 'mongodb';
import type { Db, Document, MongoClient } from 'mongodb';
import { awkwardKeys, everyJsonpickleNode, junkBytes, SAMPLES_DIR } from './sacred-odd-folder-runs';

/** The samples hold bare NaN/Infinity like Python's json; EJSON needs them spelled out. */
export function loadMongoSample(file: string): unknown {
  const text = readFileSync(path.join(SAMPLES_DIR, file), 'utf8').replace(
    /(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/gu,
    '{"$numberDouble":"$1"}',
  );
  return EJSON.parse(text);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * The sample has `fs.files` but no `fs.chunks`: the content of each file is in the
 * FileStorage samples (same sources, same artifact), found here by md5.
 */
async function writeChunks(db: Db, files: Document[]): Promise<void> {
  const byMd5 = new Map<string, Buffer>();
  for (const file of filesUnder(SAMPLES_DIR)) {
    const content = readFileSync(file);
    byMd5.set(createHash('md5').update(content).digest('hex'), content);
  }
  const chunks: Document[] = [];
  for (const file of files) {
    const content = typeof file.md5 === 'string' ? byMd5.get(file.md5) : undefined;
    if (content === undefined) continue;
    chunks.push({ _id: new ObjectId(), files_id: file._id, n: 0, data: new Binary(content) });
  }
  if (chunks.length > 0) await db.collection('fs.chunks').insertMany(chunks);
}

/** Each sample in its own database (they all use `_id` 1); returns state → database name. */
export async function seedMongoSamples(
  client: MongoClient,
  prefix = 'sample_',
): Promise<Record<string, string>> {
  const databases: Record<string, string> = {};
  const completed = loadMongoSample('mongo_completed_extjson.json') as Record<string, Document[]>;
  const db = client.db(`${prefix}completed`);
  for (const [collection, docs] of Object.entries(completed)) {
    await db.collection(collection).insertMany(docs);
  }
  await writeChunks(db, completed['fs.files'] ?? []);
  databases.completed = db.databaseName;
  for (const kind of ['failed', 'interrupted', 'queued']) {
    const docs = loadMongoSample(`mongo_${kind}_extjson.json`) as Document[];
    const name = `${prefix}${kind}`;
    await client.db(name).collection('runs').insertMany(docs);
    databases[kind] = name;
  }
  return databases;
}

function toBson(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) < 2 ** 31
      ? new Int32(value)
      : new Double(value);
  }
  if (Array.isArray(value)) return value.map(toBson);
  if (value !== null && typeof value === 'object') {
    const out: Document = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: toBson(item), enumerable: true, writable: true });
    }
    return out;
  }
  return value;
}

/**
 * Run documents in `<db>.runs` that stretch the reader: every jsonpickle node, awkward keys
 * stored verbatim (MongoDB ≥ 5), a 3 MB captured_out, metrics of mixed BSON types, an
 * ObjectId `_id`, wrong field types. Returns the ids as the app shows them.
 */
export async function seedOddMongoRuns(db: Db, nowMs: number): Promise<string[]> {
  const start = new Date(nowMs - 3_600_000);
  const stop = new Date(nowMs - 3_000_000);
  const base = (id: unknown): Document => ({
    _id: id,
    format: 'MongoObserver-0.7.0',
    status: 'COMPLETED',
    command: 'main',
    experiment: { name: 'odd', base_dir: '/home/alice/exp', sources: [], dependencies: [] },
    host: { hostname: 'vm', os: ['Linux', 'Linux-6'], python_version: '3.11.2', ENV: {} },
    start_time: start,
    heartbeat: stop,
    stop_time: stop,
    config: { seed: new Int32(1) },
    meta: { command: 'main', options: {} },
    resources: [],
    artifacts: [],
    captured_out: '',
    info: {},
    result: null,
  });
  const metricId = new ObjectId();
  const objectIdRun = new ObjectId();
  const progress = Array.from(
    { length: 30_000 },
    (_v, i) => `\u001b[32mstep ${i}\u001b[0m ${'='.repeat(i % 50)}\r`,
  ).join('');
  const docs: Document[] = [
    {
      ...base(1),
      config: toBson({ ...everyJsonpickleNode(), seed: 1 }),
      info: toBson(everyJsonpickleNode()),
      result: toBson(everyJsonpickleNode()),
    },
    {
      ...base(2),
      config: toBson({ ...awkwardKeys(), seed: 2 }),
      info: toBson({
        ...awkwardKeys(),
        metrics: [{ name: 'mixed', id: metricId.toHexString() }],
      }),
      result: toBson(awkwardKeys()),
    },
    { ...base(3), captured_out: progress.repeat(4), status: 'RUNNING', stop_time: undefined },
    {
      ...base(4),
      status: 'FAILED',
      fail_trace: 'one string, not a list',
      experiment: 'not an object',
      host: 'old-box',
      meta: [1, 2],
      config: {
        nested: { bytes: new Binary(junkBytes(40)) },
        big: Long.fromString('9007199254740993'),
      },
      artifacts: [{ name: 'ghost.bin', file_id: new ObjectId() }, 'junk', null],
      resources: [['/home/alice/exp/data.csv', 'e5ebd4c02cefbe7955977c67ada242b7'], 7],
      captured_out: junkBytes(200).toString('latin1'),
      info: { metrics: 'not a list' },
      result: new Double(Number.NaN),
      start_time: 'not a date',
      heartbeat: null,
    },
    {
      ...base(objectIdRun),
      status: 'TIMEOUT',
      config: {},
      info: null,
      result: undefined,
      captured_out: new Int32(5),
    },
  ];
  for (const doc of docs) {
    for (const key of Object.keys(doc)) if (doc[key] === undefined) delete doc[key];
  }
  await db.collection('runs').insertMany(docs);
  await db.collection('metrics').insertOne({
    _id: metricId,
    run_id: new Int32(2),
    name: 'mixed',
    steps: [new Int32(0), new Double(1.5), Long.fromNumber(2), new Int32(2), new Int32(-1)],
    values: [new Int32(1), new Double(Number.NaN), null, true, new Double(Infinity)],
    timestamps: [start, start, stop, stop, stop],
  });
  return ['1', '2', '3', '4', objectIdRun.toHexString()];
}
