import { describe, expect, it } from 'vitest';
import { emaDebiased } from '../../shared/ema';
import { groupStats } from '../../shared/group-stats';

describe('emaDebiased', () => {
  it('leaves values alone without smoothing', () => {
    expect([...emaDebiased([3, 1, 2], 0)]).toEqual([3, 1, 2]);
  });

  it('starts at the first value instead of dragging it towards zero', () => {
    const out = emaDebiased([10, 10, 10, 10], 0.9);
    for (const v of out) expect(v).toBeCloseTo(10, 12);
  });

  it('matches the debiased formula step by step', () => {
    const values = [1, 2, 4];
    const w = 0.5;
    // s1 = 0.5, s2 = 0.25 + 1 = 1.25, s3 = 0.625 + 2 = 2.625; debiased by 1 - w^k.
    const out = emaDebiased(values, w);
    expect(out[0]).toBeCloseTo(0.5 / 0.5);
    expect(out[1]).toBeCloseTo(1.25 / 0.75);
    expect(out[2]).toBeCloseTo(2.625 / 0.875);
  });

  it('keeps NaN as a gap without poisoning later points', () => {
    const out = emaDebiased([1, NaN, 1, 1], 0.8);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBeCloseTo(1);
    expect(out[3]).toBeCloseTo(1);
  });

  it('smooths noise towards the mean', () => {
    const values = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? 0 : 2));
    const out = emaDebiased(values, 0.95);
    expect(Math.abs(out[1999]! - 1)).toBeLessThan(0.1);
  });

  it('treats a smoothing of 1 or more as none rather than freezing the line', () => {
    expect([...emaDebiased([1, 5], 1)]).toEqual([1, 5]);
  });
});

describe('groupStats', () => {
  it('gives mean and sample std over runs logged at the same steps', () => {
    const stats = groupStats([
      { x: [0, 1, 2], y: [1, 2, 3] },
      { x: [0, 1, 2], y: [3, 4, 5] },
    ]);
    expect([...stats.x]).toEqual([0, 1, 2]);
    expect([...stats.mean]).toEqual([2, 3, 4]);
    for (const s of stats.std) expect(s).toBeCloseTo(Math.SQRT2);
    expect([...stats.count]).toEqual([2, 2, 2]);
  });

  it('interpolates runs logged at different steps and ignores runs outside their range', () => {
    const stats = groupStats([
      { x: [0, 10], y: [0, 10] },
      { x: [0, 5], y: [4, 4] },
    ]);
    expect([...stats.x]).toEqual([0, 5, 10]);
    expect(stats.mean[1]).toBeCloseTo((5 + 4) / 2);
    // At x = 10 only the first run still has data.
    expect(stats.count[2]).toBe(1);
    expect(stats.mean[2]).toBe(10);
    expect(stats.std[2]).toBe(0);
  });

  it('leaves NaN points out and makes a gap where no run has a value', () => {
    const stats = groupStats([
      { x: [0, 1, 2], y: [1, NaN, NaN] },
      { x: [0, 1, 2], y: [3, 5, NaN] },
    ]);
    expect(stats.mean[0]).toBe(2);
    expect(stats.mean[1]).toBe(5);
    expect(stats.count[1]).toBe(1);
    expect(Number.isNaN(stats.mean[2])).toBe(true);
  });

  it('sorts unsorted x, averages repeated x and thins the grid to the budget', () => {
    const stats = groupStats([{ x: [2, 0, 1, 1], y: [6, 0, 2, 4] }]);
    expect([...stats.x]).toEqual([0, 1, 2]);
    expect([...stats.mean]).toEqual([0, 3, 6]);
    const many = groupStats(
      [{ x: Array.from({ length: 10_000 }, (_, i) => i), y: new Array(10_000).fill(1) }],
      100,
    );
    expect(many.x.length).toBe(100);
    expect(many.x[0]).toBe(0);
    expect(many.x[99]).toBe(9999);
  });

  it('stays exact for large values with a small spread', () => {
    const stats = groupStats([
      { x: [0], y: [1e9 + 0.01] },
      { x: [0], y: [1e9 - 0.01] },
    ]);
    expect(stats.std[0]).toBeCloseTo(Math.SQRT2 * 0.01, 6);
  });

  it('returns an empty result for no runs', () => {
    expect(groupStats([]).x.length).toBe(0);
  });
});
