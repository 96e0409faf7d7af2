// A cache written before the metric chunk levels existed (the frozen schema version 16, with a
// long metric added the way that version's app stored it: chunks and their range index, no
// level) opened by today's app: the upgrade adds the level table without reading any chunk,
// the first zoom reads raw chunks and leaves their levels behind, the next zoom reads levels,
// and both draw what the raw points would.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { migrations } from '../../main/core/cache/migrations';
import { cacheFilePath } from '../../main/core/data-dir';
import type { SeriesArrays } from '../../shared/downsample';
import { writeOldLongMetric } from '../support/old-long-metric';
import { expectZoomMatchesRaw } from '../support/zoom-brute-force';

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'old-caches', 'cache-v16.sql');
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
    (_, i) => Math.cos(i / 5000) + ((i * 7919) % 101) / 500,
  );
  values[100_001] = 25;
  values[150_000] = -25;
  values.fill(NaN, 120_000, 120_010);
  const timestamps = Float64Array.from({ length: n }, (_, i) => 1_763_600_000_000 + 100 * i);
  return { steps, values, timestamps };
}

/** The frozen v16 cache plus run lab/1's metric "long", stored as the v16 app stored it. */
function oldCacheWithLongMetric(metric: SeriesArrays): string {
  dataDir = mkdtempSync(join(tmpdir(), 'altar-levels-old-'));
  const db = new Database(cacheFilePath(dataDir));
  db.exec(readFileSync(FIXTURE, 'utf8'));
  writeOldLongMetric(db, metric, { min: -25, max: 25 }, CHUNK);
  db.close();
  return dataDir;
}

function levelRows(dir: string): number {
  const db = new Database(cacheFilePath(dir), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM metric_chunk_levels').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('metric chunk levels in a cache from before them', () => {
  it('upgrades, fills the levels of the chunks a zoom reads, and zooms correctly before and after', async () => {
    const metric = longMetric(4 * CHUNK + 500);
    const dir = oldCacheWithLongMetric(metric);
    core = createAltarCore({ dataDir: dir, door: 'direct' });
    const range = { xMin: 10 * 90_000 + 3, xMax: 10 * 200_000 };
    const ask = () =>
      core!.getMetric({ source: 'lab', id: '1', name: 'long', maxPoints: 1500, ...range });

    await core.listSources({});
    expect(levelRows(dir)).toBe(0);
    const first = await ask();
    expect(levelRows(dir)).toBeGreaterThan(0);
    expectZoomMatchesRaw(metric, range, 1500, {
      series: first,
      pointsInRange: first.pointsInRange ?? -1,
    });
    const db = new Database(cacheFilePath(dir), { readonly: true });
    const version = Number(db.pragma('user_version', { simple: true }));
    db.close();
    expect(version).toBe(migrations.length);

    const second = await ask();
    expectZoomMatchesRaw(metric, range, 1500, {
      series: second,
      pointsInRange: second.pointsInRange ?? -1,
    });
    expect([...second.values]).toContain(25);
    expect([...second.values]).toContain(-25);
    expect(second.values.some((v) => Number.isNaN(v))).toBe(true);
    // The fixture's own short metric is as it was.
    const loss = await core.getMetric({ source: 'lab', id: '1', name: 'loss' });
    expect(loss.totalPoints).toBe(5);
  });
});
