// Runs written the way Sacred's MongoObserver writes them, with GridFS artifacts and source
// files (one of them shared with another run), for the delete tests; and the checks a lab
// would run on the collections afterwards.
import { GridFSBucket, MongoClient, ObjectId } from 'mongodb';
import type { Db } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export { rejection } from '../support/rejection';

export const NOW = Date.parse('2026-12-04T12:00:00Z');

const dirs: string[] = [];

export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `altar-delete-${label}-`));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function withDb<T>(uri: string, name: string, work: (db: Db) => Promise<T>) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    return await work(client.db(name));
  } finally {
    await client.close();
  }
}

async function upload(db: Db, name: string, content: Buffer): Promise<ObjectId> {
  const bucket = new GridFSBucket(db, { bucketName: 'fs', chunkSizeBytes: 16 });
  const stream = bucket.openUploadStream(name);
  await new Promise<void>((resolve, reject) => {
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    stream.end(content);
  });
  return stream.id;
}

export interface SeededLab {
  /** Run 1's artifact and its own source file: both go with run 1. */
  artifact: ObjectId;
  ownSource: ObjectId;
  /** Named by runs 1 and 2: kept while either is left. */
  sharedSource: ObjectId;
  /** Run 1 has two metrics of 3 and 2 points; run 2 one of 4; run 3 none. */
  metricDocs: Record<number, ObjectId[]>;
}

/** Three runs: 1 (metrics, an artifact, an own and a shared source), 2 (shared source), 3. */
export async function seedLab(db: Db): Promise<SeededLab> {
  const artifact = await upload(db, 'model.txt', Buffer.from('the weights of run one, in text'));
  const ownSource = await upload(db, 'exp/own.py', Buffer.from('print("only run 1")\n'));
  const sharedSource = await upload(db, 'exp/shared.py', Buffer.from('print("runs 1 and 2")\n'));
  const metric = (runId: number, name: string, n: number) => ({
    _id: new ObjectId(),
    run_id: runId,
    name,
    steps: Array.from({ length: n }, (_, i) => i),
    values: Array.from({ length: n }, (_, i) => i / 10),
    timestamps: Array.from({ length: n }, (_, i) => new Date(NOW - 60_000 + i * 1000)),
  });
  const metrics1 = [metric(1, 'loss', 3), metric(1, 'acc', 2)];
  const metrics2 = [metric(2, 'loss', 4)];
  const run = (id: number, sources: [string, ObjectId][], extra: Record<string, unknown>) => ({
    _id: id,
    experiment: { name: 'exp', base_dir: '/lab/exp', sources, dependencies: [] },
    format: 'MongoObserver-0.7.0',
    command: 'main',
    status: 'COMPLETED',
    start_time: new Date(NOW - 3_600_000),
    stop_time: new Date(NOW - 60_000),
    heartbeat: new Date(NOW - 60_000),
    host: { hostname: 'lab-pc' },
    config: { lr: id / 10, seed: id },
    meta: { command: 'main', options: {} },
    info: {},
    resources: [],
    artifacts: [],
    captured_out: `run ${id}\n`,
    result: null,
    ...extra,
  });
  await db.collection<{ _id: number }>('runs').insertMany([
    run(
      1,
      [
        ['own.py', ownSource],
        ['shared.py', sharedSource],
      ],
      {
        artifacts: [{ name: 'model.txt', file_id: artifact }],
        info: { metrics: metrics1.map((doc) => ({ id: doc._id.toHexString(), name: doc.name })) },
      },
    ),
    run(2, [['shared.py', sharedSource]], {
      info: { metrics: metrics2.map((doc) => ({ id: doc._id.toHexString(), name: doc.name })) },
    }),
    run(3, [], {}),
  ]);
  await db.collection('metrics').insertMany([...metrics1, ...metrics2]);
  return {
    artifact,
    ownSource,
    sharedSource,
    metricDocs: { 1: metrics1.map((doc) => doc._id), 2: metrics2.map((doc) => doc._id) },
  };
}

/** What is left: run ids, GridFS file ids (hex), and whether anything points at nothing. */
export async function collectionsState(db: Db) {
  const runs = await db.collection('runs').find({}).toArray();
  const metrics = await db.collection('metrics').find({}).toArray();
  const files = await db.collection('fs.files').find({}).toArray();
  const chunks = await db.collection('fs.chunks').find({}).toArray();
  const runIds = new Set(runs.map((run) => run._id as unknown as number));
  const fileIds = new Set(files.map((file) => (file._id as ObjectId).toHexString()));
  const chunkFileIds = new Set(chunks.map((chunk) => (chunk.files_id as ObjectId).toHexString()));
  return {
    runIds: [...runIds].sort(),
    fileIds,
    orphanMetrics: metrics.filter((doc) => !runIds.has(doc.run_id as number)).length,
    orphanChunks: chunks.filter((c) => !fileIds.has((c.files_id as ObjectId).toHexString())).length,
    /** Files whose chunks are gone (a reader would fail on them). */
    filesWithoutChunks: files.filter((f) => !chunkFileIds.has((f._id as ObjectId).toHexString()))
      .length,
  };
}
