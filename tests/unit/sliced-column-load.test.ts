// The columns a page read for its runs alone are loaded whole in idle time, a slice of rows
// per step (main/core/query/sliced-column-load.ts): a whole column of 70k runs held the thread
// 50–250 ms, and a call arriving meanwhile (the column picker's other call) waited for it.
// What a user would notice if that went wrong: a call waiting for the load, or values after
// the load that differ from what a whole load gives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueryRow } from '../../shared/contract';
import { formatColumnPath } from '../../shared/filter';
import { CacheStore } from '../../main/core/cache/cache-store';
import type { Column } from '../../main/core/query/column';
import { QueryEngine, resolveColumn } from '../../main/core/query/query-engine';
import { writeRunTableData } from '../support/run-table-data';

const NOW = Date.UTC(2025, 0, 1);
const RUNS = 200;
const SLICE = 24;
/** Numbers, texts, lists and missing values; a metric summary with NaN and missing runs. */
const SHOWN = [
  'config.g0.p1',
  'config.g0.p0',
  'config.maybe',
  'config.layers',
  formatColumnPath(['metrics', 'val.loss', 'last']),
  formatColumnPath(['metrics', 'metric_3', 'min']),
];
const WATCHED = 'config.g0.p1';

let dir: string;
const opened: CacheStore[] = [];
let store: CacheStore;

const open = (): CacheStore => {
  const each = CacheStore.open(join(dir, 'cache.sqlite'));
  opened.push(each);
  return each;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-sliced-load-'));
  store = open();
  writeRunTableData(store, 'a-lab', { runs: RUNS, seed: 7, configKeys: 20, nowMs: NOW });
  writeRunTableData(store, 'b-lab', { runs: RUNS / 2, seed: 8, configKeys: 20, nowMs: NOW });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});

afterEach(() => {
  vi.useRealTimers();
  for (const each of opened.splice(0)) if (each.database.open) each.close();
  rmSync(dir, { recursive: true, force: true });
});

function engineWithSlices(): QueryEngine {
  const engine = new QueryEngine(store.database, () => NOW, 8, true, false);
  engine.index.sliceRows = SLICE;
  return engine;
}

const segmentsOf = (engine: QueryEngine) => engine.index.segmentsOf(engine.index.sourceNames());

/** Runs idle steps one at a time until `done` (or none is left). */
function stepUntil(done: () => boolean): void {
  for (let i = 0; i < 10_000 && !done() && vi.getTimerCount() > 0; i++) {
    vi.advanceTimersToNextTimer();
  }
}

/** Each source's columns as a whole load gives them, on another connection. */
function wholeColumns(): Map<string, Column> {
  const other = open();
  const engine = new QueryEngine(other.database, () => NOW, 0, false, false);
  const out = new Map<string, Column>();
  for (const segment of segmentsOf(engine)) {
    for (const id of SHOWN) {
      out.set(`${segment.source} ${id}`, engine.index.column(segment, id, resolveColumn(id).path));
    }
  }
  other.close();
  return out;
}

/**
 * Every shown column of every source as a whole load gives it: kinds, dictionary codes, and
 * either the numbers array itself or each run's value.
 */
function expectLoadedAsWhole(engine: QueryEngine, compare: 'numbers' | 'values'): void {
  const whole = wholeColumns();
  for (const segment of segmentsOf(engine)) {
    const values = (each: Column | undefined) =>
      compare === 'numbers'
        ? each?.numsIfAny()
        : Array.from({ length: segment.length }, (_, row) => each?.jsonValue(row));
    for (const id of SHOWN) {
      const column = segment.columns.get(id);
      const expected = whole.get(`${segment.source} ${id}`);
      expect(column?.kinds).toEqual(expected?.kinds);
      expect(values(column)).toEqual(values(expected));
      expect(column?.codes).toEqual(expected?.codes);
      expect(column?.dict).toEqual(expected?.dict);
    }
  }
}

/** A page's rows as an engine without page reads gives them (every column loaded whole). */
function wholeRows(where?: string): QueryRow[] {
  const other = open();
  try {
    const engine = new QueryEngine(other.database, () => NOW, 0, false, false);
    const ordered = engine.ordered({ where });
    const columns = SHOWN.map(resolveColumn);
    const rows: QueryRow[] = [];
    for (let k = 0; k < ordered.total; k++) rows.push(engine.row(ordered, k, columns));
    return rows;
  } finally {
    other.close();
  }
}

/** Rows sorted as an engine with every column loaded whole sorts them. */
function sortedRows(sort: { column: string; desc: boolean }[], where?: string): QueryRow[] {
  const other = open();
  try {
    const engine = new QueryEngine(other.database, () => NOW, 0, false, false);
    return engine.query({ columns: SHOWN, where, sort, limit: RUNS * 2 }).rows;
  } finally {
    other.close();
  }
}

describe('a column loaded whole in idle steps', () => {
  it('answers a call that arrives between two slices without finishing the load', () => {
    const engine = engineWithSlices();
    engine.query({ columns: SHOWN, limit: 30 });
    const [a] = segmentsOf(engine);
    // A few slices of the first column of the first source are read, not all of them.
    stepUntil(() => engine.index.counts.slices >= 3);
    expect(engine.index.counts.slices).toBe(3);
    expect(a?.columns.has(WATCHED)).toBe(false);
    const loads = engine.index.counts.columnLoads;

    // The window asks another page meanwhile: answered at once from page reads.
    const page = engine.query({ columns: SHOWN, offset: 100, limit: 40 }).rows;
    expect(page).toEqual(wholeRows().slice(100, 140));
    expect(engine.index.counts.columnLoads).toBe(loads);
    expect(a?.columns.has(WATCHED)).toBe(false);

    // The load goes on from where it was, a slice a step.
    const slices = engine.index.counts.slices;
    stepUntil(() => engine.index.counts.slices > slices);
    expect(a?.columns.has(WATCHED)).toBe(false);
    vi.runAllTimers();
    // Every source's column in ceil(runs / SLICE) slices each (a metric's runs without it too):
    // with no key kept, each column loads alone, so the first one's key is built soonest.
    expect(engine.index.counts.slices).toBe(
      SHOWN.length * (Math.ceil(RUNS / SLICE) + Math.ceil(RUNS / 2 / SLICE)),
    );
    expect(engine.sortKeyCounts.loadedIdle).toBe(SHOWN.length * 2);
    expectLoadedAsWhole(engine, 'numbers');
    expect(engine.query({ columns: SHOWN, limit: RUNS * 2 }).rows).toEqual(wholeRows());
  });

  it('after a restart the config columns load in one pass, as whole loads; a sort meanwhile is right', () => {
    // The first start: the keys built in idle time and stored in the cache file.
    const first = new QueryEngine(store.database, () => NOW);
    first.query({ columns: SHOWN, limit: 30 });
    vi.runAllTimers();
    expect(first.sortKeyCounts.saved).toBeGreaterThanOrEqual(SHOWN.length);
    // The restart: the stored keys are read first, then the columns load in slices.
    store.close();
    store = open();
    const engine = new QueryEngine(store.database, () => NOW);
    engine.index.sliceRows = SLICE;
    engine.query({ columns: SHOWN, limit: 30 });
    const [a] = segmentsOf(engine);
    stepUntil(() => engine.index.counts.slices >= 2);
    expect(engine.sortKeyCounts.storedUnloaded).toBeGreaterThanOrEqual(SHOWN.length);
    const config = SHOWN.filter((id) => id.startsWith('config.'));
    expect(config.some((id) => a?.columns.has(id))).toBe(false);

    // A filter on another config column than the one whose load started the pass: its rest is
    // read for every config column of the source at once, and the rows are right.
    const where = "config.g0.p0 != 'x'";
    const sort = [{ column: 'config.g0.p0', desc: true }];
    const rows = engine.query({ columns: SHOWN, where, sort, limit: RUNS * 2 }).rows;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows).toEqual(sortedRows(sort, where));
    expect(config.every((id) => a?.columns.has(id))).toBe(true);

    vi.runAllTimers();
    // The other source's config columns in one pass a slice too: one load per source for the
    // four of them, and one per metric column.
    const metrics = SHOWN.length - config.length;
    expect(engine.index.counts.slices).toBeLessThanOrEqual(
      2 + (1 + metrics) * (Math.ceil(RUNS / 2 / SLICE) + Math.ceil(RUNS / SLICE)),
    );
    expect(engine.index.counts.slices).toBeLessThan(
      (SHOWN.length * (Math.ceil(RUNS / SLICE) + Math.ceil(RUNS / 2 / SLICE))) / 2,
    );
    expect(engine.sortKeyCounts.rejected).toBe(0);
    // Each run's value: a sort key's full check may have left a numbers array behind.
    expectLoadedAsWhole(engine, 'values');
    for (const column of config) {
      const each = [{ column, desc: false }];
      expect(engine.query({ columns: SHOWN, sort: each, limit: RUNS * 2 }).rows).toEqual(
        sortedRows(each),
      );
    }
  });

  it('a filter on a column half loaded reads the rest of it at once', () => {
    const engine = engineWithSlices();
    engine.query({ columns: SHOWN, limit: 30 });
    stepUntil(() => engine.index.counts.slices >= 2);
    const where = 'config.g0.p1 > 2';
    const rows = engine.query({ columns: SHOWN, where, limit: RUNS * 2 }).rows;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows).toEqual(wholeRows(where));
    expect(segmentsOf(engine).every((segment) => segment.columns.has(WATCHED))).toBe(true);
  });

  it('another process writes between two slices: the rows after the load are right', () => {
    const engine = engineWithSlices();
    engine.query({ columns: SHOWN, limit: 30 });
    stepUntil(() => engine.index.counts.slices >= 2);
    const other = open();
    // A run of a slice not read yet deleted, and a value of one already read rewritten.
    expect(other.deleteRun('a-lab', '190')).toBe(true);
    other.database
      .prepare(
        `UPDATE runs SET config = json_set(config, '$.g0.p1', 99)
         WHERE source = 'a-lab' AND run_id = '1'`,
      )
      .run();
    other.close();
    vi.runAllTimers();
    const rows = engine.query({ columns: SHOWN, limit: RUNS * 2 }).rows;
    expect(rows).toEqual(wholeRows());
    expect(rows.find((row) => row.source === 'a-lab' && row.id === '1')?.values[WATCHED]).toBe(99);
    expect(rows.some((row) => row.source === 'a-lab' && row.id === '190')).toBe(false);
  });
});
