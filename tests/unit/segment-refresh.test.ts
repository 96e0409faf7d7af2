import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { LiveRunStore } from '../../main/core/cache/live-run-store';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { Kind } from '../../main/core/query/column';
import type { Column } from '../../main/core/query/column';
import { QueryEngine, resolveColumn } from '../../main/core/query/query-engine';
import { compareRunIds } from '../../main/core/query/refresh-segment';
import type { SourceSegment } from '../../main/core/query/source-segment';
import type { SortSpec } from '../../shared/filter';
import { generateRun, writeRunTableData } from '../support/run-table-data';

/**
 * The run table patches the rows of the runs this process changed (a live refresh, a sync
 * touching a few runs) instead of reloading a source. Whatever the sequence of writes, a
 * patched engine must answer exactly like an engine that loads everything afresh.
 */
const NOW = Date.UTC(2025, 0, 1);
let dir: string;
let store: CacheStore;
/** The same file through another connection: an engine that never saw a change. */
let other: CacheStore;

const COLUMNS = [
  'config.seed',
  'config.optimizer.lr',
  'config.name',
  'config.maybe',
  'config.layers',
  'config.tags',
  'config."a.b".c',
  'status',
  'start_time',
  'stop_time',
  'heartbeat',
  'duration',
  'experiment',
  'command',
  'host',
  'notes',
  'comment',
  'tags',
  'result',
  'result.acc',
  'artifacts',
  'metrics',
  'id',
  'source',
  'metrics.metric_0.last',
  'metrics.metric_0.count',
  'metrics."val.loss".min',
  'metrics.metric_2.mean',
  'metrics.metric_3.last3',
  'metrics.metric_3.last200',
  'info.best_epoch',
];

const FILTERS = [
  undefined,
  'status = RUNNING',
  'dead = true',
  'dead = false and status = RUNNING',
  'config.optimizer.lr >= 0.01 and status in (COMPLETED, RUNNING)',
  'metrics.metric_0.last < 0.5 or metrics.metric_0.last missing',
  'metrics.metric_3.last3 > 0.2',
  'tags contains best',
  'text contains "good"',
  'config.name ~ "^[a-g]"',
  'start_time exists and duration > 1000',
];

const SORTS: (SortSpec[] | undefined)[] = [
  undefined,
  [{ column: 'config.seed' }],
  [{ column: 'metrics.metric_2.mean', desc: true }],
  [{ column: 'config.name' }, { column: 'start_time', desc: true }],
  [{ column: 'dead', desc: true }, { column: 'id' }],
  [{ column: 'notes' }],
  [{ column: 'heartbeat', desc: true }],
];

const ODD_IDS = [
  '007',
  '7',
  'run_é',
  'run_😀',
  'run_\uE000',
  'Z',
  'a b',
  '0',
  '100000000000000000',
];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-refresh-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  writeRunTableData(store, 'a-lab', { runs: 60, seed: 3, configKeys: 20, nowMs: NOW });
  writeRunTableData(store, 'b-lab', { runs: 25, seed: 4, configKeys: 20, nowMs: NOW });
  other = CacheStore.open(join(dir, 'cache.sqlite'));
});

afterEach(() => {
  other.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function answers(engine: QueryEngine) {
  const out: unknown[] = [];
  FILTERS.forEach((where, i) => {
    // Each filter with three of the sorts, every sort with several filters.
    for (const sort of [
      SORTS[i % SORTS.length],
      SORTS[(i + 2) % SORTS.length],
      SORTS[(i + 5) % SORTS.length],
    ]) {
      const result = engine.query({ where, sort, columns: COLUMNS, limit: 1000 });
      out.push({ where, sort, total: result.total, rows: result.rows });
    }
  });
  return out;
}

/** Every value of a column as text (kind, number, dictionary text): codes compared by text. */
function dump(column: Column): string[] {
  const out: string[] = [];
  for (let i = 0; i < column.length; i++) {
    const kind = column.kinds[i] as number;
    const code = column.code(i);
    const num = kind === Kind.Missing ? '' : String(column.nums[i]);
    out.push(`${kind}|${num}|${code < 0 ? '' : column.dict[code]}`);
  }
  return out;
}

/** The patched segment holds what a fresh load holds: rows, order, columns, dictionaries. */
function expectSameSegments(patched: SourceSegment[], fresh: QueryEngine): void {
  const loaded = fresh.index.segmentsOf(patched.map((segment) => segment.source));
  patched.forEach((segment, s) => {
    const load = loaded[s] as SourceSegment;
    expect(segment.ids).toEqual(load.ids);
    expect([...segment.baseOrder]).toEqual([...load.baseOrder]);
    expect([...segment.beatIntervalS]).toEqual([...load.beatIntervalS]);
    for (const [name, column] of [
      ['status', segment.status],
      ['start_time', segment.startTime],
      ['heartbeat', segment.heartbeat],
      ['storedTags', segment.storedTags],
    ] as const) {
      const expected =
        name === 'storedTags' ? load.storedTags : fresh.index.column(load, name, [name]);
      expect(dump(column), `${segment.source} ${name}`).toEqual(dump(expected));
    }
    for (const [id, column] of segment.columns) {
      const expected = fresh.index.column(load, id, resolveColumn(id).path);
      expect(dump(column), `${segment.source} ${id}`).toEqual(dump(expected));
      expect(column.dict, `${segment.source} ${id} dictionary`).toEqual(expected.dict);
    }
  });
}

function randomRun(id: string, random: SeededRandom): ParsedRun {
  const run = generateRun(id, random, { runs: 1, nowMs: NOW, configKeys: 20 });
  if (random.chance(0.3)) {
    // A live run: fresh heartbeat, or one old enough to look dead.
    run.status = 'RUNNING';
    run.stopTime = null;
    run.heartbeat = new Date(NOW - random.pick([2_000, 5_000_000])).toISOString();
  }
  if (random.chance(0.2)) run.startTime = '2024-12-01T00:00:00.000Z';
  if (random.chance(0.1)) run.startTime = null;
  if (random.chance(0.05)) run.heartbeat = 'not a date';
  return run;
}

describe('a patched segment', () => {
  it('answers like a fresh engine after random updates, inserts and deletes', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    const live = new LiveRunStore(store);
    const random = new SeededRandom(42);
    answers(engine);
    const sources = ['a-lab', 'b-lab'];
    const ids = new Map(
      sources.map((source) => [source, engine.index.segmentsOf([source])[0]?.ids.slice() ?? []]),
    );
    let step = 0;
    for (; step < 30; step++) {
      const source = random.pick(sources);
      const known = ids.get(source) as string[];
      const actions = random.int(1, 4);
      for (let a = 0; a < actions; a++) {
        const action = random.pick(['rewrite', 'live', 'live', 'insert', 'delete'] as const);
        if (action === 'insert' || known.length === 0) {
          const id = random.chance(0.5) ? random.pick(ODD_IDS) : `n${random.int(0, 10_000)}`;
          store.writeRun(source, { id, dir: null, fingerprint: `i${step}` }, randomRun(id, random));
          if (!known.includes(id)) known.push(id);
        } else if (action === 'delete') {
          const id = random.pick(known);
          store.deleteRun(source, id);
          known.splice(known.indexOf(id), 1);
          // Sometimes an id that was never there (a sync names runs it found gone).
          if (random.chance(0.3)) store.deleteRun(source, 'never-there');
        } else if (action === 'rewrite') {
          const id = random.pick(known);
          store.writeRun(source, { id, dir: null, fingerprint: `w${step}` }, randomRun(id, random));
        } else {
          // As the live refresh writes a running run: only what changed, in place.
          const id = random.pick(known);
          const run = randomRun(id, random);
          live.updateRun(source, { id, dir: null, fingerprint: `l${step}` }, run);
        }
      }
      const fresh = new QueryEngine(other.database, () => NOW);
      expect(answers(engine), `step ${step}`).toEqual(answers(fresh));
      expectSameSegments(engine.index.segmentsOf(sources), fresh);
    }
    expect(step).toBe(30);
    // The rows were patched, not reloaded: two loads at the start, none after.
    expect(engine.index.counts.loads).toBe(2);
    expect(engine.index.counts.refreshes).toBeGreaterThan(20);
  });

  it('reloads the source when another process wrote (the CLI sync), and stays right', () => {
    const engine = new QueryEngine(store.database, () => NOW);
    answers(engine);
    const random = new SeededRandom(7);
    store.writeRun('a-lab', { id: '5', dir: null, fingerprint: 'x' }, randomRun('5', random));
    other.writeRun('a-lab', { id: '6', dir: null, fingerprint: 'x' }, randomRun('6', random));
    other.deleteRun('a-lab', '7');
    const fresh = new QueryEngine(other.database, () => NOW);
    expect(answers(engine)).toEqual(answers(fresh));
    expect(engine.index.counts.loads).toBe(3);
    expect(engine.index.counts.refreshes).toBe(0);
    // Only this connection wrote since: patched again.
    store.writeRun('a-lab', { id: '8', dir: null, fingerprint: 'x' }, randomRun('8', random));
    expect(answers(engine)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
    expect(engine.index.counts.refreshes).toBe(1);
  });

  it('stays right when a second engine on the same connection reads the same changes', () => {
    const first = new QueryEngine(store.database, () => NOW);
    const second = new QueryEngine(store.database, () => NOW);
    answers(first);
    answers(second);
    const random = new SeededRandom(8);
    store.writeRun('b-lab', { id: '3', dir: null, fingerprint: 'x' }, randomRun('3', random));
    expect(answers(second)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
    store.writeRun('b-lab', { id: '4', dir: null, fingerprint: 'x' }, randomRun('4', random));
    // The second engine went first: the first must not miss run 3.
    expect(answers(first)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
    expect(answers(second)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
  });

  it('sees a run appear in and leave an empty source', () => {
    store.addSource({ name: 'c-lab', kind: 'folder', location: '/x', createdAt: '2025-01-01' });
    const engine = new QueryEngine(store.database, () => NOW);
    store.writeRun(
      'c-lab',
      { id: '1', dir: null, fingerprint: 'f' },
      emptyParsedRun('1', 'RUNNING'),
    );
    expect(engine.query({ sources: ['c-lab'], columns: ['status'] }).total).toBe(1);
    store.writeRun(
      'c-lab',
      { id: '2', dir: null, fingerprint: 'f' },
      emptyParsedRun('2', 'FAILED'),
    );
    store.deleteRun('c-lab', '1');
    const rows = engine.query({ sources: ['c-lab'], columns: ['status'] }).rows;
    expect(rows.map((row) => [row.id, row.values.status])).toEqual([['2', 'FAILED']]);
    store.deleteRun('c-lab', '2');
    expect(engine.query({ sources: ['c-lab'] }).total).toBe(0);
    expect(engine.index.counts.refreshes).toBeGreaterThan(0);
  });
});

describe('run ids in the order of the cache', () => {
  it('sorts like SQLite sorts run_id (UTF-8 bytes), not like JavaScript strings', () => {
    const ids = [...ODD_IDS, 'run_\uFFFD', 'run_a', 'run_', '', '~', '\u007F', 'é'];
    const sqlite = store.database
      .prepare(`SELECT value FROM json_each(?) ORDER BY value COLLATE BINARY`)
      .pluck()
      .all(JSON.stringify(ids)) as string[];
    expect([...ids].sort(compareRunIds)).toEqual(sqlite);
    // The plain JavaScript order differs for characters above U+FFFF.
    expect([...ids].sort()).not.toEqual(sqlite);
  });
});
