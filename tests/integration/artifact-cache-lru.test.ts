// Least-recently-used eviction of the artifact cache, with a cap far below the 64 MiB that
// updateSettings accepts: the test writes it into the settings table like a hand edit would.
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import type { ArtifactRef } from '../../shared/contract';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import {
  NOW,
  cacheFolder,
  insertArtifactRun,
  patterned,
  readAll,
  removeTempDirs,
  tempDir,
  withClient,
} from './artifact-cache-support';

const FILE_BYTES = 100_000;
const CAP = 250_000;
const files = ['a', 'b', 'c', 'd', 'e'].map((name, n) => ({
  name: `${name}.bin`,
  content: patterned(FILE_BYTES, n + 1),
}));

describe('least-recently-used eviction of the artifact cache', () => {
  let server: MongoTestServer;
  let core: AltarCore;
  let dataDir: string;
  let clock = NOW;
  let refs: Map<string, ArtifactRef>;
  let profileId: string;

  beforeAll(async () => {
    server = await startMongoTestServer();
    await withClient(server.uri, async (client) => {
      await insertArtifactRun(client.db('lab'), 1, files);
      await insertArtifactRun(client.db('lab'), 2, [
        { name: 'other.bin', content: patterned(FILE_BYTES, 9) },
      ]);
    });
    dataDir = tempDir('lru');
    const setup = createAltarCore({ dataDir, door: 'direct' });
    await setup.close();
    const store = CacheStore.open(join(dataDir, 'cache.sqlite'));
    store.database
      .prepare(`INSERT INTO settings (key, value) VALUES ('artifactCacheBytes', ?)`)
      .run(String(CAP));
    store.close();
    // Each call to the clock is a moment later, so every view has its own time.
    core = createAltarCore({ dataDir, door: 'direct', now: () => (clock += 1000) });
    const profile = await core.saveProfile({ name: 'lab', uri: server.uri });
    profileId = profile.id;
    await core.addMongoSource({ name: 'lab', profileId: profile.id, database: 'lab' });
    const run = await core.getRun({ source: 'lab', id: '1' });
    refs = new Map(run.artifacts.map((ref) => [ref.name, ref]));
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await server?.close();
    removeTempDirs();
  });

  const view = async (name: string): Promise<void> => {
    const ref = refs.get(name) as ArtifactRef;
    const stream = await core.openArtifact(ref.id);
    const bytes = await readAll(stream?.open() as Readable);
    expect(bytes.equals(files.find((f) => f.name === name)?.content as Buffer)).toBe(true);
  };
  const cachedNames = async (): Promise<string[]> =>
    (await core.getRun({ source: 'lab', id: '1' })).artifacts
      .filter((ref) => ref.cached === true)
      .map((ref) => ref.name)
      .sort();

  it('reads the cap from the settings', async () => {
    expect((await core.getSettings({})).artifactCacheBytes).toBe(CAP);
    expect((await core.getArtifactCacheInfo({})).capBytes).toBe(CAP);
  });

  it('evicts the least recently used files and stays under the cap', async () => {
    await core.clearArtifactCache({});
    await view('a.bin');
    await view('b.bin');
    expect(await cachedNames()).toEqual(['a.bin', 'b.bin']);
    await view('a.bin'); // a is now more recent than b
    await view('c.bin');
    expect(await cachedNames()).toEqual(['a.bin', 'c.bin']);
    await view('d.bin');
    expect(await cachedNames()).toEqual(['c.bin', 'd.bin']);
    const info = await core.getArtifactCacheInfo({});
    expect(info).toMatchObject({ files: 2, bytes: 2 * FILE_BYTES });
    expect(info.bytes).toBeLessThanOrEqual(CAP);
    const onDisk = cacheFolder(dataDir).files.sort();
    expect(onDisk).toEqual([refs.get('c.bin')?.id, refs.get('d.bin')?.id].sort());
  });

  it('downloads for offline use only what fits, without evicting its own files', async () => {
    await core.clearArtifactCache({});
    const summary = await core.makeArtifactsAvailableOffline({ source: 'lab', ids: ['1'] });
    expect(summary).toMatchObject({
      artifacts: 5,
      downloaded: 2,
      skipped: 3,
      bytes: 2 * FILE_BYTES,
    });
    expect(summary.message).toContain('full');
    expect(await cachedNames()).toEqual(['a.bin', 'b.bin']);
    expect((await core.getArtifactCacheInfo({})).bytes).toBeLessThanOrEqual(CAP);
  });

  it('drops the cached files of a removed source', async () => {
    // A source of its own on the same database: removing it leaves "lab" to the other tests.
    await core.addMongoSource({ name: 'gone', profileId, database: 'lab' });
    const one = (await core.getRun({ source: 'gone', id: '1' })).artifacts[0] as ArtifactRef;
    const two = (await core.getRun({ source: 'gone', id: '2' })).artifacts[0] as ArtifactRef;
    await core.clearArtifactCache({});
    await readAll((await core.openArtifact(one.id))?.open() as Readable);
    await readAll((await core.openArtifact(two.id))?.open() as Readable);
    expect((await core.getArtifactCacheInfo({})).files).toBe(2);
    await core.removeSource({ name: 'gone' });
    expect(await core.getArtifactCacheInfo({})).toMatchObject({ files: 0, bytes: 0 });
    expect(cacheFolder(dataDir).files).toEqual([]);
  });
});
