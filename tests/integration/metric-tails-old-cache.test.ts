// A cache of schema 20 (the frozen fixture), whose metric tails were written by the chunks'
// insert trigger, opened by today's app (schema 21: the writers write the tails, the insert
// trigger is gone): the old tails stay, runs written, rewritten, refreshed live and deleted
// after the upgrade have the tails the trigger gave them, so every lastN column reads the same.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { METRIC_CHUNK_POINTS, blobToFloat64 } from '../../main/core/cache/float64-blob';
import { LiveRunStore } from '../../main/core/cache/live-run-store';
import { METRIC_TAIL_POINTS } from '../../main/core/cache/metric-tails';
import { migrations } from '../../main/core/cache/migrations';
import { cacheFilePath } from '../../main/core/data-dir';
import { QueryEngine } from '../../main/core/query/query-engine';
import { runWithMetrics } from '../support/run-with-metrics';

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'old-caches', 'cache-v20.sql');

const dirs: string[] = [];
const stores: CacheStore[] = [];

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The v20 fixture, opened (so upgraded) by today's store. */
function upgradedStore(): CacheStore {
  const dir = mkdtempSync(join(tmpdir(), 'altar-tails-old-'));
  dirs.push(dir);
  const db = new Database(cacheFilePath(dir));
  db.exec(readFileSync(FIXTURE, 'utf8'));
  db.close();
  const store = CacheStore.open(cacheFilePath(dir));
  stores.push(store);
  return store;
}

/** source/run/name/total → the tail's values, for every stored tail. */
function storedTails(store: CacheStore): Record<string, number[]> {
  const rows = store.database
    .prepare('SELECT source, run_id, name, total, tail FROM metric_tails ORDER BY 1, 2, 3')
    .raw()
    .all() as [string, string, string, number, Buffer][];
  return Object.fromEntries(
    rows.map(([source, runId, name, total, tail]) => [
      `${source}/${runId}/${name}/${total}`,
      [...blobToFloat64(tail)],
    ]),
  );
}

const tailOf = (values: Float64Array | number[]): number[] => [
  ...values.slice(Math.max(0, values.length - METRIC_TAIL_POINTS)),
];

const series = (length: number, seed: number): Float64Array =>
  new Float64Array(length).map((_, i) => (i % 13 === 0 ? NaN : Math.cos(i * seed) * 3));

/** The mean of the newest `n` points that are not NaN, as a lastN column shows it. */
function lastMean(values: Float64Array, n: number): number | undefined {
  const kept = [...values.subarray(Math.max(0, values.length - n))].filter((v) => !isNaN(v));
  return kept.length === 0 ? undefined : kept.reduce((a, b) => a + b, 0) / kept.length;
}

const OLD_LOSS = [0.9, 0.5, 0.3, 0.2, 0.125];

describe('a schema-20 cache upgraded to schema 21 (tails written by the writers)', () => {
  it('keeps the tails the old trigger wrote', () => {
    const store = upgradedStore();
    expect(Number(store.database.pragma('user_version', { simple: true }))).toBe(migrations.length);
    expect(storedTails(store)).toEqual({
      'db1/7/loss/2': [1.2, 0.8],
      'lab/1/loss/5': OLD_LOSS,
    });
    const engine = new QueryEngine(store.database, () => 0);
    const rows = engine.query({ columns: ['metrics.loss.last3'], sources: ['lab'] }).rows;
    const row = rows.find((r) => r.id === '1');
    expect(row?.values['metrics.loss.last3']).toBeCloseTo((0.3 + 0.2 + 0.125) / 3, 12);
  });

  it('gives runs written, rewritten, refreshed and deleted since the tails the trigger gave', () => {
    const store = upgradedStore();
    const spanning = series(METRIC_CHUNK_POINTS + 30, 2);
    const short = series(40, 3);
    // A new run with a metric across two chunks and a short one; the old run 1 rewritten.
    store.writeRun(
      'lab',
      { id: '2', dir: null, fingerprint: 'a' },
      runWithMetrics('2', { spanning }),
    );
    store.writeRun(
      'lab',
      { id: '1', dir: null, fingerprint: 'b' },
      runWithMetrics('1', { loss: short }),
    );
    expect(storedTails(store)).toEqual({
      'db1/7/loss/2': [1.2, 0.8],
      [`lab/1/loss/${short.length}`]: tailOf(short),
      [`lab/2/spanning/${spanning.length}`]: tailOf(spanning),
    });

    // A live refresh appends to the short metric and starts another.
    const longer = series(130, 3);
    longer.set(short);
    new LiveRunStore(store).updateRun(
      'lab',
      { id: '1', dir: null, fingerprint: 'c' },
      runWithMetrics('1', { loss: longer, acc: short }),
    );
    const engine = new QueryEngine(store.database, () => 0);
    const rows = engine.query({
      columns: ['metrics.loss.last100', 'metrics.acc.last7', 'metrics.spanning.last50'],
      sources: ['lab'],
    }).rows;
    const one = rows.find((r) => r.id === '1');
    const two = rows.find((r) => r.id === '2');
    expect(one?.values['metrics.loss.last100']).toBeCloseTo(lastMean(longer, 100) as number, 12);
    expect(one?.values['metrics.acc.last7']).toBeCloseTo(lastMean(short, 7) as number, 12);
    expect(two?.values['metrics.spanning.last50']).toBeCloseTo(
      lastMean(spanning, 50) as number,
      12,
    );
    expect(storedTails(store)).toMatchObject({
      [`lab/1/acc/${short.length}`]: tailOf(short),
      [`lab/1/loss/${longer.length}`]: tailOf(longer),
    });

    // A run deleted takes its tails with it (the delete trigger stays).
    store.deleteRun('lab', '1');
    expect(Object.keys(storedTails(store))).toEqual([
      'db1/7/loss/2',
      `lab/2/spanning/${spanning.length}`,
    ]);
  });
});
