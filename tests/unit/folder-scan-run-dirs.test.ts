import { appendFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanRunDirs } from '../../main/core/folder/scan-run-dirs';
import { AltarError } from '../../shared/errors';

describe('scanRunDirs', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'altar-scan-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function run(id: string, files: Record<string, string> = { 'run.json': '{}' }) {
    await mkdir(join(folder, id), { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, id, name), text);
  }

  it('lists run dirs with numeric ids in numeric order, then custom names', async () => {
    for (const id of ['10', '2', 'myrun7', '1', 'alpha', '100']) await run(id);
    const ids = (await scanRunDirs(folder)).map((entry) => entry.id);
    expect(ids).toEqual(['1', '2', '10', '100', 'alpha', 'myrun7']);
  });

  it('skips _sources, _resources, hidden dirs, files and dirs holding no run files', async () => {
    await run('1');
    await run('_sources', { 'exp_abc.py': 'print(1)' });
    await run('_resources', { 'data_abc.csv': '1,2' });
    await run('.git', { HEAD: 'ref' });
    await run('plots', { 'loss.png': 'png' });
    await writeFile(join(folder, 'template.html'), '<html></html>');
    await writeFile(join(folder, '7'), 'a file named like a run');
    expect((await scanRunDirs(folder)).map((entry) => entry.id)).toEqual(['1']);
  });

  it('keeps half-written runs (empty dir, only config.json) so they can be explained', async () => {
    await run('1');
    await mkdir(join(folder, '2'));
    await run('3', { 'config.json': '{}' });
    expect((await scanRunDirs(folder)).map((entry) => entry.id)).toEqual(['1', '2', '3']);
  });

  it('follows a symlinked run dir', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'altar-scan-target-'));
    try {
      await writeFile(join(elsewhere, 'run.json'), '{}');
      await symlink(elsewhere, join(folder, '5'));
      const entries = await scanRunDirs(folder);
      expect(entries.map((entry) => entry.id)).toEqual(['5']);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('changes a fingerprint when a file of that run changes, and only then', async () => {
    await run('1', { 'run.json': '{"status": "RUNNING"}', 'cout.txt': 'a' });
    await run('2', { 'run.json': '{"status": "COMPLETED"}' });
    const before = await scanRunDirs(folder);
    const again = await scanRunDirs(folder);
    expect(again).toEqual(before);

    await appendFile(join(folder, '1', 'cout.txt'), 'more output');
    const afterAppend = await scanRunDirs(folder);
    expect(afterAppend[0]?.fingerprint).not.toBe(before[0]?.fingerprint);
    expect(afterAppend[1]?.fingerprint).toBe(before[1]?.fingerprint);

    // Same size, new mtime: a rewrite of run.json with the same length.
    await utimes(join(folder, '2', 'run.json'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    const afterTouch = await scanRunDirs(folder);
    expect(afterTouch[1]?.fingerprint).not.toBe(before[1]?.fingerprint);

    await writeFile(join(folder, '1', 'model.txt'), 'weights');
    const afterArtifact = await scanRunDirs(folder);
    expect(afterArtifact[0]?.fingerprint).not.toBe(afterAppend[0]?.fingerprint);
  });

  it('gives absolute run dirs', async () => {
    await run('4');
    expect((await scanRunDirs(folder))[0]?.dir).toBe(join(folder, '4'));
  });

  it('throws SOURCE_UNAVAILABLE for a missing folder or a file', async () => {
    const missing = join(folder, 'nope');
    await expect(scanRunDirs(missing)).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: `Folder not found: ${missing}`,
    });
    await writeFile(join(folder, 'file.txt'), 'x');
    const error = await scanRunDirs(join(folder, 'file.txt')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AltarError);
    expect((error as AltarError).code).toBe('SOURCE_UNAVAILABLE');
  });

  it('returns nothing for an empty folder', async () => {
    expect(await scanRunDirs(folder)).toEqual([]);
    expect(await scanRunDirs(folder, { workerFrom: 0 })).toEqual([]);
  });

  // Big folders are fingerprinted in a worker thread: a fingerprint that came out different
  // there would make every cached run be read again.
  it('finds the same runs with the same fingerprints in a worker thread', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'altar-scan-target-'));
    try {
      for (const id of ['10', '2', 'myrun7']) {
        await run(id, { 'run.json': `{"id": "${id}"}`, 'cout.txt': id.repeat(3) });
      }
      await mkdir(join(folder, '3'));
      await run('4', { 'config.json': '{}' });
      await run('_sources', { 'exp_abc.py': 'print(1)' });
      await run('.hidden', { 'run.json': '{}' });
      await run('plots', { 'loss.png': 'png' });
      await writeFile(join(folder, '7'), 'a file named like a run');
      await writeFile(join(elsewhere, 'run.json'), '{}');
      await writeFile(join(elsewhere, 'file.txt'), 'x');
      await symlink(elsewhere, join(folder, '5'));
      await symlink(join(elsewhere, 'file.txt'), join(folder, '6'));
      await symlink(join(elsewhere, 'gone'), join(folder, '8'));
      await symlink(join(elsewhere, 'gone'), join(folder, '2', 'dangling.txt'));

      const inThread = await scanRunDirs(folder, { workerFrom: Infinity });
      const inWorker = await scanRunDirs(folder, { workerFrom: 0 });
      expect(inThread.map((entry) => entry.id)).toEqual(['2', '3', '4', '5', '10', 'myrun7']);
      expect(inWorker).toEqual(inThread);

      await appendFile(join(folder, '10', 'cout.txt'), 'more');
      const changed = await scanRunDirs(folder, { workerFrom: 0 });
      expect(changed.find((entry) => entry.id === '10')?.fingerprint).not.toBe(
        inThread.find((entry) => entry.id === '10')?.fingerprint,
      );
      expect(changed.filter((entry) => entry.id !== '10')).toEqual(
        inThread.filter((entry) => entry.id !== '10'),
      );
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});
