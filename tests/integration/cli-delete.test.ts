// `altar-viewer delete RUN... --source S [--yes]` as a user runs it: without --yes it says what
// would go and exits 2 touching nothing; with --yes the run folder goes to the trash; a
// read-only source exits 1; unknown runs and a missing --source are usage errors (2).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import { runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';
import { writeSyntheticRun } from './core-test-folder';

let ws: Workspace | null = null;
afterEach(() => {
  ws?.remove();
  ws = null;
});

/** A synced folder source "runs" with runs 1 and 2, writes on or off, in a fresh data dir. */
async function prepare(writes: boolean): Promise<{ dataDir: string; folder: string }> {
  ws = workspace();
  const folder = join(ws.root, 'runs');
  writeSyntheticRun(folder, '1');
  writeSyntheticRun(folder, '2');
  const core = createAltarCore({ dataDir: ws.dataDir, door: 'direct' });
  try {
    await core.addFolderSource({ name: 'runs', path: folder });
    await core.syncSources({ names: ['runs'] });
    if (writes) await core.setSourceWrites({ source: 'runs', enabled: true });
  } finally {
    await core.close();
  }
  return { dataDir: ws.dataDir, folder };
}

describe('altar-viewer delete', () => {
  it('says what would be deleted and exits 2 without --yes, then deletes with it', async () => {
    const { dataDir, folder } = await prepare(true);
    const dry = await runCli(['delete', '2', '--source', 'runs', '--data-dir', dataDir]);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toMatch(/1 run of "runs" \(10 metric points in 1 metric/u);
    expect(dry.stdout).toContain('.altar-trash');
    expect(dry.stderr).toMatch(/--yes/u);
    expect(existsSync(join(folder, '2', 'run.json'))).toBe(true);

    const done = await runCli(['delete', '2', '--source', 'runs', '--yes', '--data-dir', dataDir]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/Moved 1 run folder/u);
    expect(existsSync(join(folder, '2'))).toBe(false);
    expect(readdirSync(join(folder, '.altar-trash'))).toHaveLength(1);
    const listed = await runCli([
      'runs',
      '--source',
      'runs',
      '--format',
      'json',
      '--data-dir',
      dataDir,
    ]);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((run) => run.id)).toEqual(['1']);
  });

  it('exits 1 for a read-only source and deletes nothing', async () => {
    const { dataDir, folder } = await prepare(false);
    const result = await runCli([
      'delete',
      '1',
      '--source',
      'runs',
      '--yes',
      '--data-dir',
      dataDir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/read-only/u);
    expect(existsSync(join(folder, '1', 'run.json'))).toBe(true);
  });

  it('exits 2 for a run the source does not have, and without --source', async () => {
    const { dataDir, folder } = await prepare(true);
    const unknown = await runCli([
      'delete',
      '1',
      '9',
      '--source',
      'runs',
      '--yes',
      '--data-dir',
      dataDir,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no run "9"/u);
    expect(existsSync(join(folder, '1', 'run.json'))).toBe(true);
    const noSource = await runCli(['delete', '1', '--yes', '--data-dir', dataDir]);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toMatch(/needs --source/u);
  });
});
