// Raw data of Altar runs against a fake MinIO (s3rver behind a SigV4 check) and a MongoDB
// test server holding Altar uploads: storage profile with the secret kept out of the cache,
// the rows' availability, presigned links, clear errors, and the HTTP door's stream.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';
import { httpRoutes, rawDataPath } from '../../shared/client-api';
import type { RawDataRef } from '../../shared/client-api';
import type { RawDataRow } from '../../shared/contract';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { closedPort } from '../support/closed-port';
import { S3_ACCESS_KEY, S3_SECRET, startS3TestServer } from '../support/s3-test-server';
import type { S3TestServer } from '../support/s3-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { REAL_MONGO_URI, withWriter } from './mongo-sync-support';
import { rejection } from '../support/rejection';

const TOKEN = 'raw-data-test-token-0123456789';

let mongo: MongoTestServer;
let s3: S3TestServer;
let core: AltarCore;
let host: HttpHost;
let root: string;
let dataDir: string;
let localRoot: string;
let runId: string;
let plainRunId: string;
let video: RawDataRow;
/** Bytes that differ along the file, so a wrong range or a truncated copy shows. */
const videoBytes = Buffer.from(
  Array.from({ length: 300_000 }, (_v, i) => (i * 31 + (i >> 8)) & 0xff),
);
const notesText = 'local notes of the acquisition\n';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function get(route: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${host.port}${route}`, {
    headers: { Authorization: `Bearer ${TOKEN}`, ...headers },
  });
}

const ref = (kind: RawDataRef['kind'], stem: string): RawDataRef => ({
  kind,
  source: 'lab',
  id: runId,
  stem,
});

describe.skipIf(REAL_MONGO_URI !== null)('raw data of Altar runs', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'altar-raw-'));
    dataDir = join(root, 'data');
    localRoot = join(root, 'mnt');
    mongo = await startMongoTestServer({
      users: [{ user: 'admin', password: 'admin-pw', roles: [{ role: 'readWrite', db: '*' }] }],
    });
    s3 = await startS3TestServer(['raw']);
    const generated = await withWriter(
      mongoUriWithCredentials(mongo.uri, 'admin', 'admin-pw'),
      (client) => generateSacredMongo(client.db('lab'), { runs: 4, seed: 5 }),
    );
    const altarIds = generated.variants?.altarIds ?? [];
    runId = String(altarIds[0]);
    plainRunId = String(generated.ids.find((id) => typeof id === 'number' && id === 1));
    core = createAltarCore({ dataDir, door: 'direct' });
    const profile = await core.saveProfile({
      name: 'lab',
      uri: `mongodb://admin@127.0.0.1:${mongo.port}/?authSource=admin`,
      password: 'admin-pw',
    });
    await core.addMongoSource({ name: 'lab', profileId: profile.id, database: 'lab' });
    host = await startHttpHost(core, { rendererDir: join(root, 'no-ui'), token: TOKEN });
    // The object the run names, uploaded as the sender tool would.
    video = (await core.listRawData({ source: 'lab', id: runId })).rows[0] as RawDataRow;
    const upload = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    await upload.send(
      new PutObjectCommand({ Bucket: 'raw', Key: video.key ?? '', Body: videoBytes }),
    );
    upload.destroy();
    // The lab share, mounted here under another name: only "share/2023" survives.
    mkdirSync(join(localRoot, 'share', '2023'), { recursive: true });
    writeFileSync(join(localRoot, 'share', '2023', 'notes.txt'), notesText);
  }, 60_000);

  // Every test starts from the storage profile it needs, whatever ran before it.
  const configureStorage = () =>
    core.saveStorageProfile({
      source: 'lab',
      endpoint: s3.endpoint,
      region: 'us-east-1',
      accessKeyId: S3_ACCESS_KEY,
      secretAccessKey: S3_SECRET,
      localRoots: [localRoot],
    });
  const noStorage = () => core.removeStorageProfile({ source: 'lab' });

  afterAll(async () => {
    await host?.close();
    await core?.close();
    await Promise.all([mongo?.close(), s3?.close()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the raw data of an Altar run before any storage profile exists', async () => {
    await noStorage();
    const list = await core.listRawData({ source: 'lab', id: runId });
    expect(list.hasDataFiles).toBe(true);
    expect(list.storage).toBeNull();
    expect(await core.getStorageProfile({ source: 'lab' })).toBeNull();
    const [minio, local] = list.rows;
    expect(minio).toMatchObject({
      kind: 'minio',
      stem: 'video',
      type: 'video',
      size: '12.30 Mo',
      sizeBytes: Math.round(12.3 * 1024 * 1024),
      acquired: '2023-04-17 18:13:00',
      bucket: 'raw',
      contentType: 'image/tiff',
      availability: 'no-profile',
    });
    expect(minio?.key).toMatch(/^2023-04-17_18-13-00_sample\d+\/[0-9A-Z]{7}-20230417T181300-/u);
    expect(local).toMatchObject({
      kind: 'local',
      stem: 'notes',
      availability: 'missing',
      path: '\\\\labserver\\share\\2023\\notes.txt',
    });
    // A run that is not an Altar upload has no rows, and says so.
    const plain = await core.listRawData({ source: 'lab', id: plainRunId });
    expect(plain).toEqual({ rows: [], hasDataFiles: false, storage: null });
  });

  it('saves a storage profile without ever exposing or caching the secret', async () => {
    await noStorage();
    const saved = await core.saveStorageProfile({
      source: 'lab',
      endpoint: `${s3.endpoint}/ignored/path`,
      accessKeyId: S3_ACCESS_KEY,
      secretAccessKey: S3_SECRET,
      localRoots: [localRoot],
    });
    expect(saved).toMatchObject({
      source: 'lab',
      endpoint: s3.endpoint,
      tls: false,
      region: 'us-east-1',
      pathStyle: true,
      accessKeyId: S3_ACCESS_KEY,
      hasSecret: true,
      secretStorage: 'memory',
      localRoots: [localRoot],
    });
    const shown = await core.getStorageProfile({ source: 'lab' });
    expect(shown).toEqual(saved);
    expect(JSON.stringify(shown)).not.toContain(S3_SECRET);
    // Editing without a secret keeps the stored one.
    const edited = await core.saveStorageProfile({ source: 'lab', region: 'eu-west-3' });
    expect(edited).toMatchObject({ region: 'eu-west-3', hasSecret: true, endpoint: s3.endpoint });
    await core.saveStorageProfile({ source: 'lab', region: 'us-east-1' });

    const secretBytes = Buffer.from(S3_SECRET);
    for (const file of filesUnder(dataDir)) {
      expect(readFileSync(file).includes(secretBytes), file).toBe(false);
    }
  });

  it('marks MinIO rows ready and finds the local file under a local root', async () => {
    await configureStorage();
    const list = await core.listRawData({ source: 'lab', id: runId });
    expect(list.storage?.hasSecret).toBe(true);
    expect(list.rows.map((row) => [row.stem, row.availability])).toEqual([
      ['video', 'ready'],
      ['notes', 'found'],
    ]);
    expect(list.rows[1]?.path).toBe(join(localRoot, 'share', '2023', 'notes.txt'));
    expect(list.rows[1]?.searched).toEqual([]);
  });

  it('gives a presigned link that downloads the exact bytes, and refuses a tampered one', async () => {
    await configureStorage();
    const before = Date.now();
    const link = await core.rawDataLink({ source: 'lab', id: runId, stem: 'video' });
    const after = Date.now();
    expect(link.url.startsWith(`${s3.endpoint}/raw/`)).toBe(true);
    expect(link.url).toContain('X-Amz-Expires=900');
    // The link is said to be valid exactly as long as it is: 15 minutes from when it was made.
    const fifteenMinutes = 15 * 60 * 1000;
    expect(Date.parse(link.expiresAt)).toBeGreaterThanOrEqual(before + fifteenMinutes);
    expect(Date.parse(link.expiresAt)).toBeLessThanOrEqual(after + fifteenMinutes);
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(videoBytes)).toBe(true);

    const refusedBefore = s3.refused;
    const tampered = link.url.replace(/X-Amz-Expires=900/u, 'X-Amz-Expires=90000');
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('SignatureDoesNotMatch');
    expect(s3.refused).toBe(refusedBefore + 1);

    const download = await core.rawDataLink({
      source: 'lab',
      id: runId,
      stem: 'video',
      download: true,
    });
    const attached = await fetch(download.url);
    expect(attached.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[0-9A-Z]{7}-20230417T181300-video\.tiff"/u,
    );
    await attached.body?.cancel();

    expect(
      (await rejection(core.rawDataLink({ source: 'lab', id: runId, stem: 'notes' }))).code,
    ).toBe('NOT_FOUND');
  });

  it('checks the storage server and explains each failure', async () => {
    await configureStorage();
    const ok = await core.testStorageProfile({ source: 'lab' });
    // The bucket comes from the source's Altar runs.
    expect(ok).toMatchObject({ endpoint: s3.endpoint, bucket: 'raw', buckets: null });
    const listed = await core.testStorageProfile({ source: 'lab', bucket: undefined });
    expect(listed.bucket).toBe('raw');

    const wrongSecret = await rejection(
      core.testStorageProfile({ source: 'lab', secretAccessKey: 'not-the-secret-key' }),
    );
    expect(wrongSecret.code).toBe('AUTH_FAILED');
    expect(wrongSecret.message).toContain('the secret access key does not match');
    expect(wrongSecret.message).not.toContain('not-the-secret-key');

    const wrongKey = await rejection(
      core.testStorageProfile({ source: 'lab', accessKeyId: 'NOSUCHKEY' }),
    );
    expect(wrongKey.code).toBe('AUTH_FAILED');
    expect(wrongKey.message).toContain('access key id is unknown');

    const noBucket = await rejection(core.testStorageProfile({ source: 'lab', bucket: 'nope' }));
    expect(noBucket.code).toBe('NOT_FOUND');
    expect(noBucket.message).toBe(`Bucket "nope" does not exist on ${s3.endpoint}.`);

    const port = await closedPort();
    const refused = await rejection(
      core.testStorageProfile({ source: 'lab', endpoint: `http://127.0.0.1:${port}` }),
    );
    expect(refused.code).toBe('CONNECTION_FAILED');
    expect(refused.message).toBe(
      `Cannot reach the storage server at http://127.0.0.1:${port}: connection refused.`,
    );

    const badUrl = await rejection(core.testStorageProfile({ source: 'lab', endpoint: 'minio' }));
    expect(badUrl.code).toBe('INVALID_ARGUMENT');
  });

  it('streams MinIO and local raw data through the HTTP door, with Range', async () => {
    await configureStorage();
    const base = `${httpRoutes.rawData}${rawDataPath(ref('minio', 'video'))}`;
    const whole = await get(base);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/tiff');
    expect(whole.headers.get('content-length')).toBe(String(videoBytes.length));
    expect(whole.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await whole.arrayBuffer()).equals(videoBytes)).toBe(true);

    const part = await get(base, { Range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${videoBytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(videoBytes.subarray(1000, 2000))).toBe(
      true,
    );

    const download = await get(`${base}?download=1`, { Range: 'bytes=0-9' });
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/u);
    await download.body?.cancel();

    const local = await get(`${httpRoutes.rawData}${rawDataPath(ref('local', 'notes'))}`);
    expect(local.status).toBe(200);
    expect(local.headers.get('content-type')).toBe('text/plain');
    expect(await local.text()).toBe(notesText);

    const unknown = await get(`${httpRoutes.rawData}${rawDataPath(ref('minio', 'nope'))}`);
    expect(unknown.status).toBe(404);
    const malformed = await get(`${httpRoutes.rawData}minio/lab`);
    expect(malformed.status).toBe(404);
  });

  it('says why a stream is impossible: a file not here, a refused secret', async () => {
    await configureStorage();
    await core.saveStorageProfile({ source: 'lab', localRoots: [] });
    const missing = await get(`${httpRoutes.rawData}${rawDataPath(ref('local', 'notes'))}`);
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toContain('\\\\labserver\\share\\2023\\notes.txt');

    await core.saveStorageProfile({ source: 'lab', secretAccessKey: 'wrong-secret-value' });
    const refused = await get(`${httpRoutes.rawData}${rawDataPath(ref('minio', 'video'))}`);
    expect(refused.status).toBe(422);
    const refusal = (await refused.json()) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe('AUTH_FAILED');
    expect(refusal.error.message).not.toContain('wrong-secret-value');
    await core.saveStorageProfile({ source: 'lab', secretAccessKey: S3_SECRET });
  });

  it('forgets the profile and its secret on removal', async () => {
    await configureStorage();
    expect(await core.removeStorageProfile({ source: 'lab' })).toEqual({ removed: true });
    expect(await core.getStorageProfile({ source: 'lab' })).toBeNull();
    const list = await core.listRawData({ source: 'lab', id: runId });
    expect(list.rows[0]?.availability).toBe('no-profile');
    const noProfile = await rejection(
      core.rawDataLink({ source: 'lab', id: runId, stem: 'video' }),
    );
    expect(noProfile.code).toBe('INVALID_ARGUMENT');
    // A new profile without a secret does not inherit the old one.
    const again = await core.saveStorageProfile({
      source: 'lab',
      endpoint: s3.endpoint,
      accessKeyId: S3_ACCESS_KEY,
    });
    expect(again.hasSecret).toBe(false);
    expect((await core.listRawData({ source: 'lab', id: runId })).rows[0]?.availability).toBe(
      'no-secret',
    );
    const noSecret = await rejection(core.rawDataLink({ source: 'lab', id: runId, stem: 'video' }));
    expect(noSecret.code).toBe('PASSWORD_REQUIRED');
    expect((await core.removeStorageProfile({ source: 'lab' })).removed).toBe(true);
    expect((await core.removeStorageProfile({ source: 'lab' })).removed).toBe(false);
  });

  it('refuses bad profiles and unknown sources', async () => {
    await noStorage();
    const noKey = await rejection(
      core.saveStorageProfile({ source: 'lab', endpoint: 'http://127.0.0.1:9000' }),
    );
    expect(noKey.code).toBe('INVALID_ARGUMENT');
    const relative = await rejection(
      core.saveStorageProfile({ source: 'lab', localRoots: ['relative/dir'] }),
    );
    expect(relative.message).toContain('absolute');
    const scheme = await rejection(
      core.saveStorageProfile({ source: 'lab', endpoint: 'ftp://x', accessKeyId: 'k' }),
    );
    expect(scheme.code).toBe('INVALID_ARGUMENT');
    expect((await rejection(core.getStorageProfile({ source: 'nosuch' }))).code).toBe('NOT_FOUND');
    expect((await rejection(core.listRawData({ source: 'lab', id: '999999' }))).code).toBe(
      'NOT_FOUND',
    );
  });
});
