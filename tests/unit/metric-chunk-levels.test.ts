import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { METRIC_CHUNK_POINTS } from '../../main/core/cache/float64-blob';
import { LEVEL_BUCKET, levelIndices, stepStride } from '../../main/core/cache/metric-chunk-levels';
import { MetricRangeStore } from '../../main/core/cache/metric-range-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { SeriesArrays } from '../../shared/downsample';
import { expectZoomMatchesRaw } from '../support/zoom-brute-force';
import { noise } from '../support/deterministic-noise';

const CHUNK = METRIC_CHUNK_POINTS;

let dir: string;
let store: CacheStore;
let ranges: MetricRangeStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'altar-levels-'));
  store = CacheStore.open(path.join(dir, 'cache.sqlite'));
  store.addSource({ name: 's', kind: 'folder', location: dir, createdAt: '2024-01-01T00:00:00Z' });
  ranges = new MetricRangeStore(store.database);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A long loss-like metric with steps 3, 5, 7, …, spikes, dips and a NaN stretch. */
function lossSeries(n: number): SeriesArrays<ArrayBuffer> {
  const steps = Float64Array.from({ length: n }, (_, i) => 3 + 2 * i);
  const values = Float64Array.from({ length: n }, (_, i) => 1 + Math.exp(-i / 1e5) + noise(i));
  for (const at of [17, 70_001, 131_075, 200_000, 262_143, 300_007]) values[at] = 40 + (at % 7);
  for (const at of [5_000, 150_000, 250_001]) values[at] = -30 - (at % 5);
  values.fill(NaN, 190_000, 190_030);
  const timestamps = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 25);
  return { steps, values, timestamps };
}

function write(series: SeriesArrays, id = '1'): void {
  const run = emptyParsedRun(id, 'COMPLETED');
  run.metrics.push({
    name: 'loss',
    steps: series.steps,
    values: series.values,
    timestamps: series.timestamps,
  });
  store.writeRun('s', { id, dir: null, fingerprint: 'f' }, run);
}

const stepOf = (i: number): number => 3 + 2 * i;

describe('stored levels of metric chunks', () => {
  it('keeps each bucket’s extremes, a NaN where it has one, and the chunk’s ends', () => {
    const values = Float64Array.from({ length: 4 * LEVEL_BUCKET + 3 }, (_, i) => noise(i));
    values[20] = 9;
    values[21] = -9;
    values[40] = NaN;
    const kept = [...levelIndices(values)];
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(kept).toContain(0);
    expect(kept).toContain(values.length - 1);
    expect(kept).toContain(20);
    expect(kept).toContain(21);
    expect(kept).toContain(40);
    for (let start = 0; start < values.length; start += LEVEL_BUCKET) {
      const bucket = Array.from(values.subarray(start, start + LEVEL_BUCKET)).filter(
        (v) => !Number.isNaN(v),
      );
      const inBucket = kept.filter((i) => i >= start && i < start + LEVEL_BUCKET);
      expect(inBucket.map((i) => values[i])).toContain(Math.max(...bucket));
      expect(inBucket.map((i) => values[i])).toContain(Math.min(...bucket));
      expect(inBucket.length).toBeLessThanOrEqual(4);
    }
  });

  it('knows a stride only for steps that are an increasing progression', () => {
    expect(stepStride(Float64Array.from([3, 5, 7, 9]))).toBe(2);
    expect(stepStride(Float64Array.from([0, 1, 2, 2]))).toBeNull();
    expect(stepStride(Float64Array.from([0, 1, 0, 1]))).toBeNull();
    expect(stepStride(Float64Array.from([4, 3, 2]))).toBeNull();
    expect(stepStride(Float64Array.from([0, NaN, 2]))).toBeNull();
    expect(stepStride(Float64Array.from([5]))).toBeNull();
  });

  it('zooms from the levels, reading no raw chunk, and draws what the raw points would', () => {
    const n = 5 * CHUNK + 1000;
    const raw = lossSeries(n);
    write(raw);
    const zooms: Array<[number, number, number]> = [
      // About 10% of the run, cutting two chunks (the bench's zoom of 20 runs).
      [150_000, 250_000, 2000],
      // A spike right at a cut bucket: index 70_001 and the first step in range.
      [stepOf(70_001), stepOf(140_000), 1800],
      // Starting at a chunk's first point, ending at another's last.
      [stepOf(CHUNK), stepOf(3 * CHUNK - 1), 2400],
      // The NaN stretch inside, a dip at the edge bucket, odd budgets.
      [stepOf(149_990), stepOf(260_000), 1001],
      [stepOf(100_000) - 1, stepOf(300_010) + 1, 3000],
    ];
    for (const [xMin, xMax, maxPoints] of zooms) {
      ranges.rawChunkReads = 0;
      ranges.levelReads = 0;
      const read = ranges.read('s', '1', 'loss', { xMin, xMax }, maxPoints)!;
      expect(ranges.rawChunkReads, `raw chunks read for ${xMin}..${xMax}`).toBe(0);
      expect(ranges.levelReads).toBeGreaterThan(0);
      expect(read.downsampled).toBe(true);
      expectZoomMatchesRaw(raw, { xMin, xMax }, maxPoints, read);
    }
  });

  it('reads a cut chunk’s level only around the cut, with the same points as the whole level', () => {
    const raw = lossSeries(4 * CHUNK);
    write(raw);
    const zooms: Array<[number, number, number]> = [
      [stepOf(150_000), stepOf(250_000), 1500],
      [stepOf(CHUNK + 10), stepOf(CHUNK + 9000), 300],
      [stepOf(70_001), stepOf(3 * CHUNK - 17), 2200],
    ];
    for (const [xMin, xMax, maxPoints] of zooms) {
      const windows = ranges.levelWindowReads;
      const read = ranges.read('s', '1', 'loss', { xMin, xMax }, maxPoints)!;
      expect(ranges.levelWindowReads, `stretches read for ${xMin}..${xMax}`).toBeGreaterThan(
        windows,
      );
      expect(ranges.levelWindowMisses).toBe(0);
      expectZoomMatchesRaw(raw, { xMin, xMax }, maxPoints, read);
    }
    expect(ranges.rawChunkReads).toBe(0);
  });

  it('reads the whole level when the guessed stretch misses the cut (uneven level), correctly', () => {
    // Per chunk: flat for its first three quarters (one level point a bucket), then noisy
    // with a NaN in every bucket (three a bucket): a cut in the noisy part is not where the
    // level's length says.
    const n = 2 * CHUNK + 500;
    const raw = lossSeries(n);
    for (let i = 0; i < n; i++) {
      const at = i % CHUNK;
      if (at < (3 * CHUNK) / 4) raw.values[i] = 2;
      else if (at % LEVEL_BUCKET === 5) raw.values[i] = NaN;
    }
    write(raw);
    const range = { xMin: stepOf(Math.floor(0.85 * CHUNK)), xMax: stepOf(CHUNK + 60_000) };
    const read = ranges.read('s', '1', 'loss', range, 1200)!;
    expect(ranges.levelWindowMisses).toBeGreaterThan(0);
    expect(ranges.rawChunkReads).toBe(0);
    expectZoomMatchesRaw(raw, range, 1200, read);
  });

  it('keeps a spike just inside the range when a bigger one sits just outside it', () => {
    const n = 3 * CHUNK;
    const raw = lossSeries(n);
    // Index 80_003 is the first point in range; its bucket (80_000..80_015) is cut, and its
    // larger neighbours 80_000..80_002 lie outside. The same at the other end.
    raw.values[80_001] = 500;
    raw.values[80_005] = 100;
    raw.values[150_010] = 90;
    raw.values[150_013] = 400;
    write(raw);
    const range = { xMin: stepOf(80_003), xMax: stepOf(150_011) };
    const read = ranges.read('s', '1', 'loss', range, 1000)!;
    expect(ranges.rawChunkReads).toBe(0);
    const values = [...read.series.values];
    expect(values).toContain(100);
    expect(values).toContain(90);
    expect(values).not.toContain(500);
    expect(values).not.toContain(400);
    expectZoomMatchesRaw(raw, range, 1000, read);
  });

  it('matches the raw points for random zooms, whether the level or the raw chunks serve them', () => {
    const n = 4 * CHUNK + 777;
    const raw = lossSeries(n);
    write(raw);
    let fromLevels = 0;
    for (let trial = 0; trial < 24; trial++) {
      const a = Math.floor(noise(trial, 5) * n);
      const b = Math.floor(noise(trial, 7) * n);
      const xMin = stepOf(Math.min(a, b)) - (trial % 2);
      const xMax = stepOf(Math.max(a, b)) + (trial % 3 === 0 ? 1 : 0);
      const maxPoints = 4 + Math.floor(noise(trial, 13) * 4000);
      ranges.levelReads = 0;
      const read = ranges.read('s', '1', 'loss', { xMin, xMax }, maxPoints)!;
      if (ranges.levelReads > 0) fromLevels++;
      expectZoomMatchesRaw(raw, { xMin, xMax }, maxPoints, read);
    }
    expect(fromLevels).toBeGreaterThan(6);
  });

  it('does not trust a level written for fewer points than the chunk has, and rewrites it', () => {
    const raw = lossSeries(3 * CHUNK);
    write(raw);
    store.database.exec('UPDATE metric_chunk_levels SET point_count = point_count - 1');
    const range = { xMin: stepOf(10_000), xMax: stepOf(150_000) };
    const stale = ranges.read('s', '1', 'loss', range, 2000)!;
    expect(ranges.levelReads).toBe(0);
    expect(ranges.rawChunkReads).toBeGreaterThan(0);
    expectZoomMatchesRaw(raw, range, 2000, stale);
    ranges.rawChunkReads = 0;
    const again = ranges.read('s', '1', 'loss', range, 2000)!;
    expect(ranges.rawChunkReads).toBe(0);
    expect(ranges.levelReads).toBeGreaterThan(0);
    expectZoomMatchesRaw(raw, range, 2000, again);
  });

  it('cuts chunks of irregular steps (no stride) from their raw points, correctly', () => {
    const n = 3 * CHUNK;
    const raw = lossSeries(n);
    raw.steps.set(Float64Array.from({ length: n }, (_, i) => i + (i % 3 === 0 ? 0.25 : 0)));
    write(raw);
    const range = { xMin: 1000, xMax: 150_000 };
    // ~1,800 points of the 4,000 asked fall on the whole chunk: more than its overview holds.
    const read = ranges.read('s', '1', 'loss', range, 4000)!;
    // Both cut chunks are read raw; the whole one between them comes from its level.
    expect(ranges.rawChunkReads).toBe(2);
    expect(ranges.levelReads).toBe(1);
    expectZoomMatchesRaw(raw, range, 4000, read);
  });

  it('draws a whole chunk from its overview while the overview has a point for each one asked', () => {
    // Both the overview and the level are min/max pairs, so one of their points per point asked
    // is as fine as the answer's own buckets: a 20-run zoom asking ~520 points of a whole chunk
    // used to read its 196 KB level for 1,024 overview points (issue 13).
    const raw = lossSeries(3 * CHUNK);
    write(raw);
    for (const maxPoints of [700, 1000]) {
      // Chunk 1 lies wholly inside, and gets about maxPoints * 0.9 of the budget.
      const range = { xMin: stepOf(CHUNK - 3000), xMax: stepOf(2 * CHUNK + 4000) };
      ranges.overviewReads = 0;
      const read = ranges.read('s', '1', 'loss', range, maxPoints)!;
      expect(ranges.overviewReads, `${maxPoints} points`).toBe(1);
      expectZoomMatchesRaw(raw, range, maxPoints, read);
    }
    // Asked more points than its overview holds, the whole chunk comes from its level again.
    const range = { xMin: stepOf(CHUNK - 3000), xMax: stepOf(2 * CHUNK + 4000) };
    ranges.overviewReads = 0;
    const finer = ranges.read('s', '1', 'loss', range, 3000)!;
    expect(ranges.overviewReads).toBe(0);
    expectZoomMatchesRaw(raw, range, 3000, finer);
  });

  it('gives short metrics no level and drops the levels with the run', () => {
    write(lossSeries(8000), 'short');
    write(lossSeries(2 * CHUNK), 'long');
    const count = (): number =>
      (
        store.database.prepare('SELECT COUNT(*) AS n FROM metric_chunk_levels').get() as {
          n: number;
        }
      ).n;
    expect(count()).toBe(2);
    store.deleteRun('s', 'long');
    expect(count()).toBe(0);
  });
});
