import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import {
  SYNC_CHECKPOINT_PAGES,
  WAL_SIZE_LIMIT_BYTES,
  deferCheckpoints,
} from '../../main/core/cache/sync-checkpoints';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';

/**
 * A sync checkpoints the WAL less often while it writes (fewer fsync waits), and afterwards the
 * cache is back to SQLite's usual checkpoints with the sync's pages copied into the database
 * and the WAL file cut back, so a big first sync does not leave a big WAL behind.
 */
describe('deferCheckpoints', () => {
  let work: string;
  let db: Database.Database;
  const walBytes = (): number => statSync(join(work, 'cache.sqlite-wal')).size;
  const autocheckpoint = (): number => db.pragma('wal_autocheckpoint', { simple: true }) as number;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'altar-sync-checkpoints-'));
    db = new Database(join(work, 'cache.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (b BLOB)');
  });

  afterEach(() => {
    db.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('lets the WAL grow during the writes, then copies it into the database and cuts it back', () => {
    const restore = deferCheckpoints(db);
    expect(autocheckpoint()).toBe(SYNC_CHECKPOINT_PAGES);
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    // 9 MB in 900 commits: with checkpoints every 1000 pages the WAL would stay near 4 MB.
    for (let i = 0; i < 900; i++) insert.run(Buffer.alloc(10_000, i % 251));
    expect(walBytes()).toBeGreaterThan(2 * WAL_SIZE_LIMIT_BYTES);
    restore();
    expect(autocheckpoint()).toBe(1000);
    // Everything is in the database file now: the next write starts the WAL over, cut back.
    insert.run(Buffer.alloc(10, 1));
    expect(walBytes()).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 901 });
  });

  it('leaves a setting alone that already checkpoints as seldom (a second sync at once)', () => {
    const outer = deferCheckpoints(db);
    const inner = deferCheckpoints(db);
    inner();
    expect(autocheckpoint()).toBe(SYNC_CHECKPOINT_PAGES);
    outer();
    expect(autocheckpoint()).toBe(1000);
  });

  it('does nothing to a cache whose automatic checkpoints are off, and survives a closed one', () => {
    db.pragma('wal_autocheckpoint = 0');
    deferCheckpoints(db)();
    expect(autocheckpoint()).toBe(0);
    db.pragma('wal_autocheckpoint = 1000');
    const restore = deferCheckpoints(db);
    db.close();
    expect(() => restore()).not.toThrow();
    db = new Database(join(work, 'cache.sqlite'));
  });
});

describe('a folder sync and the checkpoints', () => {
  it('writes with seldom checkpoints and puts the usual ones back, even when it fails', async () => {
    const work = mkdtempSync(join(tmpdir(), 'altar-sync-checkpoints-'));
    const store = CacheStore.open(join(work, 'cache.sqlite'));
    try {
      const folder = join(work, 'runs');
      for (const id of ['1', '2']) {
        mkdirSync(join(folder, id), { recursive: true });
        writeFileSync(join(folder, id, 'run.json'), JSON.stringify({ status: 'COMPLETED' }));
      }
      store.addSource({ name: 'lab', kind: 'folder', location: folder, createdAt: 'now' });
      const during: number[] = [];
      const setting = (): number =>
        store.database.pragma('wal_autocheckpoint', { simple: true }) as number;
      await syncFolderSource({
        store,
        source: 'lab',
        beforeCommitRun: () => during.push(setting()),
      });
      expect(during).toEqual([SYNC_CHECKPOINT_PAGES, SYNC_CHECKPOINT_PAGES]);
      expect(setting()).toBe(1000);
      expect(store.countRuns('lab')).toBe(2);

      writeFileSync(join(folder, '1', 'run.json'), JSON.stringify({ status: 'FAILED' }));
      await expect(
        syncFolderSource({
          store,
          source: 'lab',
          beforeCommitRun: () => {
            throw new Error('disk full');
          },
        }),
      ).rejects.toThrow(/disk full/);
      expect(setting()).toBe(1000);
    } finally {
      store.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
