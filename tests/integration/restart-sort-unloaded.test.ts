// The first sort after the app restarts, by a column the restarted window shows but nobody
// filtered or sorted by yet: its sort key is read from the cache file and checked on sampled
// runs read alone (main/core/query/stored-order-check.ts), so the click waits for no whole
// column (~100 ms per source at 100k runs); the column loads in idle time after, and the key
// is then checked in full. What a user would notice if that went wrong: rows in a wrong order,
// from a key stored for other values (a hole in the stamps, a file edited by hand).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { QueryEngine } from '../../main/core/query/query-engine';
import { positionsRead, sampledPairs } from '../../main/core/query/stored-order-check';
import type { SortSpec } from '../../shared/filter';
import { writeRunTableData } from '../support/run-table-data';

const NOW = Date.UTC(2025, 0, 1);
const NUMBERS = 'config.g0.p1';
const TEXTS = 'config.g0.p0';
const METRIC = 'metrics.metric_0.last';
const SORTED = [NUMBERS, TEXTS, METRIC];
const SHOWN = [...SORTED, 'config.seed', 'config.name'];
let dir: string;
let file: string;
let store: CacheStore;
const opened: CacheStore[] = [];

function open(): CacheStore {
  const opening = CacheStore.open(file);
  opened.push(opening);
  return opening;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-restart-sort-'));
  file = join(dir, 'cache.sqlite');
  store = open();
  writeRunTableData(store, 'a-lab', { runs: 300, seed: 5, configKeys: 20, nowMs: NOW });
  writeRunTableData(store, 'b-lab', { runs: 200, seed: 6, configKeys: 20, nowMs: NOW });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  // The app's first start: each column sorted once, the keys stored in idle time.
  const first = new QueryEngine(store.database, () => NOW);
  first.query({ columns: SHOWN, limit: 50 });
  for (const column of SORTED) first.query({ columns: SHOWN, sort: [{ column }], limit: 50 });
  vi.runAllTimers();
  expect(first.sortKeyCounts.saved).toBeGreaterThanOrEqual(SORTED.length);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const each of opened.splice(0)) if (each.database.open) each.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The app started again: a new connection, a new engine, the window's first page. */
function restart(): QueryEngine {
  store.close();
  store = open();
  const engine = new QueryEngine(store.database, () => NOW);
  engine.query({ columns: SHOWN, limit: 50 });
  return engine;
}

const ids = (engine: QueryEngine, sort: SortSpec[], limit = 50): string[] =>
  engine
    .query({ columns: SHOWN, sort, limit })
    .rows.map((row) => `${row.source}/${row.id}:${JSON.stringify(row.values)}`);

/** The page as an engine that keeps no key computes it, on its own connection. */
function truth(sort: SortSpec[], limit = 50): string[] {
  const other = open();
  try {
    return ids(new QueryEngine(other.database, () => NOW, 0, false, false), sort, limit);
  } finally {
    other.close();
  }
}

/** Segments (source names) in which the engine has loaded the column whole. */
function loadedIn(engine: QueryEngine, column: string): string[] {
  return engine.index
    .segmentsOf(engine.index.sourceNames())
    .filter((segment) => segment.columns.has(column))
    .map((segment) => segment.source);
}

/** Rewrites the stored key of a column (the cache file edited under the app). */
function editStoredKey(column: string, edit: (ascending: Uint32Array) => void): void {
  const blob = store.database
    .prepare('SELECT ascending FROM stored_column_orders WHERE column_id = ?')
    .pluck()
    .get(column) as Buffer;
  const ascending = new Uint32Array(blob.byteLength / 4);
  new Uint8Array(ascending.buffer).set(blob);
  edit(ascending);
  store.database
    .prepare('UPDATE stored_column_orders SET ascending = ? WHERE column_id = ?')
    .run(Buffer.from(ascending.buffer), column);
}

/**
 * Changes config values without moving the source's run_versions counter: run_json is what
 * the columns read, and its writes have no trigger (the triggers count writes to runs). Such
 * a hole in the stamps is what the checks are for.
 */
function changeBehindTheStamps(sql: string): void {
  const other = open();
  expect(other.database.prepare(sql).run().changes).toBeGreaterThan(0);
  other.close();
}

describe('the first sort after a restart, by a column not loaded', () => {
  it('reads the stored key and the page reads the column for its runs alone', () => {
    const engine = restart();
    const loads = engine.index.counts.columnLoads;
    for (const column of SORTED) {
      for (const desc of [false, true]) {
        const sort = [{ column, desc }];
        expect(ids(engine, sort)).toEqual(truth(sort));
      }
      // No whole column was loaded for the click: not the sorted one, not any other.
      expect(loadedIn(engine, column)).toEqual([]);
    }
    expect(engine.index.counts.columnLoads).toBe(loads);
    expect(engine.sortKeyCounts).toMatchObject({
      storedUnloaded: SORTED.length,
      onDemand: 0,
      rejected: 0,
    });

    // The columns load in idle time, and the keys read before are checked in full then.
    vi.runAllTimers();
    for (const column of SORTED) expect(loadedIn(engine, column)).toEqual(['a-lab', 'b-lab']);
    // Every shown column's key was stored by the first start: none is built.
    expect(engine.sortKeyCounts).toMatchObject({ rejected: 0, onDemand: 0, prepared: 0 });
    const sort = [{ column: NUMBERS, desc: true }];
    expect(ids(engine, sort, 500)).toEqual(truth(sort, 500));
  });

  it('idle time reads the shown columns stored keys before their columns load', () => {
    const engine = restart();
    // Until the keys are read (a few run reads each), not until the columns are loaded.
    for (let i = 0; i < 1000 && engine.sortKeyCounts.storedUnloaded < SORTED.length; i++) {
      vi.advanceTimersToNextTimer();
    }
    expect(engine.sortKeyCounts.storedUnloaded).toBe(SORTED.length);
    expect(loadedIn(engine, METRIC)).toEqual([]);
    const sort = [{ column: METRIC, desc: true }];
    expect(ids(engine, sort)).toEqual(truth(sort));
    expect(loadedIn(engine, METRIC)).toEqual([]);
  });

  it('a stored key reversed, or another column key, is caught before the column loads', () => {
    editStoredKey(NUMBERS, (ascending) => ascending.reverse());
    const other = store.database
      .prepare(
        "SELECT ascending, group_starts, value_end FROM stored_column_orders WHERE column_id = 'config.g0.p0'",
      )
      .get() as { ascending: Buffer; group_starts: Buffer; value_end: number };
    store.database
      .prepare(
        `UPDATE stored_column_orders SET ascending = ?, group_starts = ?, value_end = ?
         WHERE column_id = ?`,
      )
      .run(other.ascending, other.group_starts, other.value_end, METRIC);

    const engine = restart();
    for (const column of [NUMBERS, METRIC]) {
      const sort = [{ column }];
      expect(ids(engine, sort)).toEqual(truth(sort));
    }
    expect(engine.sortKeyCounts).toMatchObject({ storedUnloaded: 0, onDemand: 2, rejected: 2 });
  });

  it('values changed behind the stamps: the sample catches a stale key', () => {
    // Every value of the column negated: its stored order is now backwards.
    changeBehindTheStamps(
      `UPDATE run_json SET config = jsonb_set(config, '$.g0.p1', -(config ->> '$.g0.p1'))
       WHERE config ->> '$.g0.p1' IS NOT NULL`,
    );
    const engine = restart();
    const sort = [{ column: NUMBERS }];
    expect(ids(engine, sort)).toEqual(truth(sort));
    expect(engine.sortKeyCounts).toMatchObject({ storedUnloaded: 0, onDemand: 1, rejected: 1 });
  });

  it('one value changed behind the stamps, missed by the sample: the full check once the column loads rebuilds the key', () => {
    // A fixed sample, and a run it does not read.
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const key = store.database
      .prepare(
        "SELECT ascending, value_end FROM stored_column_orders WHERE column_id = 'config.g0.p1'",
      )
      .get() as { ascending: Buffer; value_end: number };
    const ascending = new Uint32Array(key.ascending.byteLength / 4);
    new Uint8Array(ascending.buffer).set(key.ascending);
    const order = { ascending, groupStarts: new Uint32Array(0), valueEnd: key.value_end };
    const read = positionsRead(order, sampledPairs(ascending.length));
    let k = 10;
    while (read.has(ascending[k] as number)) k++;
    // Which run sits at position ascending[k]: the layout is the engine's (both sources, each
    // in its default order); an engine tells, through the key it built.
    const probe = restart();
    const byValue = probe.query({ columns: [NUMBERS], sort: [{ column: NUMBERS }], limit: 500 });
    const moved = byValue.rows[k];
    expect(moved).toBeDefined();
    changeBehindTheStamps(
      `UPDATE run_json SET config = jsonb_set(config, '$.g0.p1', 1000)
       WHERE source = '${moved?.source}' AND run_id = '${moved?.id}'`,
    );

    const engine = restart();
    const sort = [{ column: NUMBERS }];
    ids(engine, sort);
    expect(engine.sortKeyCounts).toMatchObject({ storedUnloaded: 1, rejected: 0 });
    vi.runAllTimers();
    expect(engine.sortKeyCounts.rejected).toBe(1);
    const all = ids(engine, sort, 500);
    expect(all).toEqual(truth(sort, 500));
    // The run now holds the largest value: last of the runs with one.
    expect(all.findIndex((row) => row.startsWith(`${moved?.source}/${moved?.id}:`))).toBe(
      all.filter((row) => row.includes(`"${NUMBERS}":`)).length - 1,
    );
  });
});
