// A cache written before the metric chunk blocks existed (the frozen schema version 18, with a
// long metric added the way that version's app stored it: chunks, their range index, and a
// level for some chunks, as zooms left them) opened by today's app: the upgrade copies nothing
// (it only creates the table), a zoom that cuts a leveled chunk reads the chunk row and writes
// the blocks it cut, a chunk that had no level gets its level and all its blocks on the first
// zoom that reads it, and zooms before and after the blocks are filled draw what the raw points
// would.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { packPoints } from '../../main/core/cache/chunk-digest';
import { BLOCK_POINTS } from '../../main/core/cache/metric-chunk-blocks';
import { levelIndices, stepStride } from '../../main/core/cache/metric-chunk-levels';
import { migrations } from '../../main/core/cache/migrations';
import { cacheFilePath } from '../../main/core/data-dir';
import type { SeriesArrays } from '../../shared/downsample';
import { writeOldLongMetric } from '../support/old-long-metric';
import { readMetricBlockRows } from '../support/metric-block-rows';
import { expectZoomMatchesRaw } from '../support/zoom-brute-force';

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'old-caches', 'cache-v18.sql');
const CHUNK = 65_536;

let dataDir: string | null = null;
let core: AltarCore | null = null;

afterEach(async () => {
  await core?.close();
  core = null;
  if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

function longMetric(n: number): SeriesArrays<ArrayBuffer> {
  const steps = Float64Array.from({ length: n }, (_, i) => 10 * i);
  const values = Float64Array.from(
    { length: n },
    (_, i) => Math.sin(i / 3000) + ((i * 7919) % 103) / 400,
  );
  values[90_001] = 30;
  values[190_000] = -30;
  values.fill(NaN, 120_000, 120_010);
  const timestamps = Float64Array.from({ length: n }, (_, i) => 1_763_600_000_000 + 100 * i);
  return { steps, values, timestamps };
}

/** The frozen v18 cache plus run lab/1's metric "long", levels only for `leveled` chunks. */
function oldCacheWithLongMetric(metric: SeriesArrays, leveled: readonly number[]): string {
  dataDir = mkdtempSync(join(tmpdir(), 'altar-blocks-old-'));
  const db = new Database(cacheFilePath(dataDir));
  db.exec(readFileSync(FIXTURE, 'utf8'));
  writeOldLongMetric(db, metric, { min: -30, max: 30 }, CHUNK, (chunk, part) => {
    if (!leveled.includes(chunk)) return;
    db.prepare(
      `INSERT INTO metric_chunk_levels (source, run_id, name, chunk_no, point_count, stride,
         first_step, level) VALUES ('lab', '1', 'long', ?, ?, ?, ?, ?)`,
    ).run(
      chunk,
      part.values.length,
      stepStride(part.steps),
      part.steps[0],
      packPoints(part, levelIndices(part.values)),
    );
  });
  db.close();
  return dataDir;
}

/** Blocks per chunk, and that each holds the chunk's raw points at its place. */
function blocksByChunk(dir: string, metric: SeriesArrays): Map<number, number> {
  const db = new Database(cacheFilePath(dir), { readonly: true });
  try {
    const rows = readMetricBlockRows(db);
    const counts = new Map<number, number>();
    for (const row of rows) {
      counts.set(row.chunk_no, (counts.get(row.chunk_no) ?? 0) + 1);
      expect(row.chunk_points).toBe(CHUNK);
      const at = row.chunk_no * CHUNK + row.block_no * BLOCK_POINTS;
      const points = Math.min(BLOCK_POINTS, CHUNK - row.block_no * BLOCK_POINTS);
      expect(row.values.equals(bytes(metric.values.subarray(at, at + points)))).toBe(true);
      expect(row.timestamps.equals(bytes(metric.timestamps.subarray(at, at + points)))).toBe(true);
    }
    return counts;
  } finally {
    db.close();
  }
}

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('metric chunk blocks in a cache from before them', () => {
  it('upgrades without copying, fills blocks on zoom, zooms correctly before and after', async () => {
    const metric = longMetric(5 * CHUNK);
    const dir = oldCacheWithLongMetric(metric, [1, 2]);
    core = createAltarCore({ dataDir: dir, door: 'direct' });
    const ask = async (range: { xMin: number; xMax: number }) => {
      const read = await core!.getMetric({
        source: 'lab',
        id: '1',
        name: 'long',
        maxPoints: 1500,
        ...range,
      });
      expectZoomMatchesRaw(metric, range, 1500, {
        series: read,
        pointsInRange: read.pointsInRange ?? -1,
      });
      return read;
    };

    await core.listSources({});
    const db = new Database(cacheFilePath(dir), { readonly: true });
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(migrations.length);
    db.close();
    // The upgrade wrote no block: it has no work proportional to the metrics.
    expect(blocksByChunk(dir, metric).size).toBe(0);

    // Cuts chunks 1 and 2, which have levels and no blocks yet: read from the chunk rows, and
    // the blocks of the two cuts written; then the same zoom from those blocks.
    const leveledRange = { xMin: 10 * 90_001, xMax: 10 * 190_000 };
    const before = await ask(leveledRange);
    expect([...before.values]).toContain(30);
    expect([...before.values]).toContain(-30);
    expect(before.values.some((v) => Number.isNaN(v))).toBe(true);
    const filled = blocksByChunk(dir, metric);
    expect([...filled.keys()]).toEqual([1, 2]);
    for (const count of filled.values()) expect(count).toBeLessThanOrEqual(2);
    const after = await ask(leveledRange);
    expect([...after.values]).toEqual([...before.values]);
    expect(blocksByChunk(dir, metric)).toEqual(filled);

    // Cuts chunks 3 and 4, which had no level: read raw, then given a level and all blocks.
    const otherRange = { xMin: 10 * 200_003 + 5, xMax: 10 * 300_000 };
    for (let round = 0; round < 2; round++) await ask(otherRange);
    const all = blocksByChunk(dir, metric);
    expect([...all.keys()]).toEqual([1, 2, 3, 4]);
    expect(all.get(3)).toBe(Math.ceil(CHUNK / BLOCK_POINTS));
    expect(all.get(4)).toBe(Math.ceil(CHUNK / BLOCK_POINTS));
  });
});
