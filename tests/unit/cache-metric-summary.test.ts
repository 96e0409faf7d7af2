import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { blobToFloat64, float64ToBlob } from '../../main/core/cache/float64-blob';
import { summarizeMetric } from '../../main/core/cache/metric-summary';
import { fromSqlNumber, toSqlNumber } from '../../main/core/cache/sql-number';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { toMetricSummary } from '../../main/core/run-shapes';

describe('summarizeMetric', () => {
  it('counts NaN points but never takes them as minimum or maximum', () => {
    expect(summarizeMetric([NaN, 3, NaN, -1, 2, NaN])).toEqual({
      count: 6,
      first: NaN,
      last: NaN,
      min: -1,
      max: 3,
      nonFinite: 3,
    });
  });

  it('includes infinite points in min and max', () => {
    expect(summarizeMetric([1, Infinity, -Infinity, 0])).toMatchObject({
      count: 4,
      min: -Infinity,
      max: Infinity,
      nonFinite: 2,
    });
  });

  it('has no min or max when every point is NaN, and nothing for no points', () => {
    expect(summarizeMetric([NaN, NaN])).toEqual({
      count: 2,
      first: NaN,
      last: NaN,
      min: null,
      max: null,
      nonFinite: 2,
    });
    expect(summarizeMetric([])).toEqual({
      count: 0,
      first: null,
      last: null,
      min: null,
      max: null,
      nonFinite: 0,
    });
  });
});

describe('non-finite numbers in SQLite', () => {
  it('round-trip as the contract strings', () => {
    for (const [input, expected] of [
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
      [1.5, 1.5],
      [null, null],
    ] as const) {
      expect(fromSqlNumber(toSqlNumber(input))).toBe(expected);
    }
  });
});

describe('metric blobs', () => {
  it('keep NaN and survive unaligned buffers', () => {
    const values = Float64Array.from([1, NaN, -Infinity, 2.5]);
    const blob = float64ToBlob(values);
    const unaligned = Buffer.alloc(blob.byteLength + 3);
    blob.copy(unaligned, 3);
    const back = blobToFloat64(unaligned.subarray(3));
    expect([...back]).toEqual([1, NaN, -Infinity, 2.5]);
  });
});

describe('metric summaries stored in the cache', () => {
  let dir: string;
  let store: CacheStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'altar-summary-'));
    store = CacheStore.open(join(dir, 'cache.sqlite'));
    store.addSource({
      name: 's',
      kind: 'folder',
      location: dir,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function runWith(values: number[]): ParsedRun {
    const n = values.length;
    const run = emptyParsedRun('1', 'COMPLETED');
    run.metrics.push({
      name: 'm',
      steps: Float64Array.from({ length: n }, (_, i) => i),
      values: Float64Array.from(values),
      timestamps: new Float64Array(n).fill(NaN),
    });
    return run;
  }

  it('come back with NaN and Infinity as strings', () => {
    store.writeRun('s', { id: '1', dir, fingerprint: 'a' }, runWith([NaN, 2, Infinity, -3, NaN]));
    const [row] = store.metricsOfRun('s', '1');
    expect(toMetricSummary(row!)).toEqual({
      name: 'm',
      count: 5,
      first: 'NaN',
      last: 'NaN',
      min: -3,
      max: 'Infinity',
      // Two NaN and one Infinity: what a plot of it leaves out.
      nonFinite: 3,
    });
    const points = store.getMetricPoints('s', '1', 'm');
    expect(points?.count).toBe(5);
    expect(Number.isNaN(points?.values[0])).toBe(true);
    expect(Number.isNaN(points?.timestamps[4])).toBe(true);
  });

  it('split large metrics into chunks and put them back in order', () => {
    const values = Array.from({ length: 200_000 }, (_, i) => i * 0.5);
    const { points } = store.writeRun('s', { id: '1', dir, fingerprint: 'a' }, runWith(values));
    expect(points).toBe(200_000);
    const back = store.getMetricPoints('s', '1', 'm');
    expect(back?.count).toBe(200_000);
    expect(back?.values[0]).toBe(0);
    expect(back?.values[65_536]).toBe(32_768);
    expect(back?.values[199_999]).toBe(99_999.5);
    expect(back?.steps[131_072]).toBe(131_072);
  });
});
