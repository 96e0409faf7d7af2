// `altar-viewer storage set/show` and `raw-data`, run as a user would (child processes): the
// secret comes from ALTAR_S3_SECRET, is never printed or written, and is asked again by every
// command that needs it.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RawDataRow } from '../../shared/contract';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { S3_ACCESS_KEY, S3_SECRET, startS3TestServer } from '../support/s3-test-server';
import type { S3TestServer } from '../support/s3-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { runCli, workspace } from './cli-support';
import type { CliResult, Workspace } from './cli-support';
import { REAL_MONGO_URI, withWriter } from './mongo-sync-support';

let mongo: MongoTestServer;
let s3: S3TestServer;
let space: Workspace;
let runId: string;
let localRoot: string;
const bytes = Buffer.from('raw video bytes \u0000\u0001\u0002 of the acquisition');

function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['--data-dir', space.dataDir, ...args], {
    ALTAR_MONGO_PASSWORD: '',
    ALTAR_S3_SECRET: '',
    ...env,
  });
}

function expectNoSecret(result: CliResult, secret = S3_SECRET): void {
  expect(result.stdout).not.toContain(secret);
  expect(result.stderr).not.toContain(secret);
}

/** Source "lab" on the test server, in the test's own data dir. */
async function addLab(): Promise<void> {
  const added = await cli(
    [
      'sources',
      'add',
      'lab',
      '--mongo',
      `mongodb://admin@127.0.0.1:${mongo.port}/lab?authSource=admin`,
    ],
    { ALTAR_MONGO_PASSWORD: 'admin-pw' },
  );
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
}

/** The storage profile of "lab": the S3 test server, and the test's own local root. */
async function saveProfile(): Promise<CliResult> {
  return cli(
    [
      'storage',
      'set',
      'lab',
      '--endpoint',
      s3.endpoint,
      '--access-key',
      S3_ACCESS_KEY,
      '--local-root',
      localRoot,
    ],
    { ALTAR_S3_SECRET: S3_SECRET },
  );
}

/** The run's raw data where the profile looks: the video in the bucket, the notes on disk. */
async function provideFiles(): Promise<void> {
  const listed = await cli(['raw-data', runId, '--source', 'lab', '--format', 'json']);
  expect(listed.code).toBe(0);
  const key = (JSON.parse(listed.stdout) as RawDataRow[])[0]?.key ?? '';
  const upload = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  await upload.send(new PutObjectCommand({ Bucket: 'raw', Key: key, Body: bytes }));
  upload.destroy();
  mkdirSync(join(localRoot, '2023'), { recursive: true });
  writeFileSync(join(localRoot, '2023', 'notes.txt'), 'notes\n');
}

// The servers and the generated runs are shared; every test has its own data dir and local
// root (beforeEach) and saves the profile or provides the files it needs itself. Several CLI
// starts per test: room for a slow machine.
describe.skipIf(REAL_MONGO_URI !== null)(
  'altar-viewer storage and raw-data',
  { timeout: 120_000 },
  () => {
    beforeAll(async () => {
      mongo = await startMongoTestServer({
        users: [{ user: 'admin', password: 'admin-pw', roles: [{ role: 'readWrite', db: '*' }] }],
      });
      s3 = await startS3TestServer(['raw']);
      const generated = await withWriter(
        mongoUriWithCredentials(mongo.uri, 'admin', 'admin-pw'),
        (client) => generateSacredMongo(client.db('lab'), { runs: 3, seed: 9 }),
      );
      runId = String(generated.variants?.altarIds[0]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([mongo?.close(), s3?.close()]);
    });

    beforeEach(async () => {
      space = workspace();
      localRoot = join(space.root, 'mnt');
      await addLab();
    }, 120_000);

    afterEach(() => space?.remove());

    it('lists raw data as not configured before a storage profile exists', async () => {
      const shown = await cli(['storage', 'show', 'lab']);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('Source "lab" has no storage profile.');
      const listed = await cli(['raw-data', runId, '--source', 'lab', '--format', 'json']);
      expect(listed.code).toBe(0);
      const rows = JSON.parse(listed.stdout) as RawDataRow[];
      expect(rows.map((row) => [row.stem, row.availability])).toEqual([
        ['video', 'no-profile'],
        ['notes', 'missing'],
      ]);
    });

    it('saves a profile, checks the server with ALTAR_S3_SECRET, and never shows the secret', async () => {
      const set = await saveProfile();
      expect(set.stderr).toBe('');
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('Saved the storage profile of "lab".');
      expect(set.stdout).toContain(`Checked ${s3.endpoint}: bucket "raw" is readable`);
      expectNoSecret(set);

      const shown = await cli(['storage', 'show', 'lab']);
      expect(shown.stdout).toContain(`Endpoint:    ${s3.endpoint}`);
      expect(shown.stdout).toContain(`Local roots: ${localRoot}`);
      // Another process: the secret stayed in the first one's memory.
      expect(shown.stdout).toContain('Secret key:  not stored');
      expectNoSecret(shown);
      for (const entry of readdirSync(space.dataDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const file = join(entry.parentPath, entry.name);
        expect(readFileSync(file).includes(Buffer.from(S3_SECRET)), file).toBe(false);
      }
    });

    it('lists the rows and prints a presigned link that downloads the file', async () => {
      await provideFiles();
      expect((await saveProfile()).code).toBe(0);
      const listed = await cli(['raw-data', runId, '--source', 'lab']);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(
        /^KIND\s+STEM\s+TYPE\s+SIZE\s+ACQUIRED\s+AVAILABILITY\s+WHERE/u,
      );
      expect(listed.stdout).toMatch(
        /minio\s+video\s+video\s+12\.30 Mo\s+2023-04-17 18:13:00\s+ready/u,
      );
      expect(listed.stdout).toContain(join(localRoot, '2023', 'notes.txt'));

      const link = await cli(['raw-data', runId, '--source', 'lab', '--link', 'video'], {
        ALTAR_S3_SECRET: S3_SECRET,
      });
      expect(link.code).toBe(0);
      const url = link.stdout.trim();
      expect(url.startsWith(`${s3.endpoint}/raw/`)).toBe(true);
      const response = await fetch(url);
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
      expect(response.headers.get('content-disposition')).toBeNull();

      // --download: the same bytes, saved under the file's name instead of shown.
      const download = await cli(
        ['raw-data', runId, '--source', 'lab', '--link', 'video', '--download'],
        { ALTAR_S3_SECRET: S3_SECRET },
      );
      expect(download.code, download.stderr).toBe(0);
      const attached = await fetch(download.stdout.trim());
      expect(attached.status).toBe(200);
      expect(attached.headers.get('content-disposition')).toMatch(
        /^attachment; filename="[^"]*video/u,
      );
      expect(Buffer.from(await attached.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('fails clearly without a secret, with a wrong one, and on bad usage', async () => {
      expect((await saveProfile()).code).toBe(0);
      const noSecret = await cli(['raw-data', runId, '--source', 'lab', '--link', 'video']);
      expect(noSecret.code).toBe(1);
      expect(noSecret.stderr).toContain('No secret access key is known for the storage of source');
      expect(noSecret.stderr).toContain('(set ALTAR_S3_SECRET or run in a terminal)');

      const wrong = 'Wrong-Secret-4242';
      const refused = await cli(
        ['storage', 'set', 'lab', '--endpoint', s3.endpoint, '--access-key', S3_ACCESS_KEY],
        { ALTAR_S3_SECRET: wrong },
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('the secret access key does not match');
      expectNoSecret(refused, wrong);

      const usage = await cli(['storage', 'set', 'lab']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain("'storage set' needs --endpoint and --access-key");
      const noSource = await cli(['raw-data', runId]);
      expect(noSource.code).toBe(2);
      const unknown = await cli(['raw-data', runId, '--source', 'nosuch']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('There is no source named "nosuch"');
    });
  },
);
