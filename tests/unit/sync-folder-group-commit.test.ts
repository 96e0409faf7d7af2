import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncSummary } from '../../shared/contract';
import { CacheStore } from '../../main/core/cache/cache-store';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { readRunDir } from '../../main/core/folder/read-run-dir';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';
import type { SyncFolderOptions } from '../../main/core/sync/sync-folder-source';
import { writeSyntheticRun } from '../integration/core-test-folder';
import { cacheContent } from '../support/cache-content';

/**
 * A big sync writes its runs many to a transaction. The user must not be able to tell: every
 * run read is cached with the same rows as one run per transaction would give, a run whose
 * write fails takes none of the good runs of its batch with it, and a stopped sync leaves only
 * whole runs, the rest written by the next sync.
 */
describe('the folder sync writing runs in batches', () => {
  let work: string;
  let folder: string;
  let caches = 0;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'altar-group-commit-'));
    folder = join(work, 'runs');
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  function openStore(): { store: CacheStore; file: string } {
    const file = join(work, `cache-${caches++}.sqlite`);
    const store = CacheStore.open(file);
    store.addSource({ name: 'lab', kind: 'folder', location: folder, createdAt: 'now' });
    return { store, file };
  }

  async function syncInto(
    options: Partial<SyncFolderOptions>,
  ): Promise<{ summary: SyncSummary; content: Record<string, unknown[]> }> {
    const { store, file } = openStore();
    let summary: SyncSummary;
    try {
      summary = await syncFolderSource({ store, source: 'lab', ...options });
    } finally {
      store.close();
    }
    return { summary, content: cacheContent(file) };
  }

  /** Each metric's points, as a reader of the cache gets them. */
  const pointsOf = (store: CacheStore, runId: string): number | undefined =>
    store.getMetricPoints('lab', runId, 'loss')?.count;

  it('caches every run with the same rows as one run per transaction', async () => {
    // Numbered runs plus the generator's broken ones (truncated files, custom ids, ...).
    // From 32 changed runs a sync reads in a worker and batches by default.
    await generateSacredFolder(folder, { runs: 32, seed: 11 });
    const alone = await syncInto({ runsPerCommit: 1, readWorkerFrom: Infinity });
    const batched = await syncInto({ runsPerCommit: 8, readWorkerFrom: Infinity });
    const byDefault = await syncInto({});
    const comparable = (summary: SyncSummary) => ({ ...summary, seconds: 0 });
    expect(alone.summary.added).toBeGreaterThanOrEqual(32);
    expect(comparable(batched.summary)).toEqual(comparable(alone.summary));
    expect(batched.content).toEqual(alone.content);
    expect(comparable(byDefault.summary)).toEqual(comparable(alone.summary));
    expect(byDefault.content).toEqual(alone.content);
  }, 120_000);

  it('a run whose write fails fails alone: the good runs of its batch are kept', async () => {
    for (let id = 1; id <= 8; id++) writeSyntheticRun(folder, String(id), { points: 20 });
    const { store } = openStore();
    try {
      await syncFolderSource({ store, source: 'lab', runsPerCommit: 8 });
      for (let id = 1; id <= 8; id++) {
        writeSyntheticRun(folder, String(id), { points: 30, status: 'FAILED' });
      }
      let attempts = 0;
      const failing = syncFolderSource({
        store,
        source: 'lab',
        runsPerCommit: 8,
        beforeCommitRun: (runId) => {
          if (runId !== '5') return;
          attempts++;
          throw new Error('disk full');
        },
      });
      await expect(failing).rejects.toMatchObject({
        message: 'The sync of "lab" failed: disk full',
      });
      expect(attempts).toBeGreaterThan(0);
      // Run 5 is still its old whole copy; the other seven are the new ones, whole.
      expect(store.getRun('lab', '5')?.status).toBe('COMPLETED');
      expect(pointsOf(store, '5')).toBe(20);
      expect(store.metricsOfRun('lab', '5')[0]?.count).toBe(20);
      for (const id of ['1', '2', '3', '4', '6', '7', '8']) {
        expect(store.getRun('lab', id)?.status).toBe('FAILED');
        expect(pointsOf(store, id)).toBe(30);
      }
      const retry = await syncFolderSource({ store, source: 'lab', runsPerCommit: 8 });
      expect(retry).toMatchObject({ updated: 1, unchanged: 7 });
      expect(pointsOf(store, '5')).toBe(30);
    } finally {
      store.close();
    }
  });

  it('a new run whose write fails is not cached, and its batch is', async () => {
    for (let id = 1; id <= 6; id++) writeSyntheticRun(folder, String(id), { points: 20 });
    const { store } = openStore();
    try {
      await expect(
        syncFolderSource({
          store,
          source: 'lab',
          runsPerCommit: 6,
          beforeCommitRun: (runId) => {
            if (runId === '2') throw new Error('no space left');
          },
        }),
      ).rejects.toMatchObject({ message: 'The sync of "lab" failed: no space left' });
      expect(store.getRun('lab', '2')).toBeNull();
      expect(store.metricsOfRun('lab', '2')).toEqual([]);
      expect(store.countRuns('lab')).toBe(5);
      for (const id of ['1', '3', '4', '5', '6']) expect(pointsOf(store, id)).toBe(20);
    } finally {
      store.close();
    }
  });

  it('stopped between batches, it leaves whole runs and the next sync writes the rest', async () => {
    for (let id = 1; id <= 12; id++) writeSyntheticRun(folder, String(id), { points: 20 });
    const { store } = openStore();
    try {
      const stopped = syncFolderSource({
        store,
        source: 'lab',
        runsPerCommit: 4,
        readWorkerFrom: Infinity,
        shouldStop: () => store.countRuns('lab') >= 1,
      });
      await expect(stopped).rejects.toMatchObject({ code: 'INTERNAL' });
      const written = store.countRuns('lab');
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(12);
      for (const { run_id } of store.listRuns('lab', null, 0).rows) {
        expect(pointsOf(store, run_id)).toBe(20);
      }
      const rest = await syncFolderSource({ store, source: 'lab', runsPerCommit: 4 });
      expect(rest).toMatchObject({ added: 12 - written, unchanged: written });
      expect(store.countRuns('lab')).toBe(12);
    } finally {
      store.close();
    }
  });

  it('writes a run read while the next read hangs, without waiting for a full batch', async () => {
    for (let id = 1; id <= 3; id++) writeSyntheticRun(folder, String(id), { points: 20 });
    const { store } = openStore();
    try {
      let cancelled = false;
      const syncing = syncFolderSource({
        store,
        source: 'lab',
        runsPerCommit: 64,
        isCancelled: () => cancelled,
        // Run 1 reads; the others hang, as on a dead network share.
        readRun: (location, entry, options) =>
          entry.id === '1'
            ? readRunDir(location, entry, options)
            : new Promise<ParsedRun | null>(() => undefined),
      });
      await vi.waitFor(() => expect(store.countRuns('lab')).toBe(1), { timeout: 10_000 });
      expect(pointsOf(store, '1')).toBe(20);
      cancelled = true;
      await expect(syncing).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(store.countRuns('lab')).toBe(1);
    } finally {
      store.close();
    }
  });
});
