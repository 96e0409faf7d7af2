// A restarted window asks its first page with the columns the catalog shows, none of them
// filtered or sorted by: the page reads their values for its runs alone (page-column.ts)
// instead of loading each whole column, and the whole columns load in idle time after it.
// The rows must be exactly those the whole columns give.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueryRow } from '../../shared/contract';
import { formatColumnPath } from '../../shared/filter';
import type { SortSpec } from '../../shared/filter';
import { CacheStore } from '../../main/core/cache/cache-store';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import { StaleSegmentError } from '../../main/core/query/column-loaders';
import {
  PAGE_READS_BEFORE_WHOLE,
  QueryEngine,
  WHOLE_LOADS_PER_PAGE,
  resolveColumn,
} from '../../main/core/query/query-engine';
import type { SourceSegment } from '../../main/core/query/source-segment';
import { generateRun, writeRunTableData } from '../support/run-table-data';

const NOW = Date.UTC(2025, 0, 1);
const RUNS = 240;

const VAL_LOSS_LAST = formatColumnPath(['metrics', 'val.loss', 'last']);
/** Shown columns a page reads for its runs alone: nested and odd config keys, metric summaries. */
const PAGE_READ = [
  'config.optimizer.lr',
  formatColumnPath(['config', 'model', 'drop.out']),
  formatColumnPath(['config', 'data', '$ref']),
  // Missing on most runs, null, a number, a text, true or a list on the others.
  'config.maybe',
  // A list index: SQLite's JSON path cannot say it, so the run's config text is walked.
  formatColumnPath(['config', 'layers', '1']),
  'config.when',
  'config.g0.p1',
  'config.nowhere',
  'info.best_epoch',
  'host.cpu',
  VAL_LOSS_LAST,
  formatColumnPath(['metrics', 'metric_0', 'min']),
  formatColumnPath(['metrics', 'metric_2', 'mean']),
  formatColumnPath(['metrics', 'metric_3', 'last10']),
];
/** Shown columns only the whole column gives (the built-in result, the mean of the last 3). */
const WHOLE = ['result', formatColumnPath(['metrics', 'metric_4', 'last3']), 'dead', 'status'];
const SHOWN = [...PAGE_READ, ...WHOLE];

let dir: string;
let store: CacheStore;
const opened: CacheStore[] = [];

const open = (): CacheStore => {
  const each = CacheStore.open(join(dir, 'cache.sqlite'));
  opened.push(each);
  return each;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-page-columns-'));
  store = open();
  writeRunTableData(store, 'a-lab', { runs: RUNS, seed: 3, configKeys: 20, nowMs: NOW });
  writeRunTableData(store, 'b-lab', { runs: RUNS, seed: 4, configKeys: 20, nowMs: NOW });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});

afterEach(() => {
  vi.useRealTimers();
  for (const each of opened.splice(0)) if (each.database.open) each.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Page {
  offset: number;
  limit: number;
  sort?: SortSpec[];
}

const PAGES: Page[] = [
  { offset: 0, limit: 60 },
  { offset: 200, limit: 100 },
  { offset: RUNS * 2 - 30, limit: 100 },
  { offset: 10, limit: 50, sort: [{ column: 'config.seed' }] },
];

/**
 * The rows of a page as the whole columns give them, from a new connection and an engine
 * whose every column is loaded whole (QueryEngine.row without a page read).
 */
function wholeRows(page: Page): QueryRow[] {
  const other = open();
  try {
    const engine = new QueryEngine(other.database, () => NOW, 0, false, false);
    const ordered = engine.ordered({ sort: page.sort });
    const columns = SHOWN.map(resolveColumn);
    const rows: QueryRow[] = [];
    const end = Math.min(ordered.total, page.offset + page.limit);
    for (let k = page.offset; k < end; k++) rows.push(engine.row(ordered, k, columns));
    return rows;
  } finally {
    other.close();
  }
}

const pageRows = (engine: QueryEngine, page: Page): QueryRow[] =>
  engine.query({ columns: SHOWN, offset: page.offset, limit: page.limit, sort: page.sort }).rows;

const segmentsOf = (engine: QueryEngine): SourceSegment[] =>
  engine.index.segmentsOf(engine.index.sourceNames());

const loaded = (engine: QueryEngine, ids: readonly string[]): string[] =>
  segmentsOf(engine).flatMap((segment) =>
    ids.filter((id) => segment.columns.has(id)).map((id) => `${segment.source}:${id}`),
  );

describe('a page with shown columns no filter or sort uses', () => {
  it('gives the rows the whole columns give, without loading them', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    for (const page of PAGES) {
      const rows = pageRows(engine, page);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(wholeRows(page));
    }
    // The data has what the reads must get right: missing keys, nulls, lists, NaN metrics.
    const values = pageRows(engine, { offset: 0, limit: RUNS * 2 }).map((row) => row.values);
    expect(values.some((v) => !('config.maybe' in v))).toBe(true);
    expect(values.some((v) => v['config.maybe'] === null)).toBe(true);
    expect(values.some((v) => Array.isArray(v['config.maybe']))).toBe(true);
    expect(values.some((v) => v[VAL_LOSS_LAST] === 'NaN')).toBe(true);
    expect(values.some((v) => !(VAL_LOSS_LAST in v))).toBe(true);
    expect(values.every((v) => !('config.nowhere' in v))).toBe(true);
    // No page loaded a page-read column whole: every one was read for its page's runs.
    expect(loaded(engine, PAGE_READ)).toEqual([]);
    expect(engine.index.counts.pageReads).toBeGreaterThanOrEqual(PAGES.length * PAGE_READ.length);
  });

  it('loads the whole columns in idle time, then uses them and sorts by them as before', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    const first = pageRows(engine, PAGES[0] as Page);
    expect(loaded(engine, PAGE_READ)).toEqual([]);
    vi.runAllTimers();
    // Every page-read column of both sources, one segment a step.
    expect(loaded(engine, PAGE_READ)).toHaveLength(PAGE_READ.length * 2);
    expect(engine.sortKeyCounts.loadedIdle).toBe(PAGE_READ.length * 2);
    const reads = engine.index.counts.pageReads;
    const loads = engine.index.counts.columnLoads;
    expect(pageRows(engine, PAGES[0] as Page)).toEqual(first);
    // A click on a shown column's header: its key was built in idle time, nothing is read.
    const onDemand = engine.sortKeyCounts.onDemand;
    const sort = [{ column: 'config.optimizer.lr', desc: true }];
    const sorted = pageRows(engine, { offset: 0, limit: 80, sort });
    expect(sorted).toEqual(wholeRows({ offset: 0, limit: 80, sort }));
    expect(engine.sortKeyCounts.onDemand).toBe(onDemand);
    expect(engine.index.counts.pageReads).toBe(reads);
    expect(engine.index.counts.columnLoads).toBe(loads);
  });

  it('a scroll through many pages with no idle time loads the columns whole after a few pages', () => {
    // A fling asks a page every ~100 ms: the idle-time load never comes, and reading every
    // column of every source for each page kept the serve thread busy for seconds.
    const engine = new QueryEngine(store.database, () => NOW);
    const pages = Array.from({ length: 40 }, (_, i) => ({
      offset: (i * 37) % (RUNS * 2 - 20),
      limit: 20,
    }));
    for (const page of pages.slice(0, PAGE_READS_BEFORE_WHOLE)) pageRows(engine, page);
    // The first pages (a restarted window's) still read for their runs alone.
    expect(loaded(engine, PAGE_READ)).toEqual([]);
    for (const page of pages.slice(PAGE_READS_BEFORE_WHOLE)) {
      expect(pageRows(engine, page)).toEqual(wholeRows(page));
    }
    expect(loaded(engine, PAGE_READ)).toHaveLength(PAGE_READ.length * 2);
    const reads = engine.index.counts.pageReads;
    pageRows(engine, { offset: 100, limit: 200 });
    expect(engine.index.counts.pageReads).toBe(reads);
  });

  it('loads at most a few whole columns per page, so no single page pays for them all', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    for (let i = 0; i < PAGE_READS_BEFORE_WHOLE; i++)
      pageRows(engine, { offset: 0, limit: RUNS * 2 });
    const loads = engine.index.counts.columnLoads;
    pageRows(engine, { offset: 0, limit: RUNS * 2 });
    expect(engine.index.counts.columnLoads - loads).toBe(WHOLE_LOADS_PER_PAGE);
  });

  it('a write by another process between the page and the idle load: the next page is right', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    pageRows(engine, PAGES[1] as Page);
    const other = open();
    const random = new SeededRandom(99);
    // Another process (the CLI) deletes a run and rewrites another with new values.
    expect(other.deleteRun('a-lab', '7')).toBe(true);
    const changed = generateRun('12', random, { runs: 1, configKeys: 20, nowMs: NOW });
    changed.config = { ...changed.config, optimizer: { lr: 42, name: 'rewritten' } };
    other.writeRun('b-lab', { id: '12', dir: null, fingerprint: 'g' }, changed);
    vi.runAllTimers();
    for (const page of PAGES) expect(pageRows(engine, page)).toEqual(wholeRows(page));
    const all = pageRows(engine, { offset: 0, limit: RUNS * 2 });
    expect(all.map((row) => `${row.source}/${row.id}`)).not.toContain('a-lab/7');
    const rewritten = all.find((row) => row.source === 'b-lab' && row.id === '12');
    expect(rewritten?.values['config.optimizer.lr']).toBe(42);
  });

  it('a run gone from under a page read: the read says the segment is stale and drops it', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    pageRows(engine, PAGES[0] as Page);
    const segment = segmentsOf(engine).find((each) => each.source === 'a-lab') as SourceSegment;
    const row = segment.ids.indexOf('5');
    expect(open().deleteRun('a-lab', '5')).toBe(true);
    expect(() => engine.index.pageColumn(segment, ['config', 'optimizer', 'lr'], [row])).toThrow(
      StaleSegmentError,
    );
    expect(engine.index.isCurrent(segment)).toBe(false);
    // The next query loads the source again and no longer shows the run.
    const ids = pageRows(engine, { offset: 0, limit: RUNS * 2 }).map((r) => `${r.source}/${r.id}`);
    expect(ids).not.toContain('a-lab/5');
    expect(ids).toHaveLength(RUNS * 2 - 1);
  });
});
