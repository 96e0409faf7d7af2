import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyPath } from '../../main/core/folder/classify-handed-path';

// What a folder dropped on the window (or given to addFolderSource) is taken for: the folder of
// a FileStorageObserver, one run in it, or nothing usable, with a reason the user can act on.
const SAMPLE = '/work/shared/sacred-samples/filestorage_completed';

describe('classifyPath', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'altar-handed-'));
    await cp(SAMPLE, join(dir, 'runs'), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the observer folder for a folder of runs', async () => {
    expect(await classifyPath(join(dir, 'runs'))).toEqual({
      kind: 'runs',
      folder: join(dir, 'runs'),
    });
    // A relative path is made absolute.
    const relative = join(dir, 'runs', '..', 'runs', '.');
    expect(await classifyPath(relative)).toEqual({ kind: 'runs', folder: join(dir, 'runs') });
  });

  it("takes one run's folder, or its run.json, for that run of its parent folder", async () => {
    const single = { kind: 'run', parent: join(dir, 'runs'), runId: 'myrun7' };
    expect(await classifyPath(join(dir, 'runs', 'myrun7'))).toEqual(single);
    expect(await classifyPath(join(dir, 'runs', 'myrun7', 'run.json'))).toEqual(single);
    expect(await classifyPath(join(dir, 'runs', '1'))).toEqual({ ...single, runId: '1' });
  });

  it('does not take a folder whose run.json is a directory for a run', async () => {
    await mkdir(join(dir, 'odd', 'run.json'), { recursive: true });
    expect(await classifyPath(join(dir, 'odd'))).toEqual({
      kind: 'runs',
      folder: join(dir, 'odd'),
    });
  });

  it('refuses another file, and a path that is not there, saying which', async () => {
    const config = join(dir, 'runs', '1', 'config.json');
    expect(await classifyPath(config)).toEqual({
      kind: 'unusable',
      reason: `${config} is a file, not a folder of Sacred runs.`,
    });
    await writeFile(join(dir, 'run.json.bak'), '{}');
    expect((await classifyPath(join(dir, 'run.json.bak'))).kind).toBe('unusable');
    const missing = join(dir, 'nope');
    expect(await classifyPath(missing)).toEqual({
      kind: 'unusable',
      reason: `${missing} does not exist or cannot be read.`,
    });
  });
});
