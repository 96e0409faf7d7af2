// The run table's sort keys are kept in the cache file (stored_column_orders, see
// main/core/query/stored-column-orders.ts), so that the first sort after the app restarts reads
// its key instead of building it. What a user would notice if that went wrong: a sort after a
// restart, or after a sync (in the app, or by another process such as the CLI while the app was
// closed), showing runs in a stale order, missing a new run or showing a deleted one. Every
// order here is checked against an engine that keeps no key at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { QueryEngine } from '../../main/core/query/query-engine';
import type { SortSpec } from '../../shared/filter';

const NOW = Date.UTC(2025, 0, 1);
const SHOWN = ['config.lr', 'config.name', 'metrics.loss.last'];
let dir: string;
let file: string;
let store: CacheStore;
const opened: CacheStore[] = [];

function run(id: string, lr: number | null, loss: number, minutesAgo: number): ParsedRun {
  const parsed = emptyParsedRun(id, 'COMPLETED');
  parsed.startTime = new Date(NOW - minutesAgo * 60_000).toISOString();
  parsed.config = lr === null ? { name: `run ${id}` } : { lr, name: `run ${id}` };
  parsed.metrics = [
    {
      name: 'loss',
      steps: new Float64Array([0, 1]),
      values: new Float64Array([loss * 2, loss]),
      timestamps: new Float64Array([NOW, NOW]),
    },
  ];
  return parsed;
}

function write(into: CacheStore, source: string, parsed: ParsedRun): void {
  into.writeRun(source, { id: parsed.id, dir: null, fingerprint: `f${parsed.id}` }, parsed);
}

function open(): CacheStore {
  const opening = CacheStore.open(file);
  opened.push(opening);
  return opening;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-stored-sort-keys-'));
  file = join(dir, 'cache.sqlite');
  store = open();
  for (const source of ['a-lab', 'b-lab']) {
    store.addSource({ name: source, kind: 'folder', location: `/x/${source}`, createdAt: 'x' });
    for (let i = 1; i <= 40; i++) {
      const lr = i % 9 === 0 ? null : ((i * 7) % 13) / 10 + (source === 'b-lab' ? 0.05 : 0);
      write(store, source, run(`${source[0]}${i}`, lr, ((i * 11) % 17) / 3, i));
    }
  }
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});

afterEach(() => {
  vi.useRealTimers();
  for (const each of opened.splice(0)) if (each.database.open) each.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The app as it starts: a new connection to the cache file and a new engine. */
function restart(): QueryEngine {
  store.close();
  store = open();
  return new QueryEngine(store.database, () => NOW);
}

/** Lets the engine's idle-time work run to the end (keys built, then written to the file). */
function idle(): void {
  vi.runAllTimers();
}

function sorted(engine: QueryEngine, sort: SortSpec[], where?: string): string[] {
  return engine
    .query({ columns: SHOWN, sort, limit: 1000, ...(where === undefined ? {} : { where }) })
    .rows.map((row) => `${row.source}/${row.id}`);
}

/** The order as an engine that keeps no key computes it, on its own connection. */
function truth(sort: SortSpec[], where?: string): string[] {
  const other = open();
  try {
    return sorted(new QueryEngine(other.database, () => NOW, 0, false, false), sort, where);
  } finally {
    other.close();
  }
}

const byLr: SortSpec[] = [{ column: 'config.lr' }];
const byLossDesc: SortSpec[] = [{ column: 'metrics.loss.last', desc: true }];

function rowsOf(column: string): number {
  return store.database
    .prepare('SELECT count(*) FROM stored_column_orders WHERE column_id = ?')
    .pluck()
    .get(column) as number;
}

function storedRows(): number {
  return store.database
    .prepare('SELECT count(*) FROM stored_column_orders')
    .pluck()
    .get() as number;
}

describe('sort keys kept in the cache file', () => {
  it('a sort after a restart reads the key built before it, in the same order', () => {
    const first = new QueryEngine(store.database, () => NOW);
    const before = sorted(first, byLr);
    const lossBefore = sorted(first, byLossDesc);
    idle();
    expect(first.sortKeyCounts.saved).toBeGreaterThanOrEqual(2);

    const engine = restart();
    expect(sorted(engine, byLr)).toEqual(before);
    expect(sorted(engine, byLossDesc)).toEqual(lossBefore);
    // Read, not built: neither on the click nor before.
    expect(engine.sortKeyCounts).toMatchObject({ stored: 2, onDemand: 0, prepared: 0 });
    expect(before).toEqual(truth(byLr));
    expect(lossBefore).toEqual(truth(byLossDesc));
    // Either direction, and a filtered sort, come from the same stored key.
    expect(sorted(engine, [{ column: 'config.lr', desc: true }])).toEqual(
      truth([{ column: 'config.lr', desc: true }]),
    );
    expect(sorted(engine, byLr, 'config.lr > 0.5')).toEqual(truth(byLr, 'config.lr > 0.5'));
    expect(engine.sortKeyCounts.onDemand).toBe(0);
  });

  it('the shown columns have their stored keys read in idle time after a restart', () => {
    const first = new QueryEngine(store.database, () => NOW);
    first.query({ columns: SHOWN, limit: 50 });
    idle();
    expect(first.sortKeyCounts.prepared).toBe(SHOWN.length);

    const engine = restart();
    engine.query({ columns: SHOWN, limit: 50 });
    idle();
    // The shown columns' keys, and the default sort's (start time) read by that first query.
    expect(engine.sortKeyCounts).toMatchObject({ stored: SHOWN.length + 1, prepared: 0 });
    expect(sorted(engine, byLossDesc)).toEqual(truth(byLossDesc));
    expect(engine.sortKeyCounts.onDemand).toBe(0);
  });

  it('a sync in the app: the sort shows the new, changed and deleted runs in place, also after a restart', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    sorted(engine, byLr);
    idle();
    // The sync: a new run with the smallest lr, one run's lr now the largest, one run gone.
    write(store, 'b-lab', run('b99', -1, 1, 0.5));
    write(store, 'a-lab', run('a3', 9, 1, 3));
    store.deleteRun('a-lab', 'a5');
    const after = sorted(engine, byLr);
    expect(after[0]).toBe('b-lab/b99');
    expect(after.at(after.indexOf('a-lab/a3') + 1)).toMatch(/\/[ab](9|18|27|36)$/u); // then no lr
    expect(after).not.toContain('a-lab/a5');
    expect(after).toEqual(truth(byLr));
    idle();

    // The key stored before the sync is not used after it; the one built after it is.
    const restarted = restart();
    expect(sorted(restarted, byLr)).toEqual(after);
    expect(restarted.sortKeyCounts).toMatchObject({ stored: 1, onDemand: 0 });
  });

  it('another process syncs while the app is closed: the stored key is not used, the sort is right', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    const before = sorted(engine, byLr);
    idle();
    expect(rowsOf('config.lr')).toBe(1);
    store.close();

    // The CLI's sync: its own connection, no engine.
    const cli = open();
    write(cli, 'a-lab', run('a77', -5, 1, 0.2));
    write(cli, 'a-lab', run('a4', 50, 1, 4));
    cli.deleteRun('b-lab', 'b2');
    cli.close();

    store = open();
    const restarted = new QueryEngine(store.database, () => NOW);
    const after = sorted(restarted, byLr);
    expect(restarted.sortKeyCounts).toMatchObject({ stored: 0, onDemand: 1 });
    expect(after).toEqual(truth(byLr));
    expect(after[0]).toBe('a-lab/a77');
    expect(after).not.toContain('b-lab/b2');
    expect(after).not.toEqual(before);
    // The key built now replaces the stale one (one row per column and sources).
    idle();
    expect(rowsOf('config.lr')).toBe(1);
    const other = open();
    expect(sorted(new QueryEngine(other.database, () => NOW), byLr)).toEqual(after);
  });

  it('a text changed by another process while the app is closed: the stale key is not used', () => {
    const byName: SortSpec[] = [{ column: 'config.name' }];
    const engine = new QueryEngine(store.database, () => NOW);
    const before = sorted(engine, byName);
    idle();
    store.close();
    // Only a text changes: same runs, same kinds of values; the stamps alone tell.
    const cli = open();
    const renamed = run('b7', 0.1, 1, 7);
    renamed.config = { ...renamed.config, name: 'a first name' };
    write(cli, 'b-lab', renamed);
    cli.close();
    store = open();
    const restarted = new QueryEngine(store.database, () => NOW);
    const after = sorted(restarted, byName);
    expect(after[0]).toBe('b-lab/b7');
    expect(after).toEqual(truth(byName));
    expect(after).not.toEqual(before);
    expect(restarted.sortKeyCounts).toMatchObject({ stored: 0, onDemand: 1 });
  });

  it('a write by another process while the app runs: the running app and its next start both sort right', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    sorted(engine, byLossDesc);
    idle();
    const cli = open();
    write(cli, 'b-lab', run('b100', 3, 1000, 0.1));
    cli.close();
    const after = sorted(engine, byLossDesc);
    expect(after[0]).toBe('b-lab/b100');
    expect(after).toEqual(truth(byLossDesc));
    idle();
    const restarted = restart();
    expect(sorted(restarted, byLossDesc)).toEqual(after);
    expect(restarted.sortKeyCounts.stored).toBe(1);
  });

  it('a stored key that does not fit the values (written by hand, or a hole in the stamps) is built again', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    const before = sorted(engine, byLr);
    idle();
    // The stored order reversed, its stamps left as they are: the check must catch it.
    const row = store.database
      .prepare("SELECT ascending FROM stored_column_orders WHERE column_id = 'config.lr'")
      .pluck()
      .get() as Buffer;
    const ascending = new Uint32Array(row.byteLength / 4);
    new Uint8Array(ascending.buffer).set(row);
    ascending.reverse();
    store.database
      .prepare("UPDATE stored_column_orders SET ascending = ? WHERE column_id = 'config.lr'")
      .run(Buffer.from(ascending.buffer));

    const restarted = restart();
    expect(sorted(restarted, byLr)).toEqual(before);
    expect(restarted.sortKeyCounts).toMatchObject({ stored: 0, onDemand: 1 });
  });

  it('a key of other sources is not used: one source alone has its own', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    sorted(engine, byLr);
    idle();
    const restarted = restart();
    const onlyB = restarted
      .query({ sources: ['b-lab'], columns: [], sort: byLr, limit: 1000 })
      .rows.map((row) => row.id);
    expect(restarted.sortKeyCounts).toMatchObject({ stored: 0, onDemand: 1 });
    const expected = truth(byLr)
      .filter((id) => id.startsWith('b-lab/'))
      .map((id) => id.slice('b-lab/'.length));
    expect(onlyB).toEqual(expected);
  });

  it('keeps a bounded number of keys, the newest', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    const columns = Array.from({ length: 40 }, (_, i) => `config.c${i}`);
    for (const column of columns) {
      sorted(engine, [{ column }]);
      idle();
    }
    expect(storedRows()).toBe(32);
    const kept = store.database
      .prepare('SELECT column_id FROM stored_column_orders')
      .pluck()
      .all() as string[];
    expect(kept).toContain('config.c39');
    expect(kept).not.toContain('config.c0');
  });

  it('a read-only cache still sorts (keys built, nothing stored)', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    const before = sorted(engine, byLr);
    store.close();
    store = open();
    // Writes refused (a cache on a read-only disk, or opened by a reader).
    store.database.pragma('query_only = ON');
    const reader = new QueryEngine(store.database, () => NOW);
    expect(sorted(reader, byLr)).toEqual(before);
    idle();
    expect(reader.sortKeyCounts.saved).toBe(0);
  });
});
