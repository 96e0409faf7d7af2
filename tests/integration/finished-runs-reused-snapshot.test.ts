// The RUNNING runs a sync compares against (main/core/sync/finished-runs.ts) are read once
// and reused while nothing writes the source's runs: a sync that changes nothing (a periodic
// one, an unreachable folder retried every few seconds) then reads no run at all, and runs
// that finish later are still announced, once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import { FinishedRunWatch, RunningRuns } from '../../main/core/sync/finished-runs';

let dir: string;
let store: CacheStore;

function writeRun(target: CacheStore, id: string, status: string): void {
  target.writeRun(
    'lab',
    { id, dir: null, fingerprint: `${id}-${status}` },
    { ...emptyParsedRun(id, status), experiment: 'train' },
  );
}

function openStore(file: string): CacheStore {
  const opened = CacheStore.open(file);
  opened.addSource({
    name: 'lab',
    kind: 'folder',
    location: '/nowhere/lab',
    createdAt: new Date(0).toISOString(),
  });
  return opened;
}

/** The database, with every statement it prepares that reads the runs table noted. */
function noting(db: Database, reads: string[]): Database {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'prepare') {
        return (sql: string) => {
          if (/\bFROM runs\b/u.test(sql)) reads.push(sql);
          return target.prepare(sql);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-finished-runs-'));
  store = openStore(join(dir, 'cache.sqlite'));
  writeRun(store, '1', 'RUNNING');
  writeRun(store, '2', 'RUNNING');
  writeRun(store, '3', 'COMPLETED');
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the RUNNING runs a sync compares against', () => {
  it('are not read again by syncs that change nothing', () => {
    const reads: string[] = [];
    const db = noting(store.database, reads);
    const running = new RunningRuns();
    expect(new FinishedRunWatch(db, 'lab', running).finished()).toEqual([]);
    expect(reads.length).toBeGreaterThan(0);
    reads.length = 0;
    for (let sync = 0; sync < 3; sync++) {
      expect(new FinishedRunWatch(db, 'lab', running).finished()).toEqual([]);
    }
    expect(reads).toEqual([]);
  });

  it('still tell a run that finished after several syncs that changed nothing, once', () => {
    const running = new RunningRuns();
    for (let sync = 0; sync < 3; sync++) {
      expect(new FinishedRunWatch(store.database, 'lab', running).finished()).toEqual([]);
    }
    const watch = new FinishedRunWatch(store.database, 'lab', running);
    writeRun(store, '2', 'FAILED');
    expect(watch.finished()).toEqual([
      { source: 'lab', runId: '2', status: 'FAILED', experiment: 'train' },
    ]);
    expect(new FinishedRunWatch(store.database, 'lab', running).finished()).toEqual([]);
  });

  it('are read again once a run was written: one that started since is watched', () => {
    const running = new RunningRuns();
    new FinishedRunWatch(store.database, 'lab', running).finished();
    writeRun(store, '4', 'RUNNING');
    const watch = new FinishedRunWatch(store.database, 'lab', running);
    writeRun(store, '4', 'COMPLETED');
    writeRun(store, '1', 'INTERRUPTED');
    expect(watch.finished().map((run) => [run.runId, run.status])).toEqual([
      ['1', 'INTERRUPTED'],
      ['4', 'COMPLETED'],
    ]);
  });

  it('are read from the new file after the cache was replaced (a restored backup)', () => {
    const running = new RunningRuns();
    new FinishedRunWatch(store.database, 'lab', running).finished();
    const other = openStore(join(dir, 'restored.sqlite'));
    try {
      // As many writes as the first file had: the same run_versions counter.
      writeRun(other, '7', 'RUNNING');
      writeRun(other, '8', 'COMPLETED');
      writeRun(other, '9', 'COMPLETED');
      const watch = new FinishedRunWatch(other.database, 'lab', running);
      writeRun(other, '7', 'COMPLETED');
      expect(watch.finished().map((run) => run.runId)).toEqual(['7']);
    } finally {
      other.close();
    }
  });
});
