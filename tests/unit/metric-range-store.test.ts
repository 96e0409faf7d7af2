import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { METRIC_CHUNK_POINTS } from '../../main/core/cache/float64-blob';
import { MetricRangeStore } from '../../main/core/cache/metric-range-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import { noise } from '../support/deterministic-noise';
import { oldOverview } from '../support/old-long-metric';

let dir: string;
let store: CacheStore;
let ranges: MetricRangeStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'altar-range-'));
  store = CacheStore.open(path.join(dir, 'cache.sqlite'));
  store.addSource({ name: 's', kind: 'folder', location: dir, createdAt: '2024-01-01T00:00:00Z' });
  ranges = new MetricRangeStore(store.database);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function write(values: ArrayLike<number>, step: (i: number) => number = (i) => i, id = '1'): void {
  const n = values.length;
  const run = emptyParsedRun(id, 'COMPLETED');
  run.metrics.push({
    name: 'loss',
    steps: Float64Array.from({ length: n }, (_, i) => step(i)),
    values: Float64Array.from(values),
    timestamps: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 10),
  });
  store.writeRun('s', { id, dir: null, fingerprint: 'f' }, run);
}

const CHUNK = METRIC_CHUNK_POINTS;

describe('MetricRangeStore', () => {
  it('returns null for a metric the run does not have', () => {
    write([1, 2, 3]);
    expect(ranges.read('s', '1', 'nope', null, 100)).toBeNull();
  });

  it('plots the whole of a long metric from the chunk overviews, not the raw chunks', () => {
    const n = 4 * CHUNK + 123;
    const values = Array.from({ length: n }, (_, i) => noise(i));
    values[70_000] = 50; // one spike in chunk 1
    values[200_000] = -50; // one dip in chunk 3
    write(values);
    const read = ranges.read('s', '1', 'loss', null, 2000);
    expect(read).not.toBeNull();
    expect(read!.series.values.length).toBeLessThanOrEqual(2000);
    expect(read!.series.values.length).toBeGreaterThan(1500);
    expect(read!.totalPoints).toBe(n);
    expect(read!.downsampled).toBe(true);
    expect([...read!.series.values]).toContain(50);
    expect([...read!.series.values]).toContain(-50);
    expect(read!.series.steps[0]).toBe(0);
    expect(read!.series.steps.at(-1)).toBe(n - 1);
    // The last, small chunk (123 points) has no overview worth using; the four full ones do.
    expect(ranges.rawChunkReads).toBeLessThanOrEqual(1);
  });

  it('reads only the chunks that overlap a zoomed step range', () => {
    const n = 8 * CHUNK;
    write(Array.from({ length: n }, (_, i) => noise(i)));
    const xMin = 3 * CHUNK + 1000;
    const xMax = 3 * CHUNK + 2000;
    const read = ranges.read('s', '1', 'loss', { xMin, xMax }, 4000)!;
    expect(ranges.rawChunkReads).toBe(1);
    expect(read.pointsInRange).toBe(1001);
    // Every point of the range fits the budget: none dropped, plus one neighbour on each side.
    expect(read.downsampled).toBe(false);
    expect(read.series.steps.length).toBe(1003);
    expect(read.series.steps[0]).toBe(xMin - 1);
    expect(read.series.steps[1]).toBe(xMin);
    expect(read.series.steps.at(-2)).toBe(xMax);
    expect(read.series.steps.at(-1)).toBe(xMax + 1);
  });

  it('takes a neighbour across a chunk border from the next chunk’s overview', () => {
    write(Array.from({ length: 3 * CHUNK }, (_, i) => noise(i)));
    const read = ranges.read('s', '1', 'loss', { xMin: CHUNK, xMax: CHUNK + 10 }, 100)!;
    expect(read.series.steps[0]).toBe(CHUNK - 1);
    expect(read.series.steps[1]).toBe(CHUNK);
    expect(read.series.steps.at(-1)).toBe(CHUNK + 11);
    expect(ranges.rawChunkReads).toBe(1);
  });

  it('finds a range in unsorted steps (a restarted run) and reads only chunks holding it', () => {
    // Steps 0..2C-1, then the run restarts at 0: chunks 0 and 2 hold steps 0..C-1.
    const n = 4 * CHUNK;
    write(
      Array.from({ length: n }, (_, i) => noise(i)),
      (i) => i % (2 * CHUNK),
    );
    const read = ranges.read('s', '1', 'loss', { xMin: 100, xMax: 199 }, 10_000)!;
    expect(read.pointsInRange).toBe(200);
    expect(ranges.rawChunkReads).toBe(2);
    const inRange = [...read.series.steps].filter((s) => s >= 100 && s <= 199);
    expect(inRange.length).toBe(200);
  });

  it('gathers the points in range when steps in range are not one stretch of a chunk', () => {
    // Every other point has a step far outside any range (steps interleaved from two counters).
    const n = 2 * CHUNK;
    write(
      Array.from({ length: n }, (_, i) => i),
      (i) => (i % 2 === 0 ? i : 1e9 + i),
    );
    const read = ranges.read('s', '1', 'loss', { xMin: 1000, xMax: 1100 }, null)!;
    expect(read.pointsInRange).toBe(51);
    expect([...read.series.steps]).toEqual(Array.from({ length: 51 }, (_, k) => 1000 + 2 * k));
    expect([...read.series.values]).toEqual(Array.from({ length: 51 }, (_, k) => 1000 + 2 * k));
  });

  it('keeps every step-range answer within the budget, with its extremes and ends', () => {
    const n = 3 * CHUNK;
    const values = Array.from({ length: n }, (_, i) => noise(i, 3));
    write(values);
    for (let trial = 0; trial < 20; trial++) {
      const a = Math.floor(noise(trial, 9) * n);
      const b = Math.floor(noise(trial, 11) * n);
      const xMin = Math.min(a, b);
      const xMax = Math.max(a, b);
      const maxPoints = 4 + Math.floor(noise(trial, 13) * 3000);
      const read = ranges.read('s', '1', 'loss', { xMin, xMax }, maxPoints)!;
      expect(read.series.values.length).toBeLessThanOrEqual(maxPoints);
      const slice = values.slice(xMin, xMax + 1);
      const shown = [...read.series.steps];
      const inside = shown.filter((s) => s >= xMin && s <= xMax);
      expect(inside[0]).toBe(xMin);
      expect(inside.at(-1)).toBe(xMax);
      const shownValues = new Set(read.series.values);
      expect(shownValues.has(slice.reduce((m, v) => Math.max(m, v), -Infinity))).toBe(true);
      expect(shownValues.has(slice.reduce((m, v) => Math.min(m, v), Infinity))).toBe(true);
    }
  });

  it('indexes chunks written before the index existed, the first time they are read', () => {
    write(Array.from({ length: 2 * CHUNK }, (_, i) => noise(i)));
    store.database.exec('DELETE FROM metric_chunk_index');
    const first = ranges.read('s', '1', 'loss', { xMin: 10, xMax: 20 }, 100)!;
    expect(first.pointsInRange).toBe(11);
    const count = store.database.prepare('SELECT COUNT(*) AS n FROM metric_chunk_index').get() as {
      n: number;
    };
    expect(count.n).toBe(2);
    ranges.rawChunkReads = 0;
    ranges.read('s', '1', 'loss', { xMin: 10, xMax: 20 }, 100);
    expect(ranges.rawChunkReads).toBe(1);
  });

  it('drops the index with the run', () => {
    write([1, 2, 3]);
    store.deleteRun('s', '1');
    const count = store.database.prepare('SELECT COUNT(*) AS n FROM metric_chunk_index').get() as {
      n: number;
    };
    expect(count.n).toBe(0);
  });

  it('returns nothing for a range no step falls in, and all points without a budget', () => {
    write([1, 2, 3, 4], (i) => i * 10);
    const empty = ranges.read('s', '1', 'loss', { xMin: 11, xMax: 19 }, 100)!;
    expect(empty.series.values.length).toBe(0);
    expect(empty.pointsInRange).toBe(0);
    const all = ranges.read('s', '1', 'loss', { xMin: 10, xMax: 20 }, null)!;
    expect([...all.series.values]).toEqual([2, 3]);
  });

  it('keeps NaN gaps and skips points whose step is NaN in a range', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i >= 400 && i < 410 ? NaN : i));
    write(values, (i) => (i === 500 ? NaN : i));
    const read = ranges.read('s', '1', 'loss', { xMin: 0, xMax: 999 }, 50)!;
    expect(read.pointsInRange).toBe(999);
    const shown = [...read.series.values];
    const gapAt = shown.findIndex((v) => Number.isNaN(v));
    expect(gapAt).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(50);
  });

  it('stores no copy of a short chunk as its overview, and plots it as an old copy did', () => {
    const values = Array.from({ length: 700 }, (_, i) => noise(i));
    values[333] = 40;
    values[444] = -40;
    write(values, (i) => 3 * i);
    const stored = store.database
      .prepare('SELECT length(overview) AS bytes FROM metric_chunk_index')
      .get() as { bytes: number };
    expect(stored.bytes).toBe(0);
    const whole = ranges.read('s', '1', 'loss', null, 100)!;
    const zoomed = ranges.read('s', '1', 'loss', { xMin: 600, xMax: 1500 }, 60)!;
    expect(whole.series.values.length).toBeLessThanOrEqual(100);
    expect(whole.downsampled).toBe(true);
    expect([...whole.series.values]).toContain(40);
    expect([...whole.series.values]).toContain(-40);
    expect(whole.series.steps[0]).toBe(0);
    expect(whole.series.steps.at(-1)).toBe(3 * 699);

    // The same chunk as a cache before schema 20 indexed it: every point copied as its overview.
    const chunk = ranges.read('s', '1', 'loss', null, 10_000)!.series;
    expect(chunk.values.length).toBe(700);
    store.database.prepare('UPDATE metric_chunk_index SET overview = ?').run(oldOverview(chunk));
    const old = new MetricRangeStore(store.database);
    expect(old.read('s', '1', 'loss', null, 100)).toEqual(whole);
    expect(old.rawChunkReads).toBe(0); // the old copy stood in for the chunk
    expect(old.read('s', '1', 'loss', { xMin: 600, xMax: 1500 }, 60)).toEqual(zoomed);
  });
});
