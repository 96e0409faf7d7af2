// Deleting MongoDB runs through the core (issue 15): what Omniboard deletes, nothing orphaned,
// a source file another run names kept, read-only sources refused, a run that changed since
// the confirmation asked again, and an unreachable server refused with nothing deleted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import {
  NOW,
  collectionsState,
  rejection,
  removeTempDirs,
  seedLab,
  tempDir,
  withDb,
} from './delete-runs-support';
import type { SeededLab } from './delete-runs-support';

let server: MongoTestServer;
const cores: AltarCore[] = [];
let dbCounter = 0;

beforeAll(async () => {
  server = await startMongoTestServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.close()));
  removeTempDirs();
});

/** A database of this test's own on the shared server, seeded, added as source "lab". */
async function openLab(options: { writes: boolean; uri?: string }) {
  const database = `lab${++dbCounter}_${process.pid}`;
  const uri = options.uri ?? server.uri;
  const seeded: SeededLab = await withDb(uri, database, seedLab);
  const core = createAltarCore({ dataDir: tempDir('data'), door: 'direct', now: () => NOW });
  cores.push(core);
  const profile = await core.saveProfile({ name: 'lab', uri });
  await core.addMongoSource({ name: 'lab', profileId: profile.id, database });
  if (options.writes) await core.setSourceWrites({ source: 'lab', enabled: true });
  const state = () => withDb(uri, database, collectionsState);
  return { core, database, seeded, state, uri };
}

const listedIds = async (core: AltarCore) =>
  (await core.listRuns({ source: 'lab' })).runs.map((run) => run.id).sort();

describe('deleting MongoDB runs', () => {
  it('previews and deletes a run, its metrics and files, keeping a source file another run names', async () => {
    const { core, seeded, state } = await openLab({ writes: true });
    expect(await listedIds(core)).toEqual(['1', '2', '3']);

    const preview = await core.previewDeleteRuns({ source: 'lab', ids: ['1'] });
    expect(preview).toMatchObject({
      action: 'delete',
      metricSeries: 2,
      metricPoints: 5,
      artifactFiles: 1,
      sourceFiles: 1,
      sharedSourceFilesKept: 1,
      refusal: null,
      missing: [],
    });
    expect(preview.message).toContain('5 metric points');
    expect(preview.message).toMatch(/MinIO is never deleted/u);

    const done = await core.deleteRuns({ source: 'lab', ids: ['1'], expected: preview.runs });
    expect(done.deleted).toEqual(['1']);

    const after = await state();
    expect(after.runIds).toEqual([2, 3]);
    expect(after.orphanMetrics).toBe(0);
    expect(after.orphanChunks).toBe(0);
    expect(after.filesWithoutChunks).toBe(0);
    expect(after.fileIds.has(seeded.artifact.toHexString())).toBe(false);
    expect(after.fileIds.has(seeded.ownSource.toHexString())).toBe(false);
    expect(after.fileIds.has(seeded.sharedSource.toHexString())).toBe(true);
    // The cache dropped it at once: no sync needed.
    expect(await listedIds(core)).toEqual(['2', '3']);
    expect((await rejection(core.getRun({ source: 'lab', id: '1' }))).code).toBe('NOT_FOUND');
  });

  it('deletes a source file shared only among the runs deleted together', async () => {
    const { core, seeded, state } = await openLab({ writes: true });
    const preview = await core.previewDeleteRuns({ source: 'lab', ids: ['1', '2'] });
    expect(preview).toMatchObject({ sourceFiles: 2, sharedSourceFilesKept: 0, metricPoints: 9 });
    await core.deleteRuns({ source: 'lab', ids: ['1', '2'], expected: preview.runs });
    const after = await state();
    expect(after.runIds).toEqual([3]);
    expect(after.fileIds.size).toBe(0);
    expect(after.orphanChunks).toBe(0);
    expect(after.orphanMetrics).toBe(0);
    expect(seeded.sharedSource).toBeDefined();
  });

  it('refuses a read-only source and deletes nothing', async () => {
    const { core, state } = await openLab({ writes: false });
    const preview = await core.previewDeleteRuns({ source: 'lab', ids: ['1'] });
    expect(preview.refusal).toMatch(/read-only/u);
    const error = await rejection(core.deleteRuns({ source: 'lab', ids: ['1'] }));
    expect(error.code).toBe('READ_ONLY');
    expect((await state()).runIds).toEqual([1, 2, 3]);
    expect(await listedIds(core)).toEqual(['1', '2', '3']);
  });

  it('asks again when the run changed on the server since it was shown', async () => {
    const { core, database, uri, state } = await openLab({ writes: true });
    const preview = await core.previewDeleteRuns({ source: 'lab', ids: ['3'] });
    // Someone restarted the run meanwhile.
    await withDb(uri, database, (db) =>
      db
        .collection('runs')
        .updateOne({ _id: 3 as never }, { $set: { status: 'RUNNING', heartbeat: new Date(NOW) } }),
    );
    const error = await rejection(
      core.deleteRuns({ source: 'lab', ids: ['3'], expected: preview.runs }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/run 3: its status is RUNNING now.*delete anyway/u);
    expect((await state()).runIds).toEqual([1, 2, 3]);
    expect(await listedIds(core)).toContain('3');

    // Shown again after a sync: the confirmation warns that the run is still running.
    await core.syncSources({ names: ['lab'] });
    const again = await core.previewDeleteRuns({ source: 'lab', ids: ['3'] });
    expect(again.message).toMatch(/1 run is still RUNNING/u);
    // "Delete anyway": the same call without what was shown.
    await core.deleteRuns({ source: 'lab', ids: ['3'] });
    expect((await state()).runIds).toEqual([1, 2]);
  });

  it('refuses while the server is unreachable and keeps the run cached', async () => {
    const own = await startMongoTestServer();
    let closed = false;
    try {
      const { core } = await openLab({ writes: true, uri: own.uri });
      const preview = await core.previewDeleteRuns({ source: 'lab', ids: ['2'] });
      await own.close();
      closed = true;
      const error = await rejection(
        core.deleteRuns({ source: 'lab', ids: ['2'], expected: preview.runs }),
      );
      expect(error.code).toBe('SOURCE_UNAVAILABLE');
      expect(error.message).toMatch(/nothing is deleted while it is offline/u);
      expect(await listedIds(core)).toEqual(['1', '2', '3']);
      const offline = await core.previewDeleteRuns({ source: 'lab', ids: ['2'] });
      expect(offline.refusal).toMatch(/cannot be reached/u);
      expect(offline.sourceFiles).toBeNull();
    } finally {
      if (!closed) await own.close();
    }
  });

  it('says which asked runs it does not know, and deletes none of them', async () => {
    const { core, state } = await openLab({ writes: true });
    const preview = await core.previewDeleteRuns({ source: 'lab', ids: ['2', '99'] });
    expect(preview.missing).toEqual(['99']);
    const error = await rejection(core.deleteRuns({ source: 'lab', ids: ['2', '99'] }));
    expect(error.code).toBe('NOT_FOUND');
    expect((await state()).runIds).toEqual([1, 2, 3]);
  });
});
