// `serve` keeps the cache open for the whole session; SQLite's page cache is memory it keeps
// (better-sqlite3 builds it with 16 MB a connection). The cache's connection holds 2 MB, the
// SQLite default: the run table reads whole columns in scans, which a bigger cache does not
// speed up, and issue 13 asks `serve` to stay under 250 MB at 100k runs. A sync widens it while
// it writes (sync-page-cache.ts) and gives the memory back after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { SYNC_PAGE_CACHE_KIB } from '../../main/core/cache/sync-page-cache';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';

describe('the cache connection’s page cache', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('is bounded at 2 MB, on a new cache and on one opened again', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'altar-page-cache-'));
    const file = path.join(dir, 'cache.sqlite');
    for (let open = 0; open < 2; open++) {
      const store = CacheStore.open(file);
      try {
        expect(store.database.pragma('cache_size', { simple: true })).toBe(-2000);
      } finally {
        store.close();
      }
    }
  });

  it('is widened while a sync writes, and back to 2 MB after it, whether it ends or fails', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'altar-page-cache-'));
    const folder = path.join(dir, 'runs');
    await generateSacredFolder(folder, { runs: 6, seed: 5 });
    const store = CacheStore.open(path.join(dir, 'cache.sqlite'));
    try {
      store.addSource({ name: 'src', kind: 'folder', location: folder, createdAt: 'now' });
      const during: unknown[] = [];
      const seen = (): void => {
        during.push(store.database.pragma('cache_size', { simple: true }));
      };
      const summary = await syncFolderSource({ store, source: 'src', beforeCommitRun: seen });
      expect(summary.added).toBeGreaterThan(0);
      expect(new Set(during)).toEqual(new Set([-SYNC_PAGE_CACHE_KIB]));
      expect(store.database.pragma('cache_size', { simple: true })).toBe(-2000);

      // A sync that fails half-way gives the memory back too (its runs changed on disk first).
      await generateSacredFolder(folder, { runs: 6, seed: 6 });
      await expect(
        syncFolderSource({
          store,
          source: 'src',
          beforeCommitRun: () => {
            throw new Error('disk full');
          },
        }),
      ).rejects.toThrow();
      expect(store.database.pragma('cache_size', { simple: true })).toBe(-2000);
    } finally {
      store.close();
    }
  });
});
