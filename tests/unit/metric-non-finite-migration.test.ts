// Migration 12: an upgraded cache knows how many NaN/±Infinity points each metric has, counted
// from its chunks once (a plot and a summary say how many they leave out).
import { describe, expect, it } from 'vitest';
import { METRIC_CHUNK_POINTS } from '../../main/core/cache/float64-blob';
import { countNonFinite } from '../../main/core/cache/metric-non-finite';
import { migrate, schemaVersion } from '../../main/core/cache/migrations';
import { oldCacheWithMetrics } from '../support/old-metric-cache';

describe('migration 12 (non-finite metric points)', () => {
  it('counts NaN and infinite points of existing metrics, across chunks', () => {
    const big = new Float64Array(METRIC_CHUNK_POINTS + 10).fill(1);
    big[3] = NaN;
    big[METRIC_CHUNK_POINTS + 5] = -Infinity;
    const db = oldCacheWithMetrics(11, [
      ['loss', Float64Array.of(NaN, 1.5)],
      ['clean', Float64Array.of(1, 2, 3)],
      ['big', big],
    ]);
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(12);
    const rows = db
      .prepare("SELECT name, non_finite FROM metrics WHERE source = 'old' ORDER BY name")
      .raw()
      .all();
    expect(rows).toEqual([
      ['big', 2],
      ['clean', 0],
      ['loss', 1],
    ]);
    db.close();
  });

  it('counts what a plot cannot draw', () => {
    expect(countNonFinite([NaN, 0, Infinity, -Infinity, -0, 1e308])).toBe(3);
    expect(countNonFinite([])).toBe(0);
  });
});
