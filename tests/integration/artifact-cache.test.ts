// The artifact content cache through the core: MongoDB artifacts are cached on first view and
// then read from disk (also with the server gone), interrupted downloads leave nothing behind,
// "make available offline" fills the cache per run or per source, and clearing empties it.
import type { CommandStartedEvent } from 'mongodb';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import type { ArtifactRef, RunSummary } from '../../shared/contract';
import type { ArtifactDownloadProgress } from '../../shared/events';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import type { GeneratedSacredMongo } from '../support/sacred-mongo-generator';
import {
  NOW,
  cacheFolder,
  chunkReads,
  insertArtifactRun,
  patterned,
  readAll,
  rejection,
  removeTempDirs,
  spyOnCommands,
  tempDir,
  withClient,
} from './artifact-cache-support';

const DB = 'lab';
/** 300 chunks of 1 KiB: the download needs a getMore after the first batch of 101 chunks. */
const SPLIT_RUN = 500;
const split = patterned(300_000, 7);

/** A test server holding the generated runs and the split run; tests only read from it. */
async function startLabServer(): Promise<{
  server: MongoTestServer;
  generated: GeneratedSacredMongo;
}> {
  const server = await startMongoTestServer();
  const generated = await withClient(server.uri, async (client) => {
    const made = await generateSacredMongo(client.db(DB), { runs: 6, now: NOW, seed: 21 });
    await insertArtifactRun(client.db(DB), SPLIT_RUN, [
      { name: 'split.bin', content: split, chunkSizeBytes: 1024 },
    ]);
    return made;
  });
  return { server, generated };
}

// Every test has its own data dir, cache and core (made in beforeEach), so it counts only what
// it cached itself; the server's runs are shared and never written. The test that stops the
// server has a server of its own.
let server: MongoTestServer;
let generated: GeneratedSacredMongo;
let core: AltarCore;
let dataDir: string;
let spy: ReturnType<typeof spyOnCommands>;
const progress: ArtifactDownloadProgress[] = [];

async function openCore(): Promise<void> {
  progress.length = 0;
  spy = spyOnCommands();
  dataDir = tempDir('data');
  core = createAltarCore({ dataDir, door: 'direct', now: () => NOW });
  core.on('artifactDownloadProgress', (event) => progress.push(event));
  const profile = await core.saveProfile({ name: 'lab', uri: server.uri });
  await core.addMongoSource({ name: 'lab', profileId: profile.id, database: DB });
}

async function closeCore(): Promise<void> {
  spy?.restore();
  await core?.close();
}

const runById = async (id: string | number): Promise<RunSummary> => {
  const detail = await core.getRun({ source: 'lab', id: String(id) });
  return detail;
};
const artifactOf = async (runId: string | number, name: string): Promise<ArtifactRef> => {
  const ref = (await runById(runId)).artifacts.find((a) => a.name === name);
  expect(ref).toBeDefined();
  return ref as ArtifactRef;
};
const uploaded = (name: string): Buffer => {
  const file = generated.artifacts.find(
    (a) => a.runId === generated.variants?.artifactRunId && a.name === name,
  );
  expect(file).toBeDefined();
  return file?.content as Buffer;
};
const open = async (id: string, range?: { start: number; end: number }): Promise<Buffer> => {
  const stream = await core.openArtifact(id);
  expect(stream).not.toBeNull();
  return readAll(stream?.open(range) as Readable);
};

describe('the artifact content cache of a MongoDB source', () => {
  beforeAll(async () => {
    ({ server, generated } = await startLabServer());
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    removeTempDirs();
  });

  beforeEach(openCore, 60_000);
  afterEach(closeCore);

  it('caches an artifact on its first view; the second view reads no GridFS chunk', async () => {
    const artifactRun = generated.variants?.artifactRunId as number;
    const ref = await artifactOf(artifactRun, 'weights.bin');
    expect(ref.cached).toBe(false);

    const beforeFirst = spy.commands.length;
    expect((await open(ref.id)).equals(uploaded('weights.bin'))).toBe(true);
    expect(chunkReads(spy.commands, beforeFirst)).toBeGreaterThan(0);
    expect(cacheFolder(dataDir).files).toContain(ref.id);
    expect((await artifactOf(artifactRun, 'weights.bin')).cached).toBe(true);
    const listed = (await core.listRuns({ source: 'lab' })).runs.find(
      (run) => run.id === String(artifactRun),
    );
    expect(listed?.artifacts.find((a) => a.id === ref.id)?.cached).toBe(true);
    expect(listed?.artifacts.find((a) => a.name === 'notes.txt')?.cached).toBe(false);

    const beforeSecond = spy.commands.length;
    const stream = await core.openArtifact(ref.id);
    expect(stream?.size).toBe(600_000);
    expect(stream?.contentType).toBe('application/octet-stream');
    expect((await readAll(stream?.open() as Readable)).equals(uploaded('weights.bin'))).toBe(true);
    const part = await open(ref.id, { start: 261_000, end: 262_999 });
    expect(part.equals(uploaded('weights.bin').subarray(261_000, 263_000))).toBe(true);
    expect(chunkReads(spy.commands, beforeSecond)).toBe(0);
    expect(spy.commands.slice(beforeSecond).map((c: CommandStartedEvent) => c.commandName)).toEqual(
      [],
    );
  });

  it('does not cache a partial read (a byte range) of an uncached artifact', async () => {
    const ref = await artifactOf(generated.variants?.artifactRunId as number, 'notes.txt');
    const part = await open(ref.id, { start: 0, end: 4 });
    expect(part.toString()).toBe('train');
    expect(cacheFolder(dataDir).files).not.toContain(ref.id);
    expect(
      (await artifactOf(generated.variants?.artifactRunId as number, 'notes.txt')).cached,
    ).toBe(false);
  });

  it('keeps no partial file when the server drops the connection mid-download, and the next view works', async () => {
    const ref = await artifactOf(SPLIT_RUN, 'split.bin');
    const stream = await core.openArtifact(ref.id);
    expect(stream?.size).toBe(split.length);
    // The download's file lookup and first chunk batch are answered, the getMore is dropped.
    server.setFaults({ dropAfterReplies: 2 });
    const received: Buffer[] = [];
    const failure = await (async () => {
      try {
        for await (const chunk of stream?.open() as Readable) received.push(chunk as Buffer);
        return null;
      } catch (error) {
        return error;
      }
    })();
    server.setFaults({});
    expect(failure).toBeInstanceOf(Error);
    const got = Buffer.concat(received).length;
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(split.length);
    expect(cacheFolder(dataDir).files).not.toContain(ref.id);
    expect(cacheFolder(dataDir).incoming).toEqual([]);
    expect((await artifactOf(SPLIT_RUN, 'split.bin')).cached).toBe(false);

    expect((await open(ref.id)).equals(split)).toBe(true);
    expect(cacheFolder(dataDir).files).toContain(ref.id);
    const before = spy.commands.length;
    expect((await open(ref.id)).equals(split)).toBe(true);
    expect(chunkReads(spy.commands, before)).toBe(0);
  }, 30_000);

  it('keeps no partial file when the viewer stops reading early', async () => {
    const ref = await artifactOf(generated.variants?.artifactRunId as number, 'plot.png');
    const stream = (await core.openArtifact(ref.id))?.open() as Readable;
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.once('close', () => resolve());
      stream.once('data', () => stream.destroy());
    });
    expect(cacheFolder(dataDir).files).not.toContain(ref.id);
    expect(cacheFolder(dataDir).incoming).toEqual([]);
    expect((await open(ref.id)).equals(uploaded('plot.png'))).toBe(true);
    expect(cacheFolder(dataDir).files).toContain(ref.id);
  });

  it('makes one run’s artifacts available offline, with progress, and counts what it did', async () => {
    const { runs } = await core.listRuns({ source: 'lab' });
    const run = runs.find(
      (r) => r.artifacts.length > 0 && r.artifacts.every((a) => a.cached === false),
    ) as RunSummary;
    expect(run).toBeDefined();
    const sizes = run.artifacts.reduce((sum, a) => sum + (a.size ?? 0), 0);
    progress.length = 0;
    const summary = await core.makeArtifactsAvailableOffline({ source: 'lab', ids: [run.id] });
    expect(summary).toMatchObject({
      source: 'lab',
      runs: 1,
      artifacts: run.artifacts.length,
      downloaded: run.artifacts.length,
      alreadyAvailable: 0,
      skipped: 0,
      bytes: sizes,
      message: null,
    });
    expect(progress.at(-1)).toMatchObject({
      source: 'lab',
      phase: 'done',
      done: run.artifacts.length,
      total: run.artifacts.length,
      bytes: sizes,
      totalBytes: sizes,
    });
    expect(progress.map((p) => p.done)).toEqual(
      [...progress.map((p) => p.done)].sort((a, b) => a - b),
    );
    const after = await runById(run.id);
    expect(after.artifacts.every((a) => a.cached === true)).toBe(true);
    for (const ref of after.artifacts) expect(cacheFolder(dataDir).files).toContain(ref.id);

    const again = await core.makeArtifactsAvailableOffline({ source: 'lab', ids: [run.id] });
    expect(again).toMatchObject({
      downloaded: 0,
      alreadyAvailable: run.artifacts.length,
      bytes: 0,
    });
  });

  it('refuses unknown sources, unknown runs and malformed requests', async () => {
    expect((await rejection(core.makeArtifactsAvailableOffline({ source: 'nope' }))).code).toBe(
      'NOT_FOUND',
    );
    const missing = await rejection(
      core.makeArtifactsAvailableOffline({ source: 'lab', ids: ['does-not-exist'] }),
    );
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('does-not-exist');
    const bad = await rejection(
      core.makeArtifactsAvailableOffline({ source: 'lab', ids: 'all' } as never),
    );
    expect(bad.code).toBe('INVALID_ARGUMENT');
  });

  it('makes every artifact of the source available offline, and reports the cache size', async () => {
    const summary = await core.makeArtifactsAvailableOffline({ source: 'lab' });
    const { runs } = await core.listRuns({ source: 'lab' });
    const refs = runs.flatMap((run) => run.artifacts);
    expect(summary.artifacts).toBe(refs.length);
    expect(summary.downloaded + summary.alreadyAvailable + summary.skipped).toBe(refs.length);
    expect(summary.downloaded).toBeGreaterThan(0);
    const cached = refs.filter((ref) => ref.cached === true);
    expect(cached.length).toBe(summary.downloaded + summary.alreadyAvailable);
    // Only artifacts whose GridFS file is gone (size unknown) are left out.
    expect(refs.filter((ref) => ref.cached !== true).every((ref) => ref.size === null)).toBe(true);

    const info = await core.getArtifactCacheInfo({});
    expect(info.files).toBe(cached.length);
    expect(info.bytes).toBe(cached.reduce((sum, ref) => sum + (ref.size ?? 0), 0));
    expect(info.capBytes).toBe(2 * 1024 * 1024 * 1024);
    expect(info.directory).toBe(`${dataDir}/artifacts`);
    expect(info.cacheFile).toBe(`${dataDir}/cache.sqlite`);
    expect(cacheFolder(dataDir).files.sort()).toEqual(cached.map((ref) => ref.id).sort());
  });

  it('empties the cache on clearArtifactCache', async () => {
    await core.makeArtifactsAvailableOffline({ source: 'lab' });
    expect((await core.getArtifactCacheInfo({})).files).toBeGreaterThan(1);
    const cleared = await core.clearArtifactCache({});
    expect(cleared).toMatchObject({ bytes: 0, files: 0 });
    expect(cacheFolder(dataDir).files).toEqual([]);
    const { runs } = await core.listRuns({ source: 'lab' });
    expect(runs.flatMap((run) => run.artifacts).some((ref) => ref.cached === true)).toBe(false);
    // Still viewable online, and cached again by that view.
    const ref = await artifactOf(generated.variants?.artifactRunId as number, 'notes.txt');
    expect((await open(ref.id)).equals(uploaded('notes.txt'))).toBe(true);
    expect((await core.getArtifactCacheInfo({})).files).toBe(1);
  });
});

describe('the artifact content cache of a MongoDB source that goes away', () => {
  // This test stops the server, so it has its own.
  beforeEach(async () => {
    ({ server, generated } = await startLabServer());
    await openCore();
  }, 60_000);

  afterEach(async () => {
    await closeCore();
    await server?.close();
    removeTempDirs();
  });

  it('serves cached artifacts with the server gone, and says the others are not available offline', async () => {
    const artifactRun = String(generated.variants?.artifactRunId);
    await core.makeArtifactsAvailableOffline({ source: 'lab', ids: [artifactRun] });
    const cachedRefs = (await runById(artifactRun)).artifacts;
    const uncached = (await core.listRuns({ source: 'lab' })).runs
      .flatMap((run) => run.artifacts)
      .find((ref) => ref.cached === false && ref.size !== null) as ArtifactRef;
    expect(uncached).toBeDefined();

    await server.close();
    for (const ref of cachedRefs) {
      const stream = await core.openArtifact(ref.id);
      expect(stream?.size).toBe(ref.size);
      expect(stream?.contentType).toBe(ref.contentType ?? 'application/octet-stream');
      expect((await readAll(stream?.open() as Readable)).equals(uploaded(ref.name))).toBe(true);
    }
    const offline = await rejection(core.openArtifact(uncached.id));
    expect(offline.code).toBe('SOURCE_UNAVAILABLE');
    expect(offline.message).toContain('not available offline: the server is unreachable');
    expect(offline.message).toContain(uncached.name);

    const unreachable = await rejection(core.makeArtifactsAvailableOffline({ source: 'lab' }));
    expect(unreachable.code).toBe('SOURCE_UNAVAILABLE');
    expect(progress.at(-1)?.phase).toBe('failed');
  }, 60_000);
});

describe('the artifacts of a folder source', () => {
  it('are never copied: they are available offline where Sacred wrote them', async () => {
    const dataDir = tempDir('folder');
    const core = createAltarCore({ dataDir, door: 'direct' });
    try {
      await core.createDemo({ runs: 12 });
      const { runs } = await core.listRuns({ source: 'demo' });
      const refs = runs.flatMap((run) => run.artifacts);
      expect(refs.length).toBeGreaterThan(0);
      expect(refs.every((ref) => ref.cached === true)).toBe(true);
      const summary = await core.makeArtifactsAvailableOffline({ source: 'demo' });
      expect(summary).toMatchObject({
        runs: runs.length,
        artifacts: refs.length,
        downloaded: 0,
        alreadyAvailable: refs.length,
        bytes: 0,
      });
      const ref = refs[0] as ArtifactRef;
      expect((await readAll((await core.openArtifact(ref.id))?.open() as Readable)).length).toBe(
        ref.size,
      );
      expect(cacheFolder(dataDir).files).toEqual([]);
      expect(await core.getArtifactCacheInfo({})).toMatchObject({ bytes: 0, files: 0 });
    } finally {
      await core.close();
      removeTempDirs();
    }
  }, 60_000);
});
