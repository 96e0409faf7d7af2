// What a mongo source needs of the live server after its sync: GridFS artifacts and source
// files streamed through the core, a server that goes away (offline flag, SOURCE_UNAVAILABLE,
// a sync cut in the middle), and a user that holds only the `read` role.
import type { ObjectId } from 'mongodb';
import { GridFSBucket, MongoClient } from 'mongodb';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { syncMongoSource } from '../../main/core/mongo/sync-mongo-source';
import { methods } from '../../shared/contract';
import type { RunSummary } from '../../shared/contract';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import type { GeneratedSacredMongo } from '../support/sacred-mongo-generator';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import {
  REAL_MONGO_URI,
  RecordingConnections,
  addSourceRow,
  dropDatabase,
  freshDbName,
  openTestCache,
  startTestMongo,
  withWriter,
} from './mongo-sync-support';
import type { TestMongo } from './mongo-sync-support';
import { rejection } from '../support/rejection';

const NOW = Date.parse('2026-11-27T00:00:00Z');
const SAMPLES = join(__dirname, '..', 'fixtures', 'sacred-samples');
const dirs: string[] = [];

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `altar-mongo-${label}-`));
  dirs.push(dir);
  return dir;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('artifacts and source files from GridFS', () => {
  let mongo: TestMongo;
  let core: AltarCore;
  let generated: GeneratedSacredMongo;
  const database = freshDbName('live');

  beforeAll(async () => {
    mongo = await startTestMongo();
    generated = await withWriter(mongo.uri, (client) =>
      generateSacredMongo(client.db(database), { runs: 8, now: NOW, seed: 11 }),
    );
    core = createAltarCore({ dataDir: tempDir('data'), door: 'direct', now: () => NOW });
    const profile = await core.saveProfile({ name: 'lab', uri: mongo.uri });
    await core.addMongoSource({ name: 'lab', profileId: profile.id, database });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await dropDatabase(mongo.uri, database);
    await mongo?.close();
  });

  const artifactRun = async (): Promise<RunSummary> => {
    const { runs } = await core.listRuns({ source: 'lab' });
    const run = runs.find((r) => r.id === String(generated.variants?.artifactRunId));
    expect(run).toBeDefined();
    return run as RunSummary;
  };

  it('streams every artifact with the bytes, size and type that were uploaded', async () => {
    const run = await artifactRun();
    const uploaded = generated.artifacts.filter(
      (a) => a.runId === generated.variants?.artifactRunId,
    );
    expect(run.artifacts.map((a) => a.name)).toEqual(uploaded.map((a) => a.name));
    for (const ref of run.artifacts) {
      const expected = uploaded.find((a) => a.name === ref.name);
      const stream = await core.openArtifact(ref.id);
      expect(stream).not.toBeNull();
      expect(stream?.size).toBe(expected?.content.length);
      expect(stream?.contentType).toBe(expected?.contentType ?? 'application/octet-stream');
      const bytes = await readAll(stream?.open() as Readable);
      expect(bytes.equals(expected?.content as Buffer)).toBe(true);
    }
  });

  it('serves a byte range that spans two GridFS chunks (end inclusive)', async () => {
    const run = await artifactRun();
    const ref = run.artifacts.find((a) => a.name === 'weights.bin');
    const content = generated.artifacts.find((a) => a.name === 'weights.bin')?.content as Buffer;
    const stream = await core.openArtifact(ref?.id ?? '');
    const part = await readAll(stream?.open({ start: 261_000, end: 262_999 }) as Readable);
    expect(part.length).toBe(2000);
    expect(part.equals(content.subarray(261_000, 263_000))).toBe(true);
    const tail = await readAll(
      stream?.open({ start: content.length - 10, end: content.length - 1 }) as Readable,
    );
    expect(tail.equals(content.subarray(content.length - 10))).toBe(true);
  });

  it('answers null for an artifact id nobody knows', async () => {
    expect(await core.openArtifact('0'.repeat(32))).toBeNull();
  });

  it('reads a source file from GridFS, and says which one was never stored', async () => {
    const { runs } = await core.listRuns({ source: 'lab' });
    const withSources = [];
    for (const run of runs) {
      const detail = await core.getRun({ source: 'lab', id: run.id });
      if (detail.sourceFiles.length > 0) withSources.push(detail);
    }
    const detail = withSources[0];
    expect(detail?.sourceFiles[0]?.available).toBe(true);
    const name = detail?.sourceFiles[0]?.name ?? '';
    const file = await core.getSourceFile({ source: 'lab', id: detail?.id ?? '', name });
    expect(file.truncated).toBe(false);
    const stored = await withWriter(mongo.uri, async (client) => {
      const doc = await client
        .db(database)
        .collection('runs')
        .findOne({ _id: Number(detail?.id) as never });
      const pair = (doc?.experiment.sources as [string, ObjectId][]).find(([n]) => n === name);
      const bucket = new GridFSBucket(client.db(database));
      return (await readAll(bucket.openDownloadStream(pair?.[1] as ObjectId))).toString('utf8');
    });
    expect(file.text).toBe(stored);
    const missing = await rejection(
      core.getSourceFile({ source: 'lab', id: detail?.id ?? '', name: 'nope.py' }),
    );
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('lists runs in the same JSON shape as a folder source', async () => {
    const folder = join(tempDir('folder'), 'runs');
    cpSync(join(SAMPLES, 'filestorage_completed'), folder, { recursive: true });
    await core.addFolderSource({ name: 'disk', path: folder });
    await core.syncSources({ names: ['disk'] });
    const fromMongo = await core.listRuns({ source: 'lab' });
    const fromDisk = await core.listRuns({ source: 'disk' });
    expect(methods.listRuns.result.parse(fromMongo)).toBeTruthy();
    const keys = (value: object) => Object.keys(value).sort();
    const mongoRun = fromMongo.runs.find(
      (r) => r.metrics.length > 0 && r.artifacts.length > 0,
    ) as RunSummary;
    const diskRun = fromDisk.runs.find(
      (r) => r.metrics.length > 0 && r.artifacts.length > 0,
    ) as RunSummary;
    expect(keys(mongoRun)).toEqual(keys(diskRun));
    expect(keys(mongoRun.metrics[0] as object)).toEqual(keys(diskRun.metrics[0] as object));
    expect(keys(mongoRun.artifacts[0] as object)).toEqual(keys(diskRun.artifacts[0] as object));
    const sources = await core.listSources({});
    expect(keys(sources.find((s) => s.kind === 'mongo') as object)).toEqual(
      keys(sources.find((s) => s.kind === 'folder') as object),
    );
  });

  it('refuses a database without the runs collection, adding nothing', async () => {
    const [profile] = await core.listProfiles({});
    const error = await rejection(
      core.addMongoSource({
        name: 'other',
        profileId: profile?.id ?? '',
        database,
        prefix: 'nothing',
      }),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(`Database ${database} has no runs collection nothing_runs.`);
    const missingProfile = await rejection(
      core.addMongoSource({ name: 'other', profileId: 'ghost', database }),
    );
    expect(missingProfile.code).toBe('NOT_FOUND');
    expect((await core.listSources({})).map((s) => s.name)).not.toContain('other');
  });
});

describe.skipIf(REAL_MONGO_URI !== null)('a server that goes away', () => {
  let server: MongoTestServer;
  let core: AltarCore;
  let generated: GeneratedSacredMongo;
  let writerUri: string;
  const database = 'lab';
  const password = 'never-Shown-9';

  beforeAll(async () => {
    server = await startMongoTestServer({
      users: [{ user: 'admin', password, roles: [{ role: 'readWrite', db: '*' }] }],
    });
    writerUri = mongoUriWithCredentials(server.uri, 'admin', password);
    generated = await withWriter(writerUri, (client) =>
      generateSacredMongo(client.db(database), { runs: 6, now: NOW, seed: 12 }),
    );
    core = createAltarCore({ dataDir: tempDir('data'), door: 'direct', now: () => NOW });
    const profile = await core.saveProfile({
      name: 'lab',
      uri: `mongodb://admin@127.0.0.1:${server.port}/?authSource=admin`,
      password,
    });
    await core.addMongoSource({ name: 'lab', profileId: profile.id, database });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await server?.close();
  });

  it('keeps serving the cache, and says what is not cached, while the server drops every command', async () => {
    const { runs } = await core.listRuns({ source: 'lab' });
    const run = runs.find((r) => r.id === String(generated.variants?.artifactRunId)) as RunSummary;
    server.setFaults({ dropAfterReplies: 0 });
    try {
      const artifact = await rejection(core.openArtifact(run.artifacts[0]?.id ?? ''));
      expect(artifact.code).toBe('SOURCE_UNAVAILABLE');
      expect(artifact.message).toContain('not available offline: the server is unreachable');
      expect((await core.listRuns({ source: 'lab' })).total).toBe(generated.ids.length);
      const output = await core.getCapturedOutput({ source: 'lab', id: run.id });
      expect(output.text.length).toBeGreaterThan(0);

      const failure = await rejection(core.syncSources({ names: ['lab'] }));
      expect(['CONNECTION_FAILED', 'SOURCE_UNAVAILABLE', 'TIMEOUT']).toContain(failure.code);
      expect(failure.message).not.toContain(password);
      const [source] = await core.listSources({});
      expect(source).toMatchObject({ online: false, state: 'error', lastError: failure.message });
    } finally {
      server.setFaults({});
    }
    await core.syncSources({ names: ['lab'] });
    const [source] = await core.listSources({});
    expect(source).toMatchObject({ online: true, state: 'idle', lastError: null });
  }, 30_000);

  it('keeps the runs written before a connection dropped mid-sync, whole, and resumes', async () => {
    const big = 'cut';
    const total = await withWriter(writerUri, async (client) => {
      const made = await generateSacredMongo(client.db(big), {
        runs: 60,
        now: NOW,
        seed: 13,
        variants: false,
      });
      return made.ids.length;
    });
    const connections = new RecordingConnections(
      { p1: server.uri },
      { auth: { username: 'admin', password }, authSource: 'admin' },
    );
    const cache = openTestCache();
    try {
      addSourceRow(cache.store, 'cut', big);
      // Listing and the first batches answer, then every command is dropped.
      server.setFaults({ dropAfterReplies: 12 });
      const failure = await rejection(
        syncMongoSource({
          store: cache.store,
          source: 'cut',
          connections,
          fetchBatch: 10,
          now: () => NOW,
        }),
      );
      server.setFaults({});
      expect(['CONNECTION_FAILED', 'SOURCE_UNAVAILABLE']).toContain(failure.code);
      expect(failure.message).not.toContain(password);
      expect(cache.store.getSource('cut')?.last_error).toBe(failure.message);
      const kept = cache.store.countRuns('cut');
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(total);
      expect(cache.store.database.pragma('integrity_check', { simple: true })).toBe('ok');
      // Every run that is there is whole: each metric has all its points.
      const page = cache.store.listRuns('cut', null, 0);
      for (const metric of page.metrics) {
        expect(cache.store.getMetricPoints('cut', metric.run_id, metric.name)?.count).toBe(
          metric.count,
        );
      }
      const resumed = await syncMongoSource({
        store: cache.store,
        source: 'cut',
        connections,
        now: () => NOW,
      });
      expect(resumed.added).toBe(total - kept);
      expect(cache.store.countRuns('cut')).toBe(total);
      expect(cache.store.getSource('cut')?.last_error).toBeNull();
    } finally {
      server.setFaults({});
      await connections.close();
      cache.close();
    }
  }, 60_000);
});

describe.skipIf(REAL_MONGO_URI !== null)('a user with only the read role', () => {
  let server: MongoTestServer;
  let core: AltarCore;
  const readerPassword = 'reader-Only-42';

  beforeAll(async () => {
    server = await startMongoTestServer({
      users: [
        { user: 'admin', password: 'admin-Pw-1', roles: [{ role: 'readWrite', db: '*' }] },
        { user: 'reader', password: readerPassword, roles: [{ role: 'read', db: 'lab' }] },
      ],
    });
    const writerUri = mongoUriWithCredentials(server.uri, 'admin', 'admin-Pw-1');
    const client = new MongoClient(writerUri);
    try {
      await generateSacredMongo(client.db('lab'), { runs: 10, now: NOW, seed: 14 });
    } finally {
      await client.close();
    }
    core = createAltarCore({ dataDir: tempDir('data'), door: 'direct', now: () => NOW });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await server?.close();
  });

  it('adds, syncs, lists and streams everything', async () => {
    const uri = `mongodb://reader@127.0.0.1:${server.port}/?authSource=admin`;
    const profile = await core.saveProfile({ name: 'ro', uri, password: readerPassword });
    const added = await core.addMongoSource({ name: 'ro', profileId: profile.id, database: 'lab' });
    expect(added).toMatchObject({ kind: 'mongo', state: 'idle', lastError: null, online: true });
    expect(added.runCount).toBeGreaterThan(10);
    expect(added.location).not.toContain(readerPassword);
    const [summary] = await core.syncSources({ names: ['ro'] });
    expect(summary?.added).toBe(0);
    const { runs } = await core.listRuns({ source: 'ro' });
    const withArtifact = runs.find((r) => r.artifacts.length > 0) as RunSummary;
    const stream = await core.openArtifact(withArtifact.artifacts[0]?.id ?? '');
    expect((await readAll(stream?.open() as Readable)).length).toBe(stream?.size);
  });
});
