// A cache of schema 19 (the frozen fixture), whose short metric's range index holds the copy of
// every point that apps before schema 20 stored as a short chunk's overview, opened by today's
// app: the upgrade keeps that copy, and a plot of the metric shows the same points as a cache
// that stores no copy (today's writer, or the index built on first read).
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { digestChunk } from '../../main/core/cache/chunk-digest';
import { migrations } from '../../main/core/cache/migrations';
import { cacheFilePath } from '../../main/core/data-dir';
import { oldOverview } from '../support/old-long-metric';

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'old-caches', 'cache-v19.sql');

const dirs: string[] = [];
const cores: AltarCore[] = [];

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The fixture, with run lab/1's short metric "loss" indexed as `overview` says. */
function oldCache(overview: 'old copy' | 'none'): string {
  const dir = mkdtempSync(join(tmpdir(), 'altar-overviews-old-'));
  dirs.push(dir);
  const db = new Database(cacheFilePath(dir));
  db.exec(readFileSync(FIXTURE, 'utf8'));
  if (overview === 'old copy') {
    const row = db
      .prepare(
        `SELECT steps, "values", timestamps FROM metric_chunks
         WHERE source = 'lab' AND run_id = '1' AND name = 'loss' AND chunk_no = 0`,
      )
      .get() as { steps: Buffer; values: Buffer; timestamps: Buffer };
    const f64 = (b: Buffer) => new Float64Array(new Uint8Array(b).buffer);
    const chunk = {
      steps: f64(row.steps),
      values: f64(row.values),
      timestamps: f64(row.timestamps),
    };
    const digest = digestChunk(chunk);
    db.prepare(
      `INSERT INTO metric_chunk_index (source, run_id, name, chunk_no, point_count, min_step,
         max_step, non_finite_steps, overview) VALUES ('lab', '1', 'loss', 0, 5, ?, ?, ?, ?)`,
    ).run(digest.minStep, digest.maxStep, digest.nonFiniteSteps, oldOverview(chunk));
  }
  db.close();
  return dir;
}

function storedOverviewBytes(dir: string): { bytes: number; version: number } {
  const db = new Database(cacheFilePath(dir), { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT length(overview) AS bytes FROM metric_chunk_index
         WHERE source = 'lab' AND run_id = '1' AND name = 'loss'`,
      )
      .get() as { bytes: number };
    return { bytes: row.bytes, version: Number(db.pragma('user_version', { simple: true })) };
  } finally {
    db.close();
  }
}

describe('short metric chunks in a cache from before schema 20', () => {
  it('upgrades keeping the old overview, and plots as a cache without it does', async () => {
    const plots = [];
    for (const overview of ['old copy', 'none'] as const) {
      const dir = oldCache(overview);
      const core = createAltarCore({ dataDir: dir, door: 'direct' });
      cores.push(core);
      // A budget under the overview's: the plot is drawn from the overview (or the chunk).
      const coarse = await core.getMetric({ source: 'lab', id: '1', name: 'loss', maxPoints: 3 });
      const whole = await core.getMetric({ source: 'lab', id: '1', name: 'loss' });
      plots.push({ coarse, whole, stored: storedOverviewBytes(dir) });
    }
    const [old, fresh] = plots;
    expect(old!.stored).toEqual({ bytes: 5 * 3 * 8, version: migrations.length });
    expect(fresh!.stored).toEqual({ bytes: 0, version: migrations.length });
    expect(old!.whole.totalPoints).toBe(5);
    expect([...old!.whole.values]).toEqual([0.9, 0.5, 0.3, 0.2, 0.125]);
    expect(old!.coarse.values.length).toBeLessThanOrEqual(3);
    expect(old!.coarse.values[0]).toBe(0.9);
    expect(old!.coarse.values.at(-1)).toBe(0.125);
    expect(old!.coarse).toEqual(fresh!.coarse);
    expect(old!.whole).toEqual(fresh!.whole);
  });
});
