import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { blobToFloat64, METRIC_CHUNK_POINTS } from '../../main/core/cache/float64-blob';
import { LiveRunStore } from '../../main/core/cache/live-run-store';
import { METRIC_TAIL_POINTS } from '../../main/core/cache/metric-tails';
import { migrate, migrations } from '../../main/core/cache/migrations';
import { oldCacheWithMetrics } from '../support/old-metric-cache';
import { QueryEngine } from '../../main/core/query/query-engine';
import { runWithMetrics } from '../support/run-with-metrics';

function naiveTailMean(values: Float64Array, n: number): number | string | undefined {
  let sum = 0;
  let used = 0;
  for (let i = Math.max(0, values.length - n); i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    sum += v;
    used++;
  }
  if (used === 0) return undefined;
  const mean = sum / used;
  return Number.isFinite(mean) ? mean : String(mean);
}

const series = (length: number, seed = 1): Float64Array =>
  new Float64Array(length).map((_, i) => (i % 11 === 0 ? NaN : Math.sin(i * seed) * 5));

/** Ends just past a chunk boundary: the tail spans two chunks. */
const spanning = series(METRIC_CHUNK_POINTS + 30, 2);
const short = series(7, 3);
const exact = series(METRIC_TAIL_POINTS, 4);

function storedTails(db: Database.Database): Record<string, number[]> {
  const rows = db
    .prepare('SELECT run_id, name, total, tail FROM metric_tails ORDER BY run_id, name')
    .raw()
    .all() as [string, string, number, Buffer][];
  return Object.fromEntries(
    rows.map(([runId, name, total, tail]) => [
      `${runId}/${name}/${total}`,
      [...blobToFloat64(tail)],
    ]),
  );
}

const tailOf = (values: Float64Array): number[] => [
  ...values.subarray(Math.max(0, values.length - METRIC_TAIL_POINTS)),
];

const NS = [1, 3, 10, 37, METRIC_TAIL_POINTS];

describe('metric tails', () => {
  let dir: string;
  let store: CacheStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'altar-tails-'));
    store = CacheStore.open(join(dir, 'cache.sqlite'));
    store.addSource({ name: 'src', kind: 'folder', location: dir, createdAt: 'now' });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hold the last points of every metric written, across a chunk boundary', () => {
    const metrics = { s: spanning, t: short, e: exact, empty: new Float64Array(0) };
    store.writeRun('src', { id: '1', dir: null, fingerprint: 'f' }, runWithMetrics('1', metrics));
    expect(storedTails(store.database)).toEqual({
      [`1/e/${exact.length}`]: tailOf(exact),
      [`1/s/${spanning.length}`]: tailOf(spanning),
      [`1/t/${short.length}`]: tailOf(short),
    });
    const engine = new QueryEngine(store.database, () => 0);
    const columns = Object.keys(metrics).flatMap((name) =>
      NS.map((n) => `metrics.${name}.last${n}`),
    );
    const row = engine.query({ columns }).rows[0];
    for (const [name, values] of Object.entries(metrics)) {
      for (const n of NS) {
        expect(row?.values[`metrics.${name}.last${n}`], `${name} last${n}`).toEqual(
          naiveTailMean(values, n),
        );
      }
    }
  });

  it('follow a live refresh that appends points and adds a metric, and go with the run', () => {
    store.writeRun(
      'src',
      { id: '1', dir: null, fingerprint: 'a' },
      runWithMetrics('1', { s: spanning.subarray(0, METRIC_CHUNK_POINTS - 40) }),
    );
    const engine = new QueryEngine(store.database, () => 0);
    const before = engine.query({ columns: ['metrics.s.last50'] }).rows[0];
    expect(before?.values['metrics.s.last50']).toEqual(
      naiveTailMean(spanning.subarray(0, METRIC_CHUNK_POINTS - 40), 50),
    );
    new LiveRunStore(store).updateRun(
      'src',
      { id: '1', dir: null, fingerprint: 'b' },
      runWithMetrics('1', { s: spanning, t: short }),
    );
    expect(storedTails(store.database)).toEqual({
      [`1/s/${spanning.length}`]: tailOf(spanning),
      [`1/t/${short.length}`]: tailOf(short),
    });
    const after = engine.query({ columns: ['metrics.s.last50', 'metrics.t.last5'] }).rows[0];
    expect(after?.values['metrics.s.last50']).toEqual(naiveTailMean(spanning, 50));
    expect(after?.values['metrics.t.last5']).toEqual(naiveTailMean(short, 5));

    new LiveRunStore(store).updateRun(
      'src',
      { id: '1', dir: null, fingerprint: 'c' },
      runWithMetrics('1', { t: short }),
    );
    expect(Object.keys(storedTails(store.database))).toEqual([`1/t/${short.length}`]);
    store.deleteRun('src', '1');
    expect(storedTails(store.database)).toEqual({});
  });

  it('are not trusted when they miss points: the column comes from the chunks', () => {
    store.writeRun(
      'src',
      { id: '1', dir: null, fingerprint: 'f' },
      runWithMetrics('1', { s: spanning }),
    );
    store.writeRun(
      'src',
      { id: '2', dir: null, fingerprint: 'f' },
      runWithMetrics('2', { s: short }),
    );
    store.database.prepare(`UPDATE metric_tails SET tail = x'' WHERE run_id = '1'`).run();
    store.database.prepare(`DELETE FROM metric_tails WHERE run_id = '2'`).run();
    const engine = new QueryEngine(store.database, () => 0);
    const rows = engine.query({ columns: ['metrics.s.last20'], sort: [{ column: 'id' }] }).rows;
    expect(rows.map((row) => row.values['metrics.s.last20'])).toEqual([
      naiveTailMean(spanning, 20),
      naiveTailMean(short, 20),
    ]);
  });
});

/** A cache written before migration 9 gains the tails of the metrics it holds. */
describe('migration 9 (metric tails)', () => {
  it('fills the tails of existing metrics from their last chunks', () => {
    const db = oldCacheWithMetrics(8, [
      ['s', spanning],
      ['t', short],
      ['none', new Float64Array(0)],
    ]);

    migrate(db);
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(migrations.length);
    expect(storedTails(db)).toEqual({
      [`1/s/${spanning.length}`]: tailOf(spanning),
      [`1/t/${short.length}`]: tailOf(short),
    });
    const engine = new QueryEngine(db, () => 0);
    const row = engine.query({ columns: ['metrics.s.last42', 'metrics.t.last3'] }).rows[0];
    expect(row?.values['metrics.s.last42']).toEqual(naiveTailMean(spanning, 42));
    expect(row?.values['metrics.t.last3']).toEqual(naiveTailMean(short, 3));
  });
});
