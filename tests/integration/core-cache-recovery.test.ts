import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';
import { AltarError } from '../../shared/errors';
import { copySample, tempDir, writeSyntheticRun } from './core-test-folder';

describe('cache recovery', () => {
  let dataDir: string;
  let work: string;
  let folder: string;

  beforeEach(() => {
    dataDir = tempDir('recover');
    work = tempDir('recover-runs');
    folder = copySample('filestorage_completed', work);
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  async function checkFreshCacheWorks(core: ReturnType<typeof createAltarCore>): Promise<void> {
    expect(await core.listSources({})).toEqual([]);
    await core.addFolderSource({ name: 'lab', path: folder });
    const [summary] = await core.syncSources({});
    expect(summary?.added).toBe(2);
    expect((await core.listRuns({})).total).toBe(2);
  }

  it('moves a file that is not a database aside and starts a new cache', async () => {
    const cacheFile = join(dataDir, 'cache.sqlite');
    writeFileSync(cacheFile, 'this is not sqlite at all '.repeat(100));
    const core = createAltarCore({
      dataDir,
      door: 'direct',
      now: () => Date.UTC(2026, 0, 2, 3, 4, 5),
    });
    try {
      expect(core.cacheRecoveredFrom).toBe(`${cacheFile}.corrupt-2026-01-02T03-04-05-000Z`);
      expect(readFileSync(core.cacheRecoveredFrom!, 'utf8')).toContain('this is not sqlite');
      await checkFreshCacheWorks(core);
    } finally {
      await core.close();
    }
  });

  it('moves a cache with damaged pages aside', async () => {
    const first = createAltarCore({ dataDir, door: 'direct' });
    await first.addFolderSource({ name: 'lab', path: folder });
    await first.syncSources({});
    await first.close();

    const cacheFile = join(dataDir, 'cache.sqlite');
    const bytes = readFileSync(cacheFile);
    expect(bytes.byteLength).toBeGreaterThan(8192);
    // Keep the header (page 1) so SQLite opens it; scribble over every later page.
    for (let i = 4096; i < bytes.byteLength; i++) bytes[i] = (i * 31) & 0xff;
    writeFileSync(cacheFile, bytes);

    const core = createAltarCore({ dataDir, door: 'direct' });
    try {
      expect(core.cacheRecoveredFrom).toMatch(/cache\.sqlite\.corrupt-/u);
      expect(existsSync(core.cacheRecoveredFrom!)).toBe(true);
      await checkFreshCacheWorks(core);
    } finally {
      await core.close();
    }
  });

  it('marks a clean close so the next start skips the full page check, never while open', async () => {
    const stamp = join(dataDir, 'cache.sqlite.clean');
    const first = createAltarCore({ dataDir, door: 'direct' });
    await first.addFolderSource({ name: 'lab', path: folder });
    await first.syncSources({});
    // A crash now must lead to the full check at the next start: no stamp while open.
    expect(existsSync(stamp)).toBe(false);
    await first.close();
    expect(existsSync(stamp)).toBe(true);

    const second = createAltarCore({ dataDir, door: 'direct' });
    try {
      expect(second.cacheRecoveredFrom).toBeNull();
      expect(existsSync(stamp)).toBe(false);
      expect((await second.listRuns({ source: 'lab' })).total).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });

  it('moves aside a cache written by a newer version', async () => {
    const cacheFile = join(dataDir, 'cache.sqlite');
    const db = new Database(cacheFile);
    db.pragma('user_version = 999');
    db.close();
    const core = createAltarCore({ dataDir, door: 'direct' });
    try {
      expect(core.cacheRecoveredFrom).toMatch(/cache\.sqlite\.incompatible-/u);
      await checkFreshCacheWorks(core);
    } finally {
      await core.close();
    }
  });

  it('opens a healthy cache without moving anything', async () => {
    const first = createAltarCore({ dataDir, door: 'direct' });
    await first.addFolderSource({ name: 'lab', path: folder });
    await first.close();
    const core = createAltarCore({ dataDir, door: 'direct' });
    try {
      expect(core.cacheRecoveredFrom).toBeNull();
      expect(readdirSync(dataDir).filter((name) => name.includes('corrupt'))).toEqual([]);
      expect((await core.listSources({})).map((s) => s.name)).toEqual(['lab']);
    } finally {
      await core.close();
    }
  });

  it('keeps the old run when its write fails half-way, and the next sync completes it', async () => {
    writeSyntheticRun(folder, '2', { points: 100_000 });
    const store = CacheStore.open(join(dataDir, 'cache.sqlite'));
    try {
      store.addSource({
        name: 'lab',
        kind: 'folder',
        location: folder,
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      expect((await syncFolderSource({ store, source: 'lab' })).added).toBe(3);

      writeSyntheticRun(folder, '2', { points: 150_000, status: 'FAILED' });
      const failing = syncFolderSource({
        store,
        source: 'lab',
        beforeCommitRun: (runId) => {
          if (runId === '2') throw new Error('disk full');
        },
      });
      const error = await failing.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AltarError);
      expect((error as AltarError).message).toContain('disk full');
      expect(store.getSource('lab')?.last_error).toContain('disk full');

      // Still the old run 2, with all its old points.
      expect(store.getRun('lab', '2')?.status).toBe('COMPLETED');
      expect(store.getMetricPoints('lab', '2', 'loss')?.count).toBe(100_000);
      expect(store.metricsOfRun('lab', '2')[0]?.count).toBe(100_000);

      const summary = await syncFolderSource({ store, source: 'lab' });
      expect(summary).toMatchObject({ updated: 1, unchanged: 2, points: 150_000 });
      expect(store.getRun('lab', '2')?.status).toBe('FAILED');
      expect(store.getMetricPoints('lab', '2', 'loss')?.count).toBe(150_000);
      expect(store.getSource('lab')?.last_error).toBeNull();
    } finally {
      store.close();
    }
  });
});
