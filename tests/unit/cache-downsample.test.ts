import { describe, expect, it } from 'vitest';
import { downsampleIndices, downsampleSeries } from '../../shared/downsample';

function series(values: number[]) {
  const n = values.length;
  return {
    steps: Float64Array.from({ length: n }, (_, i) => i),
    values: Float64Array.from(values),
    timestamps: Float64Array.from({ length: n }, (_, i) => 1_000 * i),
  };
}

/** Deterministic pseudo-random values (LCG), so a failure is reproducible. */
function noise(n: number, seed = 7): number[] {
  let state = seed;
  return Array.from({ length: n }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  });
}

/** Between two consecutive kept finite points there must be no NaN in the original. */
function expectGapsKept(values: ArrayLike<number>, kept: Int32Array): void {
  const bridged: string[] = [];
  for (let k = 0; k + 1 < kept.length; k++) {
    const a = kept[k]!;
    const b = kept[k + 1]!;
    if (Number.isNaN(values[a]) || Number.isNaN(values[b])) continue;
    for (let i = a + 1; i < b; i++)
      if (Number.isNaN(values[i])) bridged.push(`${a}->${b} over ${i}`);
  }
  expect(bridged).toEqual([]);
}

describe('downsampleIndices', () => {
  it('returns every point when they fit', () => {
    expect([...downsampleIndices([3, 1, 2], 3)]).toEqual([0, 1, 2]);
    expect([...downsampleIndices([], 10)]).toEqual([]);
  });

  it('never returns more points than asked, in ascending order', () => {
    const values = noise(10_007);
    for (const max of [2, 3, 4, 5, 7, 10, 99, 100, 1000, 4096]) {
      const kept = downsampleIndices(values, max);
      expect(kept.length).toBeLessThanOrEqual(max);
      for (let k = 1; k < kept.length; k++) expect(kept[k]!).toBeGreaterThan(kept[k - 1]!);
    }
  });

  it('uses most of the budget', () => {
    expect(downsampleIndices(noise(100_000), 1000).length).toBeGreaterThanOrEqual(990);
  });

  it('keeps the first and last point and the extremes', () => {
    const values = noise(50_000);
    values[12_345] = 99; // a spike
    values[40_001] = -42; // a dip
    const kept = [...downsampleIndices(values, 200)];
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(49_999);
    expect(kept).toContain(12_345);
    expect(kept).toContain(40_001);
  });

  it('keeps NaN gaps as gaps', () => {
    const values = noise(30_000);
    for (const i of [10, 11, 5000, 5002, 5004, 17_777, 29_998]) values[i] = NaN;
    for (let i = 20_000; i < 20_500; i++) values[i] = NaN;
    for (const max of [20, 100, 1000]) {
      const kept = downsampleIndices(values, max);
      expect(kept.length).toBeLessThanOrEqual(max);
      expectGapsKept(values, kept);
    }
  });

  it('keeps gaps when NaN points are dense', () => {
    const values = noise(10_000).map((v, i) => (i % 3 === 1 ? NaN : v));
    const kept = downsampleIndices(values, 300);
    expect(kept.length).toBeLessThanOrEqual(300);
    expectGapsKept(values, kept);
  });

  it('handles a series of NaN only, and Infinity as an extreme', () => {
    const nan = downsampleIndices(new Array<number>(1000).fill(NaN), 10);
    expect(nan.length).toBeLessThanOrEqual(10);
    const values = noise(1000);
    values[500] = Infinity;
    values[600] = -Infinity;
    const kept = [...downsampleIndices(values, 50)];
    expect(kept).toContain(500);
    expect(kept).toContain(600);
  });
});

describe('downsampleSeries', () => {
  it('picks the same points from steps, values and timestamps', () => {
    const input = series(noise(5000));
    const out = downsampleSeries(input, 100);
    expect(out.values.length).toBe(out.steps.length);
    expect(out.timestamps.length).toBe(out.steps.length);
    for (let k = 0; k < out.steps.length; k++) {
      const i = out.steps[k]!;
      expect(out.values[k]).toBe(input.values[i]);
      expect(out.timestamps[k]).toBe(input.timestamps[i]);
    }
  });
});

/** Bucket `b` of `buckets` over points 1..n-2, as a chart of 2 + 2·buckets points splits it. */
function bucketStart(b: number, buckets: number, n: number): number {
  return 1 + Math.floor((b * (n - 2)) / buckets);
}

describe('downsampleIndices: what a plot shows', () => {
  it('keeps the spike and the dip of every bucket, in x order', () => {
    const n = 1002;
    const buckets = 10;
    const values = noise(n);
    const expected = [0];
    for (let b = 0; b < buckets; b++) {
      const start = bucketStart(b, buckets, n);
      // Spike first in even buckets, dip first in odd ones: x order must not follow value.
      const [first, second] = b % 2 === 0 ? [10 + b, -10 - b] : [-10 - b, 10 + b];
      values[start + 30] = first;
      values[start + 70] = second;
      expected.push(start + 30, start + 70);
    }
    expected.push(n - 1);
    expect([...downsampleIndices(values, 2 + 2 * buckets)]).toEqual(expected);
  });

  it('keeps a spike at a bucket edge in its own bucket', () => {
    const n = 102;
    const values = noise(n);
    // Buckets of 10 points: 1..10, 11..20, …; a dip on a bucket's first point, a spike on
    // its last one.
    const edges = [1, 10, 11, 20, 91, 100];
    edges.forEach((index, k) => (values[index] = k % 2 === 0 ? -5 - index : 5 + index));
    const kept = [...downsampleIndices(values, 22)];
    for (const index of edges) expect(kept).toContain(index);
  });

  it('uses the whole budget on a series without gaps', () => {
    const values = noise(10_000);
    for (const max of [4, 7, 10, 101, 1000]) {
      const kept = downsampleIndices(values, max);
      // An odd budget leaves one point: buckets keep two each.
      expect(kept.length).toBeGreaterThanOrEqual(max - 1);
      expect(kept.length).toBeLessThanOrEqual(max);
    }
  });

  it('a fractional budget is rounded down', () => {
    expect(downsampleIndices(noise(1000), 10.9).length).toBe(10);
    expect([...downsampleIndices([1, 2, 3, 4], 3.9)]).toEqual([0, 3]);
  });

  it('keeps the first and last point with a budget of 2, and a gap with a budget of 3', () => {
    expect([...downsampleIndices([1, 9, NaN, 4, 2], 2)]).toEqual([0, 4]);
    expect([...downsampleIndices([1, 9, NaN, 4, 2], 1)]).toEqual([0, 4]);
    expect([...downsampleIndices([1, 9, NaN, 4, 2], 3)]).toEqual([0, 2, 4]);
    // NaN at the ends is no interior gap: the ends themselves show it.
    expect([...downsampleIndices([NaN, 9, 8, 4, NaN], 3)]).toEqual([0, 4]);
    expect([...downsampleIndices([NaN, 9, 8, 4, 7], 3)]).toEqual([0, 4]);
  });

  it('keeps one NaN before, between and after the extremes of a bucket', () => {
    // Budget 9: 3 buckets of 3 interior points (1..3, 4..6, 7..9).
    const values = [0, NaN, NaN, 5, 5, NaN, 2, 1, NaN, NaN, 0];
    expect([...downsampleIndices(values, 9)]).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 10]);
  });

  it('keeps one NaN of a bucket that has nothing else', () => {
    const values = [0, 1, 2, 3, NaN, NaN, NaN, 7, 8, 9, 10, 11];
    // Budget 8: 3 buckets of 3 or 4 interior points: 1..3, 4..6, 7..10.
    const kept = [...downsampleIndices(values, 8)];
    expect(kept).toEqual([0, 1, 3, 4, 7, 10, 11]);
  });

  it('keeps a flat stretch as one point per bucket, never the same point twice', () => {
    const values = new Array<number>(100).fill(3);
    const kept = [...downsampleIndices(values, 12)];
    expect(new Set(kept).size).toBe(kept.length);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(kept.length).toBe(7);
  });

  it('shrinks the buckets when NaN markers overflow the budget, keeping the extremes', () => {
    // Every other point NaN: each bucket would need NaN markers around its min and max.
    const values = Array.from({ length: 2_000 }, (_, i) => (i % 2 === 1 ? NaN : Math.sin(i)));
    values[1_000] = 50;
    values[1_500] = -50;
    for (const max of [7, 20, 200]) {
      const kept = [...downsampleIndices(values, max)];
      expect(kept.length).toBeLessThanOrEqual(max);
      expect(kept).toContain(1_000);
      expect(kept).toContain(1_500);
      expect(new Set(kept).size).toBe(kept.length);
      expectGapsKept(values, Int32Array.from(kept));
    }
    // With room for one bucket's markers only a NaN is kept between the ends: still a gap.
    expect([...downsampleIndices(values, 4)]).toEqual([0, 1, 1_999]);
  });
});
