// Raw data in a backup (issue 17): `export --raw-data` writes the MinIO objects the runs name as
// DIR/raw_data/<bucket>/<key> (sizes told before), `import --raw-data --bucket B` puts them in
// another bucket and points the runs at it; an object missing from the storage is reported.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import type { BackupProgress } from '../../shared/backup-progress';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { S3_ACCESS_KEY, S3_SECRET, startS3TestServer } from '../support/s3-test-server';
import type { S3TestServer } from '../support/s3-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { rejection } from '../support/rejection';
import { REAL_MONGO_URI, withWriter } from './mongo-sync-support';

let mongo: MongoTestServer;
let s3: S3TestServer;
let core: AltarCore;
let root: string;
let s3Client: S3Client;
let runId: string;
/** key → bytes of the objects put on the storage (the other runs' objects are missing). */
const stored = new Map<string, Buffer>();
let missingKeys: string[] = [];

const storage = (source: string) =>
  core.saveStorageProfile({
    source,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    accessKeyId: S3_ACCESS_KEY,
    secretAccessKey: S3_SECRET,
    localRoots: [],
  });

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const answer = await s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}

describe.skipIf(REAL_MONGO_URI !== null)('raw data in backups', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'altar-backup-raw-'));
    mongo = await startMongoTestServer({
      users: [{ user: 'admin', password: 'admin-pw', roles: [{ role: 'readWrite', db: '*' }] }],
    });
    s3 = await startS3TestServer(['raw', 'restored', 'window']);
    const generated = await withWriter(
      mongoUriWithCredentials(mongo.uri, 'admin', 'admin-pw'),
      (client) => generateSacredMongo(client.db('lab'), { runs: 6, seed: 11 }),
    );
    const altarIds = generated.variants?.altarIds ?? [];
    expect(altarIds.length).toBeGreaterThan(0);
    runId = String(altarIds[0]);
    core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct' });
    const profile = await core.saveProfile({
      name: 'lab',
      uri: `mongodb://admin@127.0.0.1:${mongo.port}/?authSource=admin`,
      password: 'admin-pw',
    });
    await core.addMongoSource({ name: 'lab', profileId: profile.id, database: 'lab' });
    await core.addMongoSource({
      name: 'restored',
      profileId: profile.id,
      database: 'restored',
      allowEmpty: true,
    });
    await core.setSourceWrites({ source: 'restored', enabled: true });
    await core.addMongoSource({
      name: 'window',
      profileId: profile.id,
      database: 'window',
      allowEmpty: true,
    });
    await core.setSourceWrites({ source: 'window', enabled: true });
    await storage('lab');
    s3Client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    // The first Altar run's objects are on the storage, bytes that differ along the file;
    // every other run's objects are not (deleted by hand, a bucket moved...).
    for (const id of altarIds) {
      const rows = (await core.listRawData({ source: 'lab', id: String(id) })).rows;
      for (const row of rows) {
        if (row.kind !== 'minio' || row.key === null) continue;
        if (String(id) !== runId) {
          missingKeys.push(row.key);
          continue;
        }
        const bytes = Buffer.from(
          Array.from(
            { length: 70_000 + stored.size * 1000 },
            (_v, i) => (i * 7 + stored.size) & 0xff,
          ),
        );
        await s3Client.send(new PutObjectCommand({ Bucket: 'raw', Key: row.key, Body: bytes }));
        stored.set(row.key, bytes);
      }
    }
    missingKeys = missingKeys.filter((key) => !stored.has(key));
    expect(stored.size).toBeGreaterThan(0);
    expect(missingKeys.length).toBeGreaterThan(0);
  }, 120_000);

  afterAll(async () => {
    s3Client?.destroy();
    await core?.close();
    await Promise.all([mongo?.close(), s3?.close()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('exports the objects as files, restores them into another bucket and repoints the runs', async () => {
    const bytes = [...stored.values()].reduce((sum, b) => sum + b.length, 0);
    const estimate = await core.backup.estimateRawData({ source: 'lab' });
    expect({ objects: estimate.objects, bytes: estimate.bytes }).toEqual({
      objects: stored.size,
      bytes,
    });
    expect(estimate.missing).toHaveLength(missingKeys.length);

    const dir = join(root, 'dump');
    const phases: BackupProgress[] = [];
    const exported = await core.backup.exportSource(
      { source: 'lab', to: dir, rawData: true },
      { onProgress: (progress) => phases.push(progress) },
    );
    expect(exported.rawDataFiles).toBe(stored.size);
    expect(exported.rawDataBytes).toBe(bytes);
    for (const key of missingKeys) {
      expect(exported.omitted.some((line) => line.includes(`raw/${key}`))).toBe(true);
    }
    for (const [key, content] of stored) {
      expect(readFileSync(join(dir, 'raw_data', 'raw', ...key.split('/')))).toEqual(content);
    }
    const rawPhase = phases.filter((p) => p.phase === 'raw-data').at(-1);
    expect(rawPhase).toMatchObject({ done: stored.size, total: stored.size });
    expect(rawPhase?.bytesTotal).toBe(rawPhase?.bytesDone);

    await storage('restored');
    const imported = await core.backup.importDump({
      from: dir,
      to: 'restored',
      rawData: true,
      bucket: 'restored',
    });
    expect(imported.rawDataFiles).toBe(stored.size);
    for (const [key, content] of stored) {
      expect(await objectBytes('restored', key)).toEqual(content);
    }
    await core.syncSources({ names: ['restored'] });
    const rows = (await core.listRawData({ source: 'restored', id: runId })).rows.filter(
      (row) => row.kind === 'minio',
    );
    expect(rows.length).toBe(stored.size);
    expect(rows.every((row) => row.bucket === 'restored')).toBe(true);
    // The run's raw data opens from its new bucket.
    const link = await core.rawDataLink({ source: 'restored', id: runId, stem: rows[0]!.stem });
    const fetched = Buffer.from(await (await fetch(link.url)).arrayBuffer());
    expect(fetched).toEqual(stored.get(rows[0]!.key ?? ''));

    // Again: no run and no object twice.
    const again = await core.backup.importDump({
      from: dir,
      to: 'restored',
      rawData: true,
      bucket: 'restored',
    });
    expect(again.runsAdded).toBe(0);
    expect(again.runsPresent).toBe(imported.runsAdded);
  }, 300_000);

  it('does the same from the window: Back up… with raw data, Restore… offers and uploads it', async () => {
    const bytes = [...stored.values()].reduce((sum, b) => sum + b.length, 0);
    const dir = join(root, 'window-backup');
    const exported = await core.exportBackup({ source: 'lab', to: dir, rawData: true });
    expect(exported.rawDataFiles).toBe(stored.size);
    expect(exported.omitted.filter((line) => line.includes('raw'))).toHaveLength(
      missingKeys.length,
    );

    // Restore… reads the folder first: the raw data and its size are offered before starting.
    const contents = await core.inspectBackup({ from: dir });
    expect({ files: contents.rawDataFiles, bytes: contents.rawDataBytes }).toEqual({
      files: stored.size,
      bytes,
    });
    await storage('window');
    const restored = await core.importBackup({
      from: dir,
      to: 'window',
      rawData: true,
      bucket: 'window',
    });
    expect(restored.rawDataFiles).toBe(stored.size);
    expect(restored.runsWritten).toBeGreaterThan(0);
    for (const [key, content] of stored) {
      expect(await objectBytes('window', key)).toEqual(content);
    }
    const rows = (await core.listRawData({ source: 'window', id: runId })).rows.filter(
      (row) => row.kind === 'minio',
    );
    expect(rows.map((row) => row.bucket)).toEqual(rows.map(() => 'window'));
    expect(rows).toHaveLength(stored.size);
  }, 300_000);

  it('fails an export with raw data when the storage refuses the key, writing no object', async () => {
    await core.saveStorageProfile({
      source: 'lab',
      endpoint: s3.endpoint,
      region: 'us-east-1',
      accessKeyId: S3_ACCESS_KEY,
      secretAccessKey: 'not-the-secret',
      localRoots: [],
    });
    try {
      const error = await rejection(
        core.backup.exportSource({ source: 'lab', to: join(root, 'refused'), rawData: true }),
      );
      expect(error.message).not.toContain('not-the-secret');
      expect(error.message).toMatch(/secret|key|signature|denied|refused/iu);
    } finally {
      await storage('lab');
    }
  }, 120_000);
});
