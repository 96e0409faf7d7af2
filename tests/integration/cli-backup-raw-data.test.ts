// `altar-viewer export SOURCE --to DIR --raw-data` as a user types it (issue 17): the raw data's
// count and size printed before anything is written (--dry-run stops there), then the objects
// as DIR/raw_data/<bucket>/<key>, a missing one listed and not fatal.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { S3_ACCESS_KEY, S3_SECRET, startS3TestServer } from '../support/s3-test-server';
import type { S3TestServer } from '../support/s3-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let mongo: MongoTestServer;
let s3: S3TestServer;
let client: MongoClient;
let ws: Workspace;
/** The one object put on the storage; the runs name others that are missing. */
let key: string;
const bytes = Buffer.from(Array.from({ length: 50_000 }, (_v, i) => (i * 13) & 0xff));

const cli = (...args: string[]) =>
  runCli(['--data-dir', ws.dataDir, ...args], { ALTAR_S3_SECRET: S3_SECRET });

beforeAll(async () => {
  mongo = await startMongoTestServer();
  s3 = await startS3TestServer(['raw']);
  client = await new MongoClient(mongo.uri).connect();
  const generated = await generateSacredMongo(client.db('lab'), { runs: 4, seed: 5 });
  const altarId = generated.variants?.altarIds[0];
  const run = await client
    .db('lab')
    .collection('runs')
    .findOne({ _id: altarId as never });
  const minio = (run?.info as { dataFiles: { raw_data: { minio: Record<string, never> } } })
    .dataFiles.raw_data.minio;
  const [entry] = Object.values(minio) as { minio_folder: string; fileName: string }[];
  key = `${entry?.minio_folder ?? ''}/${entry?.fileName ?? ''}`;
  const s3Client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  await s3Client.send(new PutObjectCommand({ Bucket: 'raw', Key: key, Body: bytes }));
  s3Client.destroy();
  ws = workspace();
}, 60_000);

afterAll(async () => {
  await client?.close();
  await Promise.all([mongo?.close(), s3?.close()]);
  ws?.remove();
});

describe('altar-viewer export --raw-data', () => {
  it('tells the raw data size first, writes nothing on --dry-run, then the objects', async () => {
    const uri = mongo.uri.replace(/\/?(\?|$)/u, '/lab$1');
    expect((await cli('sources', 'add', 'lab', '--mongo', uri)).code).toBe(0);
    const storage = await cli(
      'storage',
      'set',
      'lab',
      '--endpoint',
      s3.endpoint,
      '--access-key',
      S3_ACCESS_KEY,
    );
    expect(storage.code).toBe(0);
    const dir = join(ws.root, 'backup');

    const dry = await cli('export', 'lab', '--to', dir, '--raw-data', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Raw data: 1 objects, 50.0 kB \(50000 bytes\)$/mu);
    expect(dry.stderr).toMatch(
      /Not included \(\d+\):\n {2}raw data raw\/.+ \(not on the storage\)/u,
    );
    expect(existsSync(dir)).toBe(false);

    const real = await cli('export', 'lab', '--to', dir, '--raw-data');
    expect(real.code).toBe(0);
    expect(real.stdout.indexOf('Raw data: 1 objects')).toBeLessThan(
      real.stdout.indexOf(`${join(dir, 'lab')}:`),
    );
    expect(real.stdout).toContain('raw_data: 1 files, 50000 bytes');
    expect(readFileSync(join(dir, 'raw_data', 'raw', ...key.split('/')))).toEqual(bytes);
    expect(real.stdout + real.stderr).not.toContain(S3_SECRET);

    const misuse = await cli('export', 'lab', '--to', dir, '--dry-run');
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toMatch(/--dry-run goes with --raw-data/u);
  }, 300_000);
});
