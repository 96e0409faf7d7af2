// `serve` keeps the cache open for the whole session; SQLite's page cache is memory it keeps
// (better-sqlite3 builds it with 16 MB a connection). The cache's connection holds 2 MB, the
// SQLite default: the run table reads whole columns in scans, which a bigger cache does not
// speed up, and issue 13 asks `serve` to stay under 250 MB at 100k runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';

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
});
