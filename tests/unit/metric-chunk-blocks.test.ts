import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { METRIC_CHUNK_POINTS } from '../../main/core/cache/float64-blob';
import { BLOCK_POINTS, readBlockSpan } from '../../main/core/cache/metric-chunk-blocks';
import { LEVEL_BUCKET } from '../../main/core/cache/metric-chunk-levels';
import { MetricRangeStore } from '../../main/core/cache/metric-range-store';
import type { MetricRead, StepRange } from '../../main/core/cache/metric-range-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { SeriesArrays } from '../../shared/downsample';
import { noise } from '../support/deterministic-noise';
import { readMetricBlockRows } from '../support/metric-block-rows';
import { expectZoomMatchesRaw } from '../support/zoom-brute-force';

// The raw points of long strided chunks kept again in small blocks (issue 13): a zoom's cut
// buckets read those instead of the chunk's whole blobs, and must give exactly the points the
// chunk row gives (the read path before the blocks, still taken when a chunk has none there,
// and which then writes the blocks it read, for the next zoom).

const CHUNK = METRIC_CHUNK_POINTS;

let dir: string;
let store: CacheStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'altar-blocks-'));
  store = CacheStore.open(path.join(dir, 'cache.sqlite'));
  store.addSource({ name: 's', kind: 'folder', location: dir, createdAt: '2024-01-01T00:00:00Z' });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const stepOf = (i: number): number => 100 + 4 * i;

/** Random values with NaN and ±Infinity among them, steps 100, 104, 108, … */
function randomSeries(n: number, seed: number): SeriesArrays<ArrayBuffer> {
  const steps = Float64Array.from({ length: n }, (_, i) => stepOf(i));
  const values = Float64Array.from({ length: n }, (_, i) => {
    const r = noise(i, seed);
    if (r < 0.002) return NaN;
    if (r < 0.003) return Infinity;
    if (r < 0.004) return -Infinity;
    return (noise(i, seed + 1) - 0.5) * 1000;
  });
  const timestamps = Float64Array.from({ length: n }, (_, i) => 1.7e12 + 37 * i + noise(i, seed));
  return { steps, values, timestamps };
}

function write(series: SeriesArrays, id = '1'): void {
  const run = emptyParsedRun(id, 'COMPLETED');
  run.metrics.push({ name: 'm', ...series });
  store.writeRun('s', { id, dir: null, fingerprint: 'f' }, run);
}

function blockCount(): number {
  return (
    store.database.prepare('SELECT COUNT(*) AS n FROM metric_chunk_blocks').get() as { n: number }
  ).n;
}

function sameFloats(a: Float64Array, b: Float64Array, what: string): void {
  expect(a.length, `${what}: length`).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect(`${what}[${i}] = ${a[i]}`).toBe(`${what}[${i}] = ${b[i]}`);
  }
}

function sameRead(a: MetricRead, b: MetricRead, what: string): void {
  sameFloats(a.series.steps, b.series.steps, `${what} steps`);
  sameFloats(a.series.values, b.series.values, `${what} values`);
  sameFloats(a.series.timestamps, b.series.timestamps, `${what} timestamps`);
  expect(a.pointsInRange).toBe(b.pointsInRange);
  expect(a.downsampled).toBe(b.downsampled);
}

/** Ranges at chunk, level-bucket and block edges, and random ones. */
function edgeRanges(n: number): { range: StepRange; maxPoints: number }[] {
  const out: { range: StepRange; maxPoints: number }[] = [];
  const edges = [
    CHUNK - 1,
    CHUNK,
    CHUNK + 1,
    2 * CHUNK - 1,
    2 * CHUNK,
    BLOCK_POINTS * 300 - 1,
    BLOCK_POINTS * 300,
    LEVEL_BUCKET * 5000 + LEVEL_BUCKET - 1,
    LEVEL_BUCKET * 5000,
    3 * CHUNK + 17,
    n - 2,
  ];
  for (const [k, a] of edges.entries()) {
    const b = edges[(k + 3) % edges.length] as number;
    const [lo, hi] = a < b ? [a, b] : [b, a];
    out.push({ range: { xMin: stepOf(lo), xMax: stepOf(hi) }, maxPoints: 1200 + k * 37 });
    // Between two steps, so the first point in range is the one after.
    out.push({ range: { xMin: stepOf(lo) - 1, xMax: stepOf(hi) + 1 }, maxPoints: 2000 });
  }
  for (let trial = 0; trial < 30; trial++) {
    const a = Math.floor(noise(trial, 5) * n);
    const b = Math.floor(noise(trial, 9) * n);
    out.push({
      range: { xMin: stepOf(Math.min(a, b)) - (trial % 3), xMax: stepOf(Math.max(a, b)) },
      maxPoints: 4 + Math.floor(noise(trial, 13) * 3000),
    });
  }
  return out;
}

describe('raw points of long chunks in blocks', () => {
  it('gives a zoom exactly the points the chunk rows give, at chunk, bucket and block edges', () => {
    const n = 4 * CHUNK + 555;
    const raw = randomSeries(n, 3);
    write(raw);
    expect(blockCount()).toBe(4 * Math.ceil(CHUNK / BLOCK_POINTS));
    const ranges = edgeRanges(n);

    const fromBlocks = new MetricRangeStore(store.database);
    const withBlocks = ranges.map(({ range, maxPoints }) =>
      fromBlocks.read('s', '1', 'm', range, maxPoints),
    );
    expect(fromBlocks.rawSpanReads).toBeGreaterThan(20);
    expect(fromBlocks.rawSpanRowReads).toBe(0);

    // The chunk rows' path: the same cache without its blocks, before each read (a read
    // from the rows writes the blocks it cut).
    const rowReads = ranges.map(({ range, maxPoints }, i) => {
      store.database.exec('DELETE FROM metric_chunk_blocks');
      const fromRows = new MetricRangeStore(store.database);
      const expected = fromRows.read('s', '1', 'm', range, maxPoints)!;
      sameRead(withBlocks[i]!, expected, `${range.xMin}..${range.xMax}/${maxPoints}`);
      expect(fromRows.rawSpanRowReads).toBe(fromRows.rawSpanReads);
      return fromRows.rawSpanReads;
    });
    expect(rowReads.reduce((a, b) => a + b)).toBe(fromBlocks.rawSpanReads);

    // The blocks written by reads from the rows, one zoom after another, give the same points.
    store.database.exec('DELETE FROM metric_chunk_blocks');
    const filling = new MetricRangeStore(store.database);
    ranges.forEach(({ range, maxPoints }, i) => {
      sameRead(filling.read('s', '1', 'm', range, maxPoints)!, withBlocks[i]!, 'filling');
    });
    expect(filling.rawSpanRowReads).toBeGreaterThan(0);
    expect(filling.rawSpanRowReads).toBeLessThan(filling.rawSpanReads);
    const filled = new MetricRangeStore(store.database);
    ranges.forEach(({ range, maxPoints }, i) => {
      sameRead(filled.read('s', '1', 'm', range, maxPoints)!, withBlocks[i]!, 'filled');
    });
    expect(filled.rawSpanRowReads).toBe(0);
  });

  it('writes only the blocks a zoom cuts when a chunk has none, holding its raw points', () => {
    const raw = randomSeries(2 * CHUNK, 41);
    write(raw);
    store.database.exec('DELETE FROM metric_chunk_blocks');
    // Cuts chunk 0 inside one block and chunk 1 across two.
    const cutA = BLOCK_POINTS * 40 + 50;
    const cutB = CHUNK + BLOCK_POINTS * 90 - 3;
    const range = { xMin: stepOf(cutA), xMax: stepOf(cutB) };
    const first = new MetricRangeStore(store.database);
    const expected = first.read('s', '1', 'm', range, 1000)!;
    expect(first.rawSpanRowReads).toBe(2);
    const rows = readMetricBlockRows(store.database);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.length).toBeLessThanOrEqual(4);
    for (const row of rows) {
      expect(row.chunk_points).toBe(CHUNK);
      const at = row.chunk_no * CHUNK + row.block_no * BLOCK_POINTS;
      const view = (b: Buffer): Float64Array =>
        new Float64Array(new Uint8Array(b).buffer, 0, b.byteLength / 8);
      sameFloats(view(row.values), raw.values.subarray(at, at + BLOCK_POINTS), 'block values');
      sameFloats(view(row.timestamps), raw.timestamps.subarray(at, at + BLOCK_POINTS), 'ts');
    }
    const again = new MetricRangeStore(store.database);
    sameRead(again.read('s', '1', 'm', range, 1000)!, expected, 'from the written blocks');
    expect(again.rawSpanReads).toBe(2);
    expect(again.rawSpanRowReads).toBe(0);
  });

  it('matches the raw points themselves for zooms whose cuts are served by blocks', () => {
    const n = 3 * CHUNK;
    const raw = randomSeries(n, 11);
    // The brute force knows NaN gaps, not infinite values: those are the other tests' part.
    raw.values.forEach((v, i) => {
      if (v === Infinity || v === -Infinity) raw.values[i] = 0;
    });
    // Spikes in cut buckets: the first and last point in range and their neighbours.
    raw.values[70_001] = 5e4;
    raw.values[140_002] = -5e4;
    raw.values.fill(NaN, 70_003, 70_006);
    write(raw);
    const reader = new MetricRangeStore(store.database);
    const range = { xMin: stepOf(70_001), xMax: stepOf(140_002) };
    const read = reader.read('s', '1', 'm', range, 1500)!;
    expect(reader.rawSpanReads).toBe(2);
    expect(reader.rawSpanRowReads).toBe(0);
    expectZoomMatchesRaw(raw, range, 1500, read);
    expect([...read.series.values]).toContain(5e4);
    expect([...read.series.values]).toContain(-5e4);
  });

  it('reads the chunk row when blocks are stale or missing, and rewrites them with the level', () => {
    const raw = randomSeries(2 * CHUNK, 21);
    write(raw);
    const range = { xMin: stepOf(1000), xMax: stepOf(CHUNK + 5000) };
    const fresh = new MetricRangeStore(store.database).read('s', '1', 'm', range, 1000)!;

    // Blocks written for another point count are not trusted; the read writes the cut ones
    // again, which the next read takes.
    store.database.exec('UPDATE metric_chunk_blocks SET chunk_points = chunk_points + 1');
    const stale = new MetricRangeStore(store.database);
    sameRead(stale.read('s', '1', 'm', range, 1000)!, fresh, 'stale blocks');
    expect(stale.rawSpanRowReads).toBe(2);
    expect(blockCount()).toBe(2 * Math.ceil(CHUNK / BLOCK_POINTS));
    const rewritten = new MetricRangeStore(store.database);
    sameRead(rewritten.read('s', '1', 'm', range, 1000)!, fresh, 'cut blocks rewritten');
    expect(rewritten.rawSpanRowReads).toBe(0);

    // A block missing in the middle of a span's blocks: the row again.
    const firstCut = Math.floor((1000 - 1) / BLOCK_POINTS);
    store.database
      .prepare('DELETE FROM metric_chunk_blocks WHERE chunk_no = 0 AND block_no = ?')
      .run(firstCut);
    const missing = new MetricRangeStore(store.database);
    sameRead(missing.read('s', '1', 'm', range, 1000)!, fresh, 'a block missing');
    expect(missing.rawSpanRowReads).toBe(1);

    // A level rewritten (the chunk grew, or a lazy fill) writes the chunk's blocks again.
    store.database.exec('UPDATE metric_chunk_levels SET point_count = point_count - 1');
    // (This read comes from the raw chunks: finer, so not the same points.)
    new MetricRangeStore(store.database).read('s', '1', 'm', range, 1000);
    expect(blockCount()).toBe(2 * Math.ceil(CHUNK / BLOCK_POINTS));
    const after = new MetricRangeStore(store.database);
    sameRead(after.read('s', '1', 'm', range, 1000)!, fresh, 'after the rewrite');
    expect(after.rawSpanRowReads).toBe(0);
    expect(after.rawChunkReads).toBe(0);
  });

  it('reads spans across a block boundary and refuses spans outside the chunk', () => {
    const raw = randomSeries(2 * CHUNK, 31);
    write(raw);
    const key = ['s', '1', 'm'] as const;
    const at = BLOCK_POINTS * 7 - 5;
    const span = readBlockSpan(store.database, key, 1, CHUNK, at, at + 16)!;
    sameFloats(span.values, raw.values.subarray(CHUNK + at, CHUNK + at + 17), 'values');
    sameFloats(span.timestamps, raw.timestamps.subarray(CHUNK + at, CHUNK + at + 17), 'ts');
    const last = readBlockSpan(store.database, key, 1, CHUNK, CHUNK - 3, CHUNK - 1)!;
    sameFloats(last.values, raw.values.subarray(2 * CHUNK - 3), 'last values');
    expect(readBlockSpan(store.database, key, 1, CHUNK, CHUNK - 3, CHUNK)).toBeNull();
    expect(readBlockSpan(store.database, key, 1, CHUNK, -1, 3)).toBeNull();
    expect(readBlockSpan(store.database, key, 2, CHUNK, 0, 3)).toBeNull();
  });

  it('keeps no blocks for short metrics or irregular steps, and drops them with the run', () => {
    write(randomSeries(8000, 1), 'short');
    const irregular = randomSeries(CHUNK + 10, 2);
    irregular.steps[500] = irregular.steps[499] as number;
    write(irregular, 'irregular');
    expect(blockCount()).toBe(0);
    write(randomSeries(CHUNK + 10, 3), 'long');
    // The second chunk has 10 points: too short for a level.
    expect(blockCount()).toBe(Math.ceil(CHUNK / BLOCK_POINTS));
    store.deleteRun('s', 'long');
    expect(blockCount()).toBe(0);
  });
});
