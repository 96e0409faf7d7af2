// Deleting runs of a folder source (issue 15): the run folder moves to
// `<source>/.altar-trash/<id>-<time>/` (never erased), the trash is not listed as runs, Restore
// brings a run back when its id is free and refuses when it is taken, read-only sources are
// refused, and a run that changed on disk since it was shown is asked again.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { writeSyntheticRun } from './core-test-folder';
import { NOW, rejection, removeTempDirs, tempDir } from './delete-runs-support';

const cores: AltarCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.close()));
  removeTempDirs();
});

async function openRuns(options: { writes: boolean }) {
  const folder = tempDir('runs');
  for (const id of ['1', '2', '3']) writeSyntheticRun(folder, id, { points: 4 + Number(id) });
  const core = createAltarCore({ dataDir: tempDir('data'), door: 'direct', now: () => NOW });
  cores.push(core);
  await core.addFolderSource({ name: 'runs', path: folder });
  await core.syncSources({ names: ['runs'] });
  if (options.writes) await core.setSourceWrites({ source: 'runs', enabled: true });
  return { core, folder };
}

const listedIds = async (core: AltarCore) =>
  (await core.listRuns({ source: 'runs' })).runs.map((run) => run.id).sort();

describe('deleting runs of a folder source', () => {
  it('moves the run folder to the trash, which is never listed as runs, and restores it', async () => {
    const { core, folder } = await openRuns({ writes: true });
    const preview = await core.previewDeleteRuns({ source: 'runs', ids: ['2'] });
    expect(preview).toMatchObject({ action: 'trash', metricPoints: 6, metricSeries: 1 });
    expect(preview.message).toContain('.altar-trash');

    const done = await core.deleteRuns({ source: 'runs', ids: ['2'], expected: preview.runs });
    expect(done.deleted).toEqual(['2']);
    const trashId = done.trashed[0]?.trashId ?? '';
    expect(trashId).toMatch(/^2-20261204T120000000Z$/u);
    expect(existsSync(join(folder, '2'))).toBe(false);
    // Every file is still there, only moved.
    expect(readdirSync(join(folder, '.altar-trash', trashId)).sort()).toEqual([
      'config.json',
      'cout.txt',
      'metrics.json',
      'run.json',
    ]);
    expect(await listedIds(core)).toEqual(['1', '3']);
    // A sync does not find the trashed run again.
    await core.syncSources({ names: ['runs'] });
    expect(await listedIds(core)).toEqual(['1', '3']);

    const trash = await core.listTrash({ source: 'runs' });
    expect(trash.entries).toEqual([
      { trashId, runId: '2', deletedAt: '2026-12-04T12:00:00.000Z', idFree: true },
    ]);
    expect(await core.restoreRun({ source: 'runs', trashId })).toEqual({ id: '2' });
    expect(await listedIds(core)).toEqual(['1', '2', '3']);
    expect(readFileSync(join(folder, '2', 'cout.txt'), 'utf8')).toBe('output of 2\n');
    expect((await core.listTrash({ source: 'runs' })).entries).toEqual([]);
  });

  it('refuses to restore a run whose id was taken again meanwhile', async () => {
    const { core, folder } = await openRuns({ writes: true });
    const done = await core.deleteRuns({ source: 'runs', ids: ['3'] });
    const trashId = done.trashed[0]?.trashId ?? '';
    // Sacred started a new run 3 after the delete.
    writeSyntheticRun(folder, '3', { cout: 'the new run 3\n' });
    expect((await core.listTrash({ source: 'runs' })).entries[0]?.idFree).toBe(false);
    const error = await rejection(core.restoreRun({ source: 'runs', trashId }));
    expect(error.code).toBe('ALREADY_EXISTS');
    expect(error.message).toMatch(/run folder with that id exists/u);
    expect(readFileSync(join(folder, '3', 'cout.txt'), 'utf8')).toBe('the new run 3\n');
    expect(existsSync(join(folder, '.altar-trash', trashId, 'run.json'))).toBe(true);
  });

  it('refuses a read-only source and moves nothing', async () => {
    const { core, folder } = await openRuns({ writes: false });
    const error = await rejection(core.deleteRuns({ source: 'runs', ids: ['1'] }));
    expect(error.code).toBe('READ_ONLY');
    expect(existsSync(join(folder, '1', 'run.json'))).toBe(true);
    expect(existsSync(join(folder, '.altar-trash'))).toBe(false);
    expect(await listedIds(core)).toEqual(['1', '2', '3']);
  });

  it('asks again when the run changed on disk since it was shown', async () => {
    const { core, folder } = await openRuns({ writes: true });
    const preview = await core.previewDeleteRuns({ source: 'runs', ids: ['1'] });
    const runJson = join(folder, '1', 'run.json');
    const run = JSON.parse(readFileSync(runJson, 'utf8')) as Record<string, unknown>;
    writeFileSync(runJson, JSON.stringify({ ...run, heartbeat: '2026-01-01T00:20:00.000001' }));
    const error = await rejection(
      core.deleteRuns({ source: 'runs', ids: ['1'], expected: preview.runs }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/heartbeat/u);
    expect(existsSync(runJson)).toBe(true);
    await core.deleteRuns({ source: 'runs', ids: ['1'] });
    expect(existsSync(runJson)).toBe(false);
  });

  it('reads run.json as Python writes it (a NaN result) when checking what was shown', async () => {
    const { core, folder } = await openRuns({ writes: true });
    const runJson = join(folder, '1', 'run.json');
    writeFileSync(runJson, readFileSync(runJson, 'utf8').replace('"result": 1.5', '"result": NaN'));
    await core.syncSources({ names: ['runs'] });
    const preview = await core.previewDeleteRuns({ source: 'runs', ids: ['1'] });
    const done = await core.deleteRuns({ source: 'runs', ids: ['1'], expected: preview.runs });
    expect(done.deleted).toEqual(['1']);
  });

  it('refuses a trash id that points outside the trash', async () => {
    const { core } = await openRuns({ writes: true });
    const error = await rejection(core.restoreRun({ source: 'runs', trashId: '../1' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });
});
