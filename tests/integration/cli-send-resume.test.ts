// `altar-viewer send` killed mid-upload, then `--resume`, as a user would live it: the CLI
// process is SIGKILLed while the S3 test server receives the video's second part. What had
// arrived before the kill is not sent again, nothing is stored twice, every byte is right.
import { spawn } from 'node:child_process';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hash7 } from '../../main/core/send/crockford-hash';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { S3_ACCESS_KEY, S3_SECRET, startS3TestServer } from '../support/s3-test-server';
import type { S3TestServer } from '../support/s3-test-server';
import { cliCommand } from '../support/cli-command';
import { expectNoStackTrace, repoRoot, runCli, workspace } from './cli-support';
import type { CliResult, Workspace } from './cli-support';
import { REAL_MONGO_URI } from './mongo-sync-support';

const NAME = 'killed_2024-09-10_11-12';
const PREFIX = `${hash7(NAME)}-20240910T111200`;
/** 20 MiB: three 8 MiB parts, so the kill lands in the middle of a multipart upload. */
const video = Buffer.from(
  Array.from({ length: 20 * 1024 * 1024 }, (_v, i) => (i * 13 + (i >> 12)) & 0xff),
);
const events = Buffer.from('lick 0.5\nlick 1.0\n');
const plot = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

let mongo: MongoTestServer;
let s3: S3TestServer;
let space: Workspace;
let client: MongoClient;
const env = { ALTAR_MONGO_PASSWORD: 'admin-pw', ALTAR_S3_SECRET: S3_SECRET };

function cli(args: string[]): Promise<CliResult> {
  return runCli(['--data-dir', space.dataDir, ...args], env);
}

function s3Client(): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET },
  });
}

async function objectKeys(): Promise<string[]> {
  const s3c = s3Client();
  try {
    const listed = await s3c.send(new ListObjectsV2Command({ Bucket: 'raw' }));
    return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
  } finally {
    s3c.destroy();
  }
}

describe.skipIf(REAL_MONGO_URI !== null)('altar-viewer send killed, then --resume', () => {
  beforeAll(async () => {
    mongo = await startMongoTestServer({
      users: [{ user: 'admin', password: 'admin-pw', roles: [{ role: 'readWrite', db: '*' }] }],
    });
    s3 = await startS3TestServer(['raw']);
    client = new MongoClient(mongoUriWithCredentials(mongo.uri, 'admin', 'admin-pw'));
    await client.connect();
    // A run Sacred wrote before: the source needs its runs collection, the sent run takes 42.
    await client
      .db('lab')
      .collection('runs')
      .insertOne({ _id: 41 as never, status: 'COMPLETED' });
    space = workspace();
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await Promise.all([mongo?.close(), s3?.close()]);
    space?.remove();
  });

  it('completes the same run, sending only what had not arrived', async () => {
    const uri = `mongodb://admin@127.0.0.1:${mongo.port}/lab?authSource=admin`;
    const added = await cli(['sources', 'add', 'lab', '--mongo', uri]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const storage = await cli([
      'storage',
      'set',
      'lab',
      '--endpoint',
      s3.endpoint,
      '--access-key',
      S3_ACCESS_KEY,
    ]);
    expect(storage.stderr).toBe('');
    expect((await cli(['sources', 'set', 'lab', '--writes', 'on'])).code).toBe(0);
    const folder = join(space.root, 'acq', NAME);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'metrics.csv'), 'time,speed\n0,1\n1,2\n');
    writeFileSync(join(folder, 'plot.png'), plot);
    writeFileSync(join(folder, 'events.txt'), events);
    writeFileSync(join(folder, 'video.mp4'), video);
    const send = [
      'send',
      folder,
      '--to',
      'lab',
      '--metrics',
      'metrics.csv',
      '--artifact',
      '*.png',
      '--raw-data',
      '*.txt',
      '--raw-data',
      '*.mp4',
      '--bucket',
      'raw',
    ];

    // Killed while the server receives the video's second part (events.txt has arrived).
    const sending = cliCommand(['--data-dir', space.dataDir, ...send]);
    const child = spawn(sending.command, sending.args, {
      cwd: repoRoot,
      env: { ...process.env, ALTAR_DEBUG: '', CI: '1', ...env },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    s3.intercept(({ method, url }) => {
      if (method !== 'PUT' || !url.includes('partNumber=2')) return null;
      child.kill('SIGKILL');
      return 500;
    });
    expect(await exited).toBe('SIGKILL');
    s3.intercept(null);
    const runs = client.db('lab').collection('runs');
    const killed = (await runs.findOne({ _id: 42 as never })) as Document;
    expect(killed.status).toBe('FAILED');
    expect((killed.fail_trace as string[]).join('')).toContain('did not finish');
    expect(Object.keys(killed.info.dataFiles.raw_data.minio)).toEqual(['events']);
    expect(await objectKeys()).toEqual([`events/${PREFIX}-events.txt`]);

    // Sending it plainly is refused and says how to go on; the dry run says what arrived.
    const refused = await cli(send);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--resume');
    expect(refused.stderr).toContain('--again');
    expect(expectNoStackTrace(refused.stderr)).toBe(true);
    const both = await cli([...send, '--resume', '--again']);
    expect(both.code).toBe(2);
    const dry = await cli([...send, '--resume', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)[0].failedEarlier).toMatchObject({
      id: '42',
      arrived: 1,
      total: 3,
    });

    const puts: string[] = [];
    s3.intercept(({ method, url }) => {
      if (method === 'PUT' || method === 'POST')
        puts.push(decodeURIComponent(url.split('?')[0] ?? ''));
      return null;
    });
    const resumed = await cli([...send, '--resume']);
    s3.intercept(null);
    expect(resumed.stderr).toContain('run 42 resumed: 1 file(s) had arrived');
    expect(resumed.stdout).toBe('42\n');
    expect(resumed.code).toBe(0);
    expect([...new Set(puts)]).toEqual([`/raw/video/${PREFIX}-video.mp4`]);

    const run = (await runs.findOne({ _id: 42 as never })) as Document;
    expect(await runs.countDocuments()).toBe(2);
    expect(run.status).toBe('COMPLETED');
    expect(run.start_time).toEqual(killed.start_time);
    expect(Object.keys(run.info.dataFiles.raw_data.minio).sort()).toEqual(['events', 'video']);
    const files = await client.db('lab').collection('fs.files').find({}).toArray();
    expect(files.map((file) => file.filename)).toEqual([`artifact://runs/42/${PREFIX}-plot.png`]);
    const metrics = await client.db('lab').collection('metrics').find({}).toArray();
    expect(metrics.map((metric) => metric.name).sort()).toEqual(['speed', 'time']);
    expect(await objectKeys()).toEqual([
      `events/${PREFIX}-events.txt`,
      `video/${PREFIX}-video.mp4`,
    ]);
    const s3c = s3Client();
    const read = async (key: string): Promise<Buffer> =>
      Buffer.from(
        await (
          await s3c.send(new GetObjectCommand({ Bucket: 'raw', Key: key }))
        ).Body!.transformToByteArray(),
      );
    expect((await read(`video/${PREFIX}-video.mp4`)).equals(video)).toBe(true);
    expect((await read(`events/${PREFIX}-events.txt`)).equals(events)).toBe(true);
    s3c.destroy();

    // Resumed again: nothing to do, exit 0; sent plainly: refused as sent already.
    const again = await cli([...send, '--resume']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('sent already (run 42)');
    const twice = await cli(send);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already sent');
  }, 240_000);
});
