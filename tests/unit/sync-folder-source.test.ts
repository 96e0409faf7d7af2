import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../shared/events';
import { CacheStore } from '../../main/core/cache/cache-store';
import { TrustedFolderStore } from '../../main/core/cache/trusted-folder-store';
import type { ParsedRun, RunDirEntry } from '../../main/core/folder/parsed-run';
import { readRunDir } from '../../main/core/folder/read-run-dir';
import type { ReadRunDirOptions } from '../../main/core/folder/read-run-dir';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';
import type { SyncFolderOptions } from '../../main/core/sync/sync-folder-source';

/**
 * The folder sync's change detection and its promises to the user, on small real folders: what
 * changed on disk is read again and nothing else, what vanished leaves the cache, a file caught
 * mid-rewrite never replaces the good copy, and failures say what happened.
 */

interface RunSpec {
  artifacts?: string[];
  status?: string;
  heartbeat?: string;
  lr?: number;
  points?: number;
  cout?: string;
}

function writeRun(folder: string, id: string, spec: RunSpec = {}): string {
  const dir = join(folder, id);
  mkdirSync(dir, { recursive: true });
  const run = {
    artifacts: spec.artifacts ?? [],
    command: 'main',
    experiment: { name: 'unit', sources: [] },
    heartbeat: spec.heartbeat ?? '2026-01-01T00:10:00.000001',
    host: { hostname: 'box' },
    meta: { command: 'main', options: { '--beat-interval': '10' } },
    resources: [],
    result: null,
    start_time: '2026-01-01T00:00:00.000001',
    status: spec.status ?? 'COMPLETED',
    stop_time: spec.status === 'RUNNING' ? null : '2026-01-01T00:10:00',
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ lr: spec.lr ?? 0.1, run: id }));
  writeFileSync(join(dir, 'cout.txt'), spec.cout ?? `output of ${id}\n`);
  const points = spec.points ?? 3;
  const steps = Array.from({ length: points }, (_, i) => i);
  writeFileSync(
    join(dir, 'metrics.json'),
    JSON.stringify({
      loss: {
        steps,
        values: steps.map((i) => 1 / (i + 1)),
        timestamps: steps.map((i) => `2026-01-01T00:00:0${i % 10}.000000`),
      },
    }),
  );
  return dir;
}

describe('syncFolderSource', () => {
  let work: string;
  let folder: string;
  let store: CacheStore;
  let reads: string[];

  /** The real reader, counting which runs it was asked to read. */
  const countingRead = (
    location: string,
    entry: RunDirEntry,
    options: ReadRunDirOptions,
  ): Promise<ParsedRun | null> => {
    reads.push(entry.id);
    return readRunDir(location, entry, options);
  };

  const sync = (extra: Partial<SyncFolderOptions> = {}) =>
    syncFolderSource({ store, source: 'lab', readRun: countingRead, ...extra });

  const config = (runId: string): unknown => {
    const row = store.getRun('lab', runId);
    return row === null ? null : JSON.parse(row.config);
  };

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'altar-sync-folder-'));
    folder = join(work, 'runs');
    mkdirSync(folder);
    store = CacheStore.open(join(work, 'cache.sqlite'));
    store.addSource({
      name: 'lab',
      kind: 'folder',
      location: folder,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    reads = [];
  });

  afterEach(() => {
    store.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('adds every run of a first sync, with its points, and records the time of the sync', async () => {
    writeRun(folder, '1', { points: 4 });
    writeRun(folder, '2', { points: 5 });
    const summary = await sync({ now: () => Date.parse('2026-03-04T05:06:07.000Z') });
    expect(summary).toMatchObject({
      source: 'lab',
      added: 2,
      updated: 0,
      removed: 0,
      unchanged: 0,
      unreadable: 0,
      points: 9,
    });
    expect(summary.keptHalfWritten).toBeUndefined();
    // Seconds, not milliseconds: a bound no sync of two runs comes near, not a timing check.
    expect(summary.seconds).toBeGreaterThanOrEqual(0);
    expect(summary.seconds).toBeLessThan(600);
    expect(store.countRuns('lab')).toBe(2);
    expect(store.metricsOfRun('lab', '2')[0]).toMatchObject({ name: 'loss', count: 5 });
    expect(store.getCapturedOutput('lab', '1')?.text).toBe('output of 1\n');
    expect(store.getSource('lab')).toMatchObject({
      last_sync_at: '2026-03-04T05:06:07.000Z',
      last_error: null,
    });
    expect(store.isSyncing('lab')).toBe(false);
  });

  it('reads nothing again when nothing changed', async () => {
    writeRun(folder, '1');
    writeRun(folder, '2');
    await sync();
    reads = [];
    const again = await sync();
    expect(reads).toEqual([]);
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 2, points: 0 });
  });

  it('reads a changed run again and only that one', async () => {
    writeRun(folder, '1');
    writeRun(folder, '2');
    await sync();
    expect(config('2')).toEqual({ lr: 0.1, run: '2' });
    reads = [];
    writeFileSync(join(folder, '2', 'config.json'), JSON.stringify({ lr: 0.25, run: '2', x: 1 }));
    const again = await sync();
    expect(reads).toEqual(['2']);
    expect(again).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: 1 });
    expect(config('2')).toEqual({ lr: 0.25, run: '2', x: 1 });
    expect(config('1')).toEqual({ lr: 0.1, run: '1' });
  });

  it('brings a live RUNNING run up to date: new heartbeat, new points, then its end', async () => {
    writeRun(folder, '7', { status: 'RUNNING', points: 2, heartbeat: '2026-01-01T00:01:00' });
    await sync();
    expect(store.getRun('lab', '7')?.status).toBe('RUNNING');
    writeRun(folder, '7', { status: 'RUNNING', points: 6, heartbeat: '2026-01-01T00:02:00' });
    const live = await sync();
    expect(live).toMatchObject({ updated: 1, points: 6 });
    expect(store.metricsOfRun('lab', '7')[0]?.count).toBe(6);
    expect(store.getRun('lab', '7')?.heartbeat).toBe('2026-01-01T00:02:00.000Z');
    writeRun(folder, '7', { status: 'COMPLETED', points: 6, heartbeat: '2026-01-01T00:03:00' });
    await sync();
    expect(store.getRun('lab', '7')?.status).toBe('COMPLETED');
  });

  it('drops a run whose folder was deleted, and only that one', async () => {
    writeRun(folder, '1');
    writeRun(folder, '2');
    writeRun(folder, '3');
    await sync();
    rmSync(join(folder, '2'), { recursive: true });
    const again = await sync();
    expect(again).toMatchObject({ removed: 1, unchanged: 2, added: 0, updated: 0 });
    expect(store.getRun('lab', '2')).toBeNull();
    expect(store.metricsOfRun('lab', '2')).toEqual([]);
    expect(store.getRun('lab', '1')).not.toBeNull();
    expect(store.getRun('lab', '3')).not.toBeNull();
  });

  it('adds a run that appeared since the last sync', async () => {
    writeRun(folder, '1');
    await sync();
    writeRun(folder, '2');
    reads = [];
    const again = await sync();
    expect(reads).toEqual(['2']);
    expect(again).toMatchObject({ added: 1, unchanged: 1 });
  });

  it('keeps the last good copy when run.json is caught half-written, and reads it again next time', async () => {
    writeRun(folder, '1', { lr: 0.5 });
    await sync();
    writeFileSync(join(folder, '1', 'run.json'), '{"status": "RUNN');
    const broken = await sync({
      readRun: (location, entry, options) =>
        countingRead(location, entry, { ...options, retries: 0 }),
    });
    expect(broken).toMatchObject({ keptHalfWritten: 1, updated: 0, added: 0, unreadable: 0 });
    const kept = store.getRun('lab', '1');
    expect(kept?.unreadable).toBeNull();
    expect(kept?.status).toBe('COMPLETED');
    expect(config('1')).toEqual({ lr: 0.5, run: '1' });
    const note = (JSON.parse(kept?.warnings ?? '[]') as string[]).find((line) =>
      line.includes('showing the last good copy'),
    );
    expect(note).toMatch(/^run\.json is not valid JSON \(truncated\?\): half-written, as while/);
    expect(note).toMatch(/until it reads whole \(read again at the next sync\)$/);
    // The fingerprint stayed the good read's: the next sync looks again and heals the run.
    writeRun(folder, '1', { lr: 0.75 });
    reads = [];
    const healed = await sync();
    expect(reads).toEqual(['1']);
    expect(healed).toMatchObject({ updated: 1 });
    expect(config('1')).toEqual({ lr: 0.75, run: '1' });
    expect(store.getRun('lab', '1')?.warnings).not.toContain('showing the last good copy');
  });

  it('lists a new run with a broken run.json as unreadable, with the reason', async () => {
    writeRun(folder, '1');
    mkdirSync(join(folder, '2'));
    writeFileSync(join(folder, '2', 'run.json'), 'not json at all');
    const summary = await sync({
      readRun: (location, entry, options) =>
        countingRead(location, entry, { ...options, retries: 0 }),
    });
    expect(summary).toMatchObject({ added: 2, unreadable: 1 });
    expect(store.getRun('lab', '2')?.unreadable).toMatch(/run\.json/);
    expect(store.getRun('lab', '1')?.unreadable).toBeNull();
  });

  it('replaces an unreadable run once it reads whole', async () => {
    mkdirSync(join(folder, '2'));
    writeFileSync(join(folder, '2', 'run.json'), '{');
    await sync({
      readRun: (location, entry, options) =>
        countingRead(location, entry, { ...options, retries: 0 }),
    });
    expect(store.getRun('lab', '2')?.unreadable).not.toBeNull();
    writeRun(folder, '2');
    const fixed = await sync();
    expect(fixed).toMatchObject({ updated: 1, unreadable: 0 });
    expect(store.getRun('lab', '2')?.unreadable).toBeNull();
  });

  it('says the folder is gone, keeps the cached runs and records the error', async () => {
    writeRun(folder, '1');
    await sync();
    rmSync(folder, { recursive: true });
    await expect(sync()).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: `Folder not found: ${folder}`,
    });
    expect(store.getRun('lab', '1')).not.toBeNull();
    expect(store.getSource('lab')?.last_error).toBe(`Folder not found: ${folder}`);
    expect(store.isSyncing('lab')).toBe(false);
  });

  it('clears the recorded error after a sync that succeeds', async () => {
    store.recordSyncError('lab', 'earlier trouble');
    writeRun(folder, '1');
    await sync();
    expect(store.getSource('lab')?.last_error).toBeNull();
  });

  it('refuses an unknown source and a second sync of the same source', async () => {
    await expect(syncFolderSource({ store, source: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'There is no source named "nope".',
    });
    expect(store.tryBeginSync('lab')).toBe(true);
    try {
      await expect(sync()).rejects.toMatchObject({
        code: 'SYNC_IN_PROGRESS',
        message: 'Source "lab" is already being synced.',
      });
      // The refused sync must not end the one that runs.
      expect(store.isSyncing('lab')).toBe(true);
    } finally {
      store.endSync('lab');
    }
  });

  it('stops when asked, keeps what it wrote, and says whether the user cancelled', async () => {
    for (let id = 1; id <= 6; id++) writeRun(folder, String(id));
    // Asked to stop once two runs are in the cache (reads run four at a time).
    const stopped = sync({ shouldStop: () => store.countRuns('lab') >= 2 });
    await expect(stopped).rejects.toMatchObject({ code: 'INTERNAL' });
    const written = store.countRuns('lab');
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(6);
    expect(store.getSource('lab')?.last_error).toMatch(/stopped before it finished/);
    expect(store.getSource('lab')?.last_sync_at).toBeNull();

    await expect(sync({ isCancelled: () => true })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(store.getSource('lab')?.last_error).toMatch(/cancelled/);
    expect(store.isSyncing('lab')).toBe(false);
    // Nothing was lost: a sync left alone finishes the rest.
    const rest = await sync();
    expect(store.countRuns('lab')).toBe(6);
    expect(rest.unchanged + rest.added).toBe(6);
  });

  it('a failure while writing one run leaves the others whole and says which sync failed', async () => {
    for (let id = 1; id <= 3; id++) writeRun(folder, String(id));
    await expect(
      sync({
        beforeCommitRun: (runId) => {
          if (runId === '2') throw new Error('disk full');
        },
      }),
    ).rejects.toMatchObject({ code: 'INTERNAL', message: 'The sync of "lab" failed: disk full' });
    expect(store.getRun('lab', '2')).toBeNull();
    expect(store.metricsOfRun('lab', '2')).toEqual([]);
    expect(store.getRun('lab', '1')?.status).toBe('COMPLETED');
    expect(store.getSource('lab')?.last_error).toBe('The sync of "lab" failed: disk full');
    const retry = await sync();
    expect(store.countRuns('lab')).toBe(3);
    expect(retry.added).toBeGreaterThanOrEqual(1);
  });

  it('drops a run whose folder vanishes while it is read', async () => {
    writeRun(folder, '1');
    writeRun(folder, '2');
    const summary = await sync({
      readRun: (location, entry, options) =>
        entry.id === '2' ? Promise.resolve(null) : countingRead(location, entry, options),
    });
    expect(summary).toMatchObject({ added: 1, unchanged: 0 });
    expect(store.getRun('lab', '2')).toBeNull();
  });

  it('reads files a run names only inside the folder or a folder trusted for this source', async () => {
    const outside = join(work, 'elsewhere');
    mkdirSync(outside);
    writeFileSync(join(outside, 'weights.bin'), '12345');
    const dir = writeRun(folder, '1', { artifacts: ['weights.bin'] });
    symlinkSync(join(outside, 'weights.bin'), join(dir, 'weights.bin'));
    await sync();
    const refused = store.artifactsOfRun('lab', '1')[0];
    expect(refused).toMatchObject({ name: 'weights.bin', size: null });
    // The message names this source in the command that trusts the folder.
    expect(store.getRun('lab', '1')?.warnings).toContain('sources set lab --trust');

    new TrustedFolderStore(store.database).update('lab', [outside], [], '2026-01-01T00:00:00Z');
    writeFileSync(join(dir, 'cout.txt'), 'changed, so the run is read again\n');
    await sync();
    expect(store.artifactsOfRun('lab', '1')[0]).toMatchObject({ name: 'weights.bin', size: 5 });
  });

  it('reports its phases: scanning, reading with counts, done', async () => {
    writeRun(folder, '1', { points: 2 });
    writeRun(folder, '2', { points: 3 });
    const events: SyncProgress[] = [];
    await sync({ onProgress: (event) => events.push(event) });
    expect(events[0]).toMatchObject({ source: 'lab', phase: 'scanning' });
    expect(events.some((event) => event.phase === 'reading' && event.total === 2)).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'done', done: 2, total: 2, points: 5 });

    const failures: SyncProgress[] = [];
    rmSync(folder, { recursive: true });
    await expect(sync({ onProgress: (event) => failures.push(event) })).rejects.toThrow();
    expect(failures.at(-1)).toMatchObject({ phase: 'failed' });
    expect(failures.at(-1)?.message).toMatch(/Folder not found/);
  });
});
