import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanRunDirs } from '../../main/core/folder/scan-run-dirs';

// What the runs list shows for odd folders: the order of ids that compare equal as numbers,
// many runs at once, links inside a run, and folders that cannot be opened. Both ways of
// scanning (in this thread, and in a worker thread for big folders) must agree.

const IN_THREAD = { workerFrom: Infinity };
const IN_WORKER = { workerFrom: 0 };

describe('scanRunDirs on odd folders', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'altar-scan-edges-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function run(id: string, files: Record<string, string> = { 'run.json': '{}' }) {
    await mkdir(join(folder, id), { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, id, name), text);
  }

  const ids = async (options = IN_THREAD) =>
    (await scanRunDirs(folder, options)).map((entry) => entry.id);

  it('orders ids equal as numbers by their text, and custom names alphabetically', async () => {
    // Some names come before the digits in character order ("+", "("), and "10a" before "9":
    // the folder listing gives names in character order on some file systems, and numeric ids
    // must still come first.
    const given = [
      'zeta',
      '1',
      '01',
      'Beta',
      '001',
      'alpha',
      '2',
      '9a',
      '9',
      '10a',
      '+extra',
      '(copy)',
    ];
    for (const id of given) await run(id);
    const expected = [
      '001',
      '01',
      '1',
      '2',
      '9',
      '(copy)',
      '+extra',
      '10a',
      '9a',
      'Beta',
      'alpha',
      'zeta',
    ];
    expect(await ids(IN_THREAD)).toEqual(expected);
    expect(await ids(IN_WORKER)).toEqual(expected);
  });

  it('lists every one of many runs, in numeric order', async () => {
    const all = Array.from({ length: 40 }, (_, i) => String(40 - i));
    for (const id of all) await run(id);
    await run('notes', { 'todo.txt': 'x' });
    const expected = Array.from({ length: 40 }, (_, i) => String(i + 1));
    const inThread = await scanRunDirs(folder, IN_THREAD);
    expect(inThread.map((entry) => entry.id)).toEqual(expected);
    expect(inThread.every((entry) => entry.dir === join(folder, entry.id))).toBe(true);
    expect(await scanRunDirs(folder, IN_WORKER)).toEqual(inThread);
  });

  it('counts a link loop inside a run as part of it, and a dangling link as nothing', async () => {
    await run('1', { 'run.json': '{}' });
    await run('2', { 'run.json': '{}' });
    await run('3', { 'run.json': '{}' });
    const written = new Date(Date.UTC(2026, 0, 2));
    for (const id of ['1', '2', '3']) await utimes(join(folder, id, 'run.json'), written, written);
    await symlink(join(folder, '1', 'gone'), join(folder, '2', 'dangling.txt'));
    await symlink(join(folder, '3', 'loop.txt'), join(folder, '3', 'loop.txt'));
    for (const options of [IN_THREAD, IN_WORKER]) {
      const [one, two, three] = await scanRunDirs(folder, options);
      // 1 and 2 differ only by a dangling link: the same files (same size and mtime), so the
      // same fingerprint; 3 holds a link that cannot be followed, which is part of the run.
      expect(two?.fingerprint).toBe(one?.fingerprint);
      expect(three?.fingerprint).not.toBe(one?.fingerprint);
    }
  });

  it('names a folder path that runs through a file as not found', async () => {
    await writeFile(join(folder, 'file.txt'), 'x');
    const through = join(folder, 'file.txt', 'runs');
    await expect(scanRunDirs(through)).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: `Folder not found: ${through}`,
    });
    await expect(scanRunDirs(join(folder, 'file.txt'))).rejects.toMatchObject({
      message: `Folder not found: ${join(folder, 'file.txt')}`,
    });
  });

  it('says why a folder cannot be read when it exists but cannot be opened', async () => {
    const loop = join(folder, 'loop');
    await symlink(loop, loop);
    await expect(scanRunDirs(loop)).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: `Folder cannot be read: ${loop} (ELOOP)`,
    });
  });

  it('does not take a link to a file, or a dangling link, for a run', async () => {
    await run('1');
    await writeFile(join(folder, 'run.json'), '{}');
    await symlink(join(folder, 'run.json'), join(folder, '2'));
    await symlink(join(folder, 'gone'), join(folder, '3'));
    expect(await ids(IN_THREAD)).toEqual(['1']);
    expect(await ids(IN_WORKER)).toEqual(['1']);
  });
});
