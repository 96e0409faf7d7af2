// What the "Send runs…" wizard sees of the folders before a send (issue 16): the sub-folders of
// a parent to tick, the first folder's files to map, and each mapped file read as the send will
// read it (a table's first rows, a parsed config, a bad CSV's problem), only for a source whose
// writes are on and never outside the folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { rejection } from '../support/rejection';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A core with a folder source "disk" (writes on unless asked) and a parent of two lab folders. */
async function setup(writes = true): Promise<{ core: AltarCore; parent: string }> {
  const root = mkdtempSync(join(tmpdir(), 'altar-send-files-'));
  const runs = join(root, 'runs');
  mkdirSync(runs);
  const core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct' });
  cleanups.push(async () => {
    await core.close();
    rmSync(root, { recursive: true, force: true });
  });
  await core.addFolderSource({ name: 'disk', path: runs });
  if (writes) await core.setSourceWrites({ source: 'disk', enabled: true });
  const parent = join(root, 'lab');
  for (const name of ['2023-04-17_mouse1', '2023-04-18_mouse2']) {
    const folder = join(parent, name);
    mkdirSync(join(folder, 'videos'), { recursive: true });
    writeFileSync(join(folder, 'config.yaml'), 'mouse: M12\nlaser:\n  power: 5\n');
    writeFileSync(join(folder, 'metrics.csv'), 'time;speed\n0.5;1.5\n1.0;NaN\n');
    writeFileSync(join(folder, 'videos', 'cam.mp4'), Buffer.from([0, 1, 2, 3]));
  }
  writeFileSync(join(parent, 'README.txt'), 'not a run');
  return { core, parent };
}

describe('listSendFolder', () => {
  it('lists a parent’s sub-folders, and a folder’s files in its sub-folders when recursive', async () => {
    const { core, parent } = await setup();
    const top = await core.listSendFolder({ source: 'disk', path: parent });
    expect(top.folders).toEqual(['2023-04-17_mouse1', '2023-04-18_mouse2']);
    expect(top.files).toEqual([{ path: 'README.txt', size: 9 }]);
    expect(top.parent).toBe(join(parent, '..'));

    const first = join(parent, '2023-04-17_mouse1');
    const shallow = await core.listSendFolder({ source: 'disk', path: first });
    expect(shallow.files.map((file) => file.path)).toEqual(['config.yaml', 'metrics.csv']);
    const deep = await core.listSendFolder({ source: 'disk', path: first, recursive: true });
    expect(deep.files).toContainEqual({ path: 'videos/cam.mp4', size: 4 });
    expect(deep.truncated).toBe(false);
  });

  it('refuses a relative path, a missing folder and a read-only source', async () => {
    const { core, parent } = await setup(false);
    expect(await rejection(core.listSendFolder({ source: 'disk', path: parent }))).toMatchObject({
      code: 'READ_ONLY',
    });
    await core.setSourceWrites({ source: 'disk', enabled: true });
    expect(await rejection(core.listSendFolder({ source: 'disk', path: 'lab' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(
      await rejection(core.listSendFolder({ source: 'disk', path: join(parent, 'nope') })),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('previewSendFile', () => {
  it('shows a metrics table’s rows and a YAML config parsed, flattened when asked', async () => {
    const { core, parent } = await setup();
    const folder = join(parent, '2023-04-17_mouse1');
    const metrics = await core.previewSendFile({
      source: 'disk',
      folder,
      file: 'metrics.csv',
      role: 'metrics',
    });
    expect(metrics.table).toEqual([
      ['time', 'speed'],
      [0.5, 1.5],
      [1, 'NaN'],
    ]);
    expect(metrics.tableRows).toBe(3);
    expect(metrics.problem).toBeNull();

    const config = await core.previewSendFile({
      source: 'disk',
      folder,
      file: 'config.yaml',
      role: 'config',
      flatten: true,
    });
    expect(config.parsed).toEqual({ mouse: 'M12', laser_power: 5 });
    expect(config.text).toContain('laser:');

    const video = await core.previewSendFile({
      source: 'disk',
      folder,
      file: 'videos/cam.mp4',
      role: 'other',
    });
    expect(video).toMatchObject({ size: 4, text: null, table: null, problem: null });
  });

  it('names the problem of a metrics table with text in a column, as the send would', async () => {
    const { core, parent } = await setup();
    const folder = join(parent, '2023-04-18_mouse2');
    writeFileSync(join(folder, 'metrics.csv'), 'time,speed\n0.5,fast\n');
    const preview = await core.previewSendFile({
      source: 'disk',
      folder,
      file: 'metrics.csv',
      role: 'metrics',
    });
    expect(preview.problem).toMatch(/row 2 of column "speed" is not a number/u);
    expect(preview.table).toEqual([
      ['time', 'speed'],
      [0.5, 'fast'],
    ]);
  });

  it('never reads outside the folder', async () => {
    const { core, parent } = await setup();
    const folder = join(parent, '2023-04-17_mouse1');
    expect(
      await rejection(
        core.previewSendFile({ source: 'disk', folder, file: '../README.txt', role: 'other' }),
      ),
    ).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(
      await rejection(
        core.previewSendFile({ source: 'disk', folder, file: 'gone.csv', role: 'metrics' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});
