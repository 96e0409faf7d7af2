// A cache written before the metric chunk blocks existed (the frozen schema version 18, with a
// long metric added the way that version's app stored it: chunks, their range index, and a
// level for some chunks, as zooms left them) opened by today's app: the upgrade copies the
// raw points of every chunk with a fresh strided level into blocks, a chunk that had no level
// gets its level and blocks on the first zoom that reads it, and zooms before and after draw
// what the raw points would.
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
  values[199_999] = -30;
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

function blockChunks(dir: string): number[] {
  const db = new Database(cacheFilePath(dir), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT chunk_no, COUNT(*) AS n FROM metric_chunk_blocks GROUP BY chunk_no
         ORDER BY chunk_no`,
      )
      .all() as { chunk_no: number; n: number }[];
    for (const row of rows) expect(row.n).toBe(Math.ceil(CHUNK / BLOCK_POINTS));
    return rows.map((row) => row.chunk_no);
  } finally {
    db.close();
  }
}

describe('metric chunk blocks in a cache from before them', () => {
  it('upgrades, copies the leveled chunks into blocks, fills the rest on zoom, zooms correctly', async () => {
    const metric = longMetric(5 * CHUNK);
    const dir = oldCacheWithLongMetric(metric, [1, 2]);
    core = createAltarCore({ dataDir: dir, door: 'direct' });
    const ask = (range: { xMin: number; xMax: number }) =>
      core!.getMetric({ source: 'lab', id: '1', name: 'long', maxPoints: 1500, ...range });

    await core.listSources({});
    const db = new Database(cacheFilePath(dir), { readonly: true });
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(migrations.length);
    db.close();
    expect(blockChunks(dir)).toEqual([1, 2]);

    // Cuts chunks 1 and 2, which have levels and now blocks.
    const leveledRange = { xMin: 10 * 90_001, xMax: 10 * 199_999 };
    const first = await ask(leveledRange);
    expectZoomMatchesRaw(metric, leveledRange, 1500, {
      series: first,
      pointsInRange: first.pointsInRange ?? -1,
    });
    expect([...first.values]).toContain(30);
    expect([...first.values]).toContain(-30);
    expect(first.values.some((v) => Number.isNaN(v))).toBe(true);

    // Cuts chunks 3 and 4, which had no level: read raw, then given a level and blocks.
    const otherRange = { xMin: 10 * 200_003 + 5, xMax: 10 * 300_000 };
    for (let round = 0; round < 2; round++) {
      const read = await ask(otherRange);
      expectZoomMatchesRaw(metric, otherRange, 1500, {
        series: read,
        pointsInRange: read.pointsInRange ?? -1,
      });
    }
    expect(blockChunks(dir)).toEqual([1, 2, 3, 4]);
  });
});
