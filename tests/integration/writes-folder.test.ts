// Tags and notes of a Sacred run folder (issue 15): an `omniboard: {tags, notes}` member in the
// run's run.json, written atomically with every other byte of the file as Sacred wrote it, the
// cache showing it at once and reading it back at the next sync; a RUNNING run is refused.
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { rejection } from '../support/rejection';

const SAMPLE = join(import.meta.dirname, '../../../shared/sacred-samples/filestorage_completed');

/** Every file and folder under `dir`, made writable (the samples are read-only). */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(path);
    else chmodSync(path, 0o644);
  }
}

describe('tags and notes of a folder source', () => {
  let root: string;
  let folder: string;
  let core: AltarCore;
  /** run.json of each run as Sacred wrote it. */
  const original = new Map<string, string>();
  const runJson = (id: string): string => readFileSync(join(folder, id, 'run.json'), 'utf8');
  const ids = async (where: string): Promise<string[]> =>
    (await core.queryRuns({ sources: ['runs'], where, columns: [] })).rows.map((row) => row.id);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'altar-writes-folder-'));
    folder = join(root, 'runs');
    cpSync(SAMPLE, folder, { recursive: true });
    makeWritable(folder);
    // Three runs of the same sample: one finished with a NaN result, one with a comment and
    // config tags, one still RUNNING.
    for (const id of ['a', 'b', 'running'])
      cpSync(join(folder, 'myrun7'), join(folder, id), { recursive: true });
    const text = runJson('myrun7');
    writeFileSync(
      join(folder, 'a', 'run.json'),
      text.replace(/"result": [^,\n]+/u, '"result": NaN'),
    );
    writeFileSync(
      join(folder, 'b', 'run.json'),
      text
        .replace('"--comment": null', '"--comment": "sacred comment"')
        .replace('"meta": {', '"meta": {\n    "comment": "sacred comment",'),
    );
    writeFileSync(
      join(folder, 'b', 'config.json'),
      '{\n  "seed": 1,\n  "tags": ["from-config"]\n}',
    );
    writeFileSync(
      join(folder, 'running', 'run.json'),
      text.replace(/"status": "[A-Z]+"/u, '"status": "RUNNING"'),
    );
    for (const id of ['a', 'b', 'running']) original.set(id, runJson(id));
    core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct' });
    await core.addFolderSource({ name: 'runs', path: folder });
    await core.syncSources({ names: ['runs'] });
    expect(await core.setSourceWrites({ source: 'runs', enabled: true })).toEqual({
      source: 'runs',
      writable: true,
      userCanWrite: true,
      message: null,
    });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('adds an omniboard member to run.json and changes no other byte', async () => {
    const edit = await core.setTags({ source: 'runs', ids: ['a'], add: ['best', 'v2'] });
    expect(edit.runs).toEqual([
      { source: 'runs', id: 'a', tags: ['best', 'v2'], notes: '', state: 'saved' },
    ]);
    const before = original.get('a') ?? '';
    const closing = before.lastIndexOf('\n}');
    expect(runJson('a')).toBe(
      `${before.slice(0, closing)},\n  "omniboard": {\n    "tags": [\n      "best",\n      "v2"\n` +
        `    ]\n  }${before.slice(closing)}`,
    );
    // Its notes then go into the same member, replaced in place.
    await core.setNotes({ source: 'runs', id: 'a', notes: 'NaN result: rerun' });
    const after = runJson('a');
    expect(after.slice(0, closing)).toBe(before.slice(0, closing));
    expect(after).toContain('"result": NaN');
    expect(after.match(/"omniboard"/gu)).toHaveLength(1);
    expect(after.slice(closing)).toBe(
      `,\n  "omniboard": {\n    "tags": [\n      "best",\n      "v2"\n    ],\n` +
        `    "notes": "NaN result: rerun"\n  }${before.slice(closing)}`,
    );
    // Atomic: nothing but Sacred's files is left in the run folder.
    expect(readdirSync(join(folder, 'a')).sort()).toEqual(
      readdirSync(join(folder, 'myrun7')).sort(),
    );
  });

  it('shows the edit at once and reads it back from run.json at the next sync', async () => {
    await core.setTags({ source: 'runs', ids: ['b'], add: ['folder-tag'] });
    await core.setNotes({ source: 'runs', id: 'b', notes: 'replaces the sacred comment' });
    expect(await ids('tags has "folder-tag"')).toEqual(['b']);
    expect(await ids('"replaces the sacred"')).toEqual(['b']);
    expect(JSON.parse(runJson('b')).omniboard).toEqual({
      tags: ['from-config', 'folder-tag'],
      notes: 'replaces the sacred comment',
    });
    await core.syncSources({ names: ['runs'] });
    const run = await core.getRun({ source: 'runs', id: 'b' });
    expect(run).toMatchObject({
      tags: ['from-config', 'folder-tag'],
      comment: 'replaces the sacred comment',
    });
    expect(run.meta).toMatchObject({ comment: 'sacred comment' });
    // An emptied note stays empty: the Sacred comment does not come back.
    await core.setNotes({ source: 'runs', id: 'b', notes: '' });
    await core.syncSources({ names: ['runs'] });
    expect((await core.getRun({ source: 'runs', id: 'b' })).comment).toBeNull();
  });

  it('refuses a RUNNING run, whose run.json Sacred rewrites on every heartbeat', async () => {
    const refused = await rejection(core.setTags({ source: 'runs', ids: ['running'], add: ['x'] }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain('RUNNING');
    expect(runJson('running')).toBe(original.get('running'));
    expect((await core.getRun({ source: 'runs', id: 'running' })).tags).toEqual([]);
  });

  it('refuses writes while the source is read-only', async () => {
    await core.addFolderSource({ name: 'closed', path: folder });
    await core.syncSources({ names: ['closed'] });
    const refused = await rejection(core.setNotes({ source: 'closed', id: 'myrun7', notes: 'x' }));
    expect(refused.code).toBe('READ_ONLY');
    expect(runJson('myrun7')).not.toContain('omniboard');
  });
});
