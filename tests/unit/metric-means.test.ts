import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { LiveRunStore } from '../../main/core/cache/live-run-store';
import { METRIC_CHUNK_POINTS } from '../../main/core/cache/float64-blob';
import { migrate, migrations } from '../../main/core/cache/migrations';
import { oldCacheWithMetrics } from '../support/old-metric-cache';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { QueryEngine } from '../../main/core/query/query-engine';

/** What the run table must show: the mean of the last n points, NaN skipped, else nothing. */
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

function runWith(id: string, metrics: Record<string, Float64Array>): ParsedRun {
  const run = emptyParsedRun(id, 'COMPLETED');
  for (const [name, values] of Object.entries(metrics)) {
    const steps = new Float64Array(values.length).map((_, i) => i);
    run.metrics.push({ name, steps, values, timestamps: steps });
  }
  return run;
}

const big = new Float64Array(METRIC_CHUNK_POINTS * 2 + 100).map((_, i) =>
  i % 7 === 0 ? NaN : Math.sin(i) * 3.7,
);
const tailNaN = new Float64Array(30).map((_, i) => (i >= 20 ? NaN : i / 3));
const allNaN = new Float64Array([NaN, NaN]);
const infinite = new Float64Array([1, Infinity, -Infinity, 2]);
const short = new Float64Array([0.1, 0.2, 0.7]);

describe('metric mean and lastN columns', () => {
  let dir: string;
  let store: CacheStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'altar-means-'));
    store = CacheStore.open(join(dir, 'cache.sqlite'));
    store.addSource({ name: 'src', kind: 'folder', location: dir, createdAt: 'now' });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('equal the mean of the points for every N, across chunk boundaries', () => {
    const metrics = { m: big, t: tailNaN, a: allNaN, i: infinite, s: short };
    store.writeRun('src', { id: '1', dir: null, fingerprint: 'f' }, runWith('1', metrics));
    store.writeRun('src', { id: '2', dir: null, fingerprint: 'f' }, runWith('2', {}));
    const engine = new QueryEngine(store.database, () => 0);
    const ns = [1, 5, 10, 11, 100, 200, METRIC_CHUNK_POINTS, METRIC_CHUNK_POINTS + 150, 999999];
    const columns = Object.keys(metrics).flatMap((name) => [
      `metrics.${name}.mean`,
      ...ns.map((n) => `metrics.${name}.last${n}`),
    ]);
    const rows = engine.query({ columns, sort: [{ column: 'id' }] }).rows;
    expect(rows.map((row) => row.id)).toEqual(['1', '2']);
    for (const [name, values] of Object.entries(metrics)) {
      expect(rows[0]?.values[`metrics.${name}.mean`], name).toEqual(
        naiveTailMean(values, values.length),
      );
      for (const n of ns) {
        expect(rows[0]?.values[`metrics.${name}.last${n}`], `${name} last${n}`).toEqual(
          naiveTailMean(values, n),
        );
        expect(rows[1]?.values[`metrics.${name}.last${n}`]).toBeUndefined();
      }
    }
    expect(rows[0]?.values['metrics.a.mean']).toBeUndefined();
    expect(rows[0]?.values['metrics.i.mean']).toBe('NaN');
  });

  it('follow a running run whose metrics grow', () => {
    const first = big.subarray(0, METRIC_CHUNK_POINTS - 5);
    store.writeRun('src', { id: '1', dir: null, fingerprint: 'a' }, runWith('1', { m: first }));
    const grown = runWith('1', { m: big, n: short });
    new LiveRunStore(store).updateRun('src', { id: '1', dir: null, fingerprint: 'b' }, grown);
    const engine = new QueryEngine(store.database, () => 0);
    const row = engine.query({
      columns: ['metrics.m.mean', 'metrics.m.last10', 'metrics.m.last300', 'metrics.n.mean'],
    }).rows[0];
    expect(row?.values['metrics.n.mean']).toEqual(naiveTailMean(short, short.length));
    expect(row?.values['metrics.m.mean']).toEqual(naiveTailMean(big, big.length));
    expect(row?.values['metrics.m.last10']).toEqual(naiveTailMean(big, 10));
    expect(row?.values['metrics.m.last300']).toEqual(naiveTailMean(big, 300));
  });
});

/** A cache written before migration 7 gains the stored means of the metrics it holds. */
describe('migration 7 (metric means)', () => {
  it('fills the mean and last10 of existing metrics from their chunks', () => {
    const db = oldCacheWithMetrics(6, [
      ['big', big],
      ['nan', allNaN],
      ['none', new Float64Array(0)],
    ]);

    migrate(db);
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(migrations.length);
    const stored = db
      .prepare('SELECT name, mean_value, last10_value FROM metrics ORDER BY name')
      .raw()
      .all();
    expect(stored).toEqual([
      ['big', naiveTailMean(big, big.length), naiveTailMean(big, 10)],
      ['nan', null, null],
      ['none', null, null],
    ]);
  });
});
