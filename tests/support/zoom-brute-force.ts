import { expect } from 'vitest';
import type { SeriesArrays } from '../../shared/downsample';

/**
 * Checks a zoomed metric read against a brute force over the raw points (sorted steps), as a
 * user looking at the plot would: the counts, that every point drawn is a real point, the
 * first and last point of the range and its exact extremes, every spike drawn within two
 * pixels of where it is (pixels: the plot two points per pixel wide), NaN gaps kept. Steps
 * must be sorted and distinct.
 */
export function expectZoomMatchesRaw(
  raw: SeriesArrays,
  range: { xMin: number; xMax: number },
  maxPoints: number,
  read: { series: SeriesArrays; pointsInRange: number },
): void {
  const { xMin, xMax } = range;
  const n = raw.steps.length;
  const indexOfStep = (step: number): number | undefined => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = raw.steps[mid] as number;
      if (at === step) return mid;
      if (at < step) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  const inside: number[] = [];
  for (let i = 0; i < n; i++) {
    const step = raw.steps[i] as number;
    if (step >= xMin && step <= xMax) inside.push(i);
  }
  expect(read.pointsInRange, 'points in range').toBe(inside.length);
  const shown = read.series;
  expect(shown.values.length).toBeLessThanOrEqual(maxPoints);
  if (inside.length === 0) return;
  const firstIn = inside[0] as number;
  const lastIn = inside.at(-1) as number;

  // Every point drawn is a raw point; outside the range only the two neighbours.
  const shownIndices: number[] = [];
  for (let j = 0; j < shown.steps.length; j++) {
    const i = indexOfStep(shown.steps[j] as number);
    expect(i, `step ${shown.steps[j]} is not a raw step`).toBeDefined();
    expect(Object.is(shown.values[j], raw.values[i as number])).toBe(true);
    expect(shown.timestamps[j]).toBe(raw.timestamps[i as number]);
    shownIndices.push(i as number);
  }
  const outside = shownIndices.filter((i) => i < firstIn || i > lastIn);
  const neighbours = [firstIn - 1, lastIn + 1].filter((i) => i >= 0 && i < n);
  expect(outside).toEqual(neighbours);
  expect(shownIndices).toContain(firstIn);
  expect(shownIndices).toContain(lastIn);

  // The exact extremes of the range.
  let maxAt = -1;
  let minAt = -1;
  for (const i of inside) {
    const v = raw.values[i] as number;
    if (Number.isNaN(v)) continue;
    if (maxAt < 0 || v > (raw.values[maxAt] as number)) maxAt = i;
    if (minAt < 0 || v < (raw.values[minAt] as number)) minAt = i;
  }
  if (maxAt >= 0) {
    const shownValues = new Set(shownIndices.map((i) => raw.values[i]));
    expect(shownValues.has(raw.values[maxAt]), 'the range maximum is drawn').toBe(true);
    expect(shownValues.has(raw.values[minAt]), 'the range minimum is drawn').toBe(true);
  }

  // Every raw point lies within what is drawn within two pixels of it.
  const pixels = Math.max(1, Math.floor(maxPoints / 2));
  const width = (raw.steps[lastIn] as number) - (raw.steps[firstIn] as number) || 1;
  const pixelOf = (i: number): number =>
    Math.min(
      pixels - 1,
      Math.floor((((raw.steps[i] as number) - (raw.steps[firstIn] as number)) / width) * pixels),
    );
  const drawnMax = new Float64Array(pixels).fill(-Infinity);
  const drawnMin = new Float64Array(pixels).fill(Infinity);
  let drawnNaN = false;
  for (const i of shownIndices) {
    if (i < firstIn || i > lastIn) continue;
    const v = raw.values[i] as number;
    if (Number.isNaN(v)) {
      drawnNaN = true;
      continue;
    }
    const p = pixelOf(i);
    drawnMax[p] = Math.max(drawnMax[p] as number, v);
    drawnMin[p] = Math.min(drawnMin[p] as number, v);
  }
  let rawNaN = false;
  for (const i of inside) {
    const v = raw.values[i] as number;
    if (Number.isNaN(v)) {
      if (i !== firstIn && i !== lastIn) rawNaN = true;
      continue;
    }
    const p = pixelOf(i);
    let hi = -Infinity;
    let lo = Infinity;
    for (let q = Math.max(0, p - 2); q <= Math.min(pixels - 1, p + 2); q++) {
      hi = Math.max(hi, drawnMax[q] as number);
      lo = Math.min(lo, drawnMin[q] as number);
    }
    if (hi < v || lo > v) {
      expect.fail(`raw point ${i} (step ${raw.steps[i]}, ${v}) is outside what is drawn near it`);
    }
  }
  if (rawNaN) expect(drawnNaN, 'a NaN gap in the range is kept').toBe(true);
}
