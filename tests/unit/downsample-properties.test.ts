import { describe, expect, it } from 'vitest';
import { downsampleIndices } from '../../shared/downsample';

/** Small deterministic PRNG (mulberry32) so that a failing case can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A random walk with spikes, NaN runs and the odd infinity: what a training loss looks like. */
function randomSeries(rand: () => number, n: number): number[] {
  const values: number[] = [];
  let level = rand() * 10;
  const nanShare = rand() < 0.3 ? 0 : rand() * 0.2;
  for (let i = 0; i < n; i++) {
    level += rand() - 0.5;
    let value = level;
    if (rand() < 0.001) value = level + (rand() - 0.5) * 1e6;
    if (rand() < nanShare) value = NaN;
    if (rand() < 0.0002) value = rand() < 0.5 ? Infinity : -Infinity;
    values.push(value);
  }
  // Runs of NaN (a diverged stretch), not only single points.
  if (rand() < 0.5 && n > 10) {
    const start = Math.floor(rand() * (n - 5));
    const length = Math.floor(rand() * Math.min(500, n - start));
    for (let i = start; i < start + length; i++) values[i] = NaN;
  }
  return values;
}

function extremeIndices(values: readonly number[]): { min: number; max: number } | null {
  let min = -1;
  let max = -1;
  values.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    if (min < 0 || v < (values[min] as number)) min = i;
    if (max < 0 || v > (values[max] as number)) max = i;
  });
  return min < 0 ? null : { min, max };
}

/**
 * The property on one seeded series and three zoomed ranges of it. `maxLength` and
 * `maxBudget` set the shape: the checks are the same at every size.
 */
function checkSeed(seed: number, maxLength: number, maxBudget: number): void {
  const rand = random(seed);
  const n = 2 + Math.floor(rand() ** 2 * maxLength);
  const values = randomSeries(rand, n);
  // Every range of the series, as a zoomed plot would ask for it.
  for (let trial = 0; trial < 4; trial++) {
    const a = Math.floor(rand() * n);
    const b = Math.floor(rand() * n);
    const slice = trial === 0 ? values : values.slice(Math.min(a, b), Math.max(a, b) + 1);
    const maxPoints = 2 + Math.floor(rand() * maxBudget);
    const kept = downsampleIndices(slice, maxPoints);

    expect(kept.length).toBeLessThanOrEqual(Math.max(2, maxPoints));
    if (slice.length <= maxPoints) expect(kept.length).toBe(slice.length);
    expect(kept.every((index, k) => k === 0 || index > kept[k - 1]!)).toBe(true);
    if (slice.length === 0) continue;
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(slice.length - 1);

    const keptSet = new Set(kept);
    const extremes = extremeIndices(slice);
    // Below 7 points a bucket's NaN markers may leave no room for its extremes (at 2, only
    // the ends fit): charts ask for two points per pixel, far more.
    if (extremes !== null && maxPoints >= 7) {
      // The value, not the index: equal extremes elsewhere are just as good.
      const keptValues = new Set([...kept].map((i) => slice[i]));
      expect(keptValues.has(slice[extremes.min])).toBe(true);
      expect(keptValues.has(slice[extremes.max])).toBe(true);
    }
    // Between two kept finite points, the original never had a NaN: gaps stay gaps.
    const bridged: string[] = [];
    for (let k = 0; k + 1 < kept.length; k++) {
      const from = kept[k]!;
      const to = kept[k + 1]!;
      if (Number.isNaN(slice[from]) || Number.isNaN(slice[to])) continue;
      for (let i = from + 1; i < to; i++) {
        if (Number.isNaN(slice[i])) bridged.push(`${from}->${to} over ${i}`);
      }
    }
    // At 2 points only the ends fit, so nothing can mark a gap between them.
    if (maxPoints >= 3) expect(bridged).toEqual([]);
    expect(keptSet.size).toBe(kept.length);
  }
}

describe('downsampleIndices on random series (property)', () => {
  // Many small series: the same checks over more shapes (budget 2 and 3, short NaN runs),
  // cheap enough to run for each of the mutation run's mutants.
  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}: within budget, ends and extremes kept, no line across a gap`, () => {
      checkSeed(seed, 3_000, 500);
    });
  }
  // A few at the size of a long training run, zoomed out to a few thousand pixels.
  for (let seed = 1; seed <= 3; seed++) {
    it(`seed ${seed}, up to 30k points: the same properties`, () => {
      checkSeed(seed, 30_000, 5_000);
    });
  }
});
