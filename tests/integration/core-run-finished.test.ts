// A watched RUNNING run that finishes: the core says so once (runFinished) whichever sync
// noticed it, and a source keeps its "announce finished runs" setting until it is removed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import type { EventPayload } from '../../shared/events';

let root: string;
let core: AltarCore;
let finished: EventPayload<'runFinished'>[];

/** A run folder as FileStorageObserver leaves it, with the given status. */
function setStatus(runDir: string, status: string): void {
  mkdirSync(runDir, { recursive: true });
  const run = {
    status,
    command: 'main',
    experiment: { name: 'fail_exp', base_dir: '/home/alice/exp', sources: [] },
    host: { hostname: 'vm' },
    meta: { command: 'main' },
    start_time: '2026-11-26T21:32:20.000000',
    heartbeat: '2026-11-26T21:32:21.000000',
    resources: [],
    artifacts: [],
  };
  writeFileSync(join(runDir, 'run.json'), JSON.stringify(run, null, 2));
  writeFileSync(join(runDir, 'config.json'), '{"seed": 1}');
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'altar-run-finished-'));
  const folder = join(root, 'runs');
  setStatus(join(folder, '1'), 'RUNNING');
  setStatus(join(folder, '2'), 'RUNNING');
  setStatus(join(folder, '3'), 'COMPLETED');
  core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct' });
  finished = [];
  core.on('runFinished', (event) => finished.push(event));
  await core.addFolderSource({ name: 'lab', path: folder });
  await core.syncSources({ names: ['lab'] });
});

afterEach(async () => {
  await core.close();
  rmSync(root, { recursive: true, force: true });
});

describe('runs that finish', () => {
  it('are announced once, with their new status, when a sync reads them', async () => {
    // The first sync saw runs 1 and 2 start out RUNNING: nothing had finished.
    expect(finished).toEqual([]);
    setStatus(join(root, 'runs', '1'), 'FAILED');
    await core.syncSources({ names: ['lab'] });
    expect(finished).toEqual([
      { source: 'lab', runId: '1', status: 'FAILED', experiment: 'fail_exp' },
    ]);
    // Read again with nothing new: no second announcement.
    await core.syncSources({ names: ['lab'] });
    expect(finished).toHaveLength(1);
  });

  it('are not announced when a RUNNING run disappears or stays RUNNING', async () => {
    rmSync(join(root, 'runs', '2'), { recursive: true });
    setStatus(join(root, 'runs', '3'), 'FAILED');
    await core.syncSources({ names: ['lab'] });
    expect(finished).toEqual([]);
  });
});

describe('the per-source notification setting', () => {
  it('is off by default, kept when turned on, and gone with its source', async () => {
    expect((await core.listSources({}))[0]?.notifyFinishedRuns).toBe(false);
    const on = await core.updateSourceSettings({ source: 'lab', notifyFinishedRuns: true });
    expect(on.notifyFinishedRuns).toBe(true);
    expect((await core.listSources({}))[0]?.notifyFinishedRuns).toBe(true);

    await core.removeSource({ name: 'lab' });
    await core.addFolderSource({ name: 'lab', path: join(root, 'runs') });
    expect((await core.listSources({}))[0]?.notifyFinishedRuns).toBe(false);
  });

  it('refuses an unknown source', async () => {
    await expect(
      core.updateSourceSettings({ source: 'nope', notifyFinishedRuns: true }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
