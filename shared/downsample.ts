/**
 * Min/max downsampling for line charts. A chart two points per pixel wide cannot show more,
 * but it must still show the spikes (a loss blowing up once in a million steps), the first and
 * last point, and the gaps NaN points make in the line. Buckets are taken by index, not by
 * step, because Sacred steps may repeat or go backwards.
 */

export interface SeriesArrays<B extends ArrayBufferLike = ArrayBufferLike> {
  steps: Float64Array<B>;
  values: Float64Array<B>;
  timestamps: Float64Array<B>;
}

/**
 * Indices (ascending) of the points to keep so that at most `maxPoints` remain. Every bucket
 * keeps its smallest and largest value; where NaN points lie between kept points of a bucket,
 * one NaN point is kept there too, so a line is never drawn across a gap. The first and last
 * point are always kept, and so are the global minimum and maximum from a budget of 7 points
 * up (below that, one bucket's NaN markers may take the room of its extremes).
 */
export function downsampleIndices(values: ArrayLike<number>, maxPoints: number): Int32Array {
  const n = values.length;
  const budget = Math.max(2, Math.floor(maxPoints));
  if (n <= budget) return Int32Array.from({ length: n }, (_, i) => i);

  const interiorBudget = budget - 2;
  let buckets = Math.floor(interiorBudget / 2);
  let picked = pickInterior(values, buckets);
  while (picked.length > interiorBudget && buckets > 0) {
    // NaN markers cost extra points: shrink the bucket count in proportion and retry.
    buckets = Math.min(buckets - 1, Math.floor((buckets * interiorBudget) / picked.length));
    picked = buckets > 0 ? pickInterior(values, buckets) : [];
  }
  if (buckets === 0) picked = interiorBudget >= 1 ? firstInteriorNaN(values) : [];

  const out = new Int32Array(picked.length + 2);
  out[0] = 0;
  out.set(picked, 1);
  out[out.length - 1] = n - 1;
  return out;
}

export function downsampleSeries(
  series: SeriesArrays,
  maxPoints: number,
): SeriesArrays<ArrayBuffer> {
  const indices = downsampleIndices(series.values, maxPoints);
  return {
    steps: pick(series.steps, indices),
    values: pick(series.values, indices),
    timestamps: pick(series.timestamps, indices),
  };
}

function pick(source: Float64Array, indices: Int32Array): Float64Array<ArrayBuffer> {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = source[indices[i] ?? 0] ?? NaN;
  return out;
}

function firstInteriorNaN(values: ArrayLike<number>): number[] {
  for (let i = 1; i < values.length - 1; i++) if (Number.isNaN(values[i])) return [i];
  return [];
}

/** Kept indices of points 1..n-2 split into `buckets` buckets of (almost) equal size. */
function pickInterior(values: ArrayLike<number>, buckets: number): number[] {
  const n = values.length;
  const interior = n - 2;
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * interior) / buckets);
    const end = 1 + Math.floor(((b + 1) * interior) / buckets);
    if (end > start) pickBucket(values, start, end, out);
  }
  return out;
}

function pickBucket(values: ArrayLike<number>, start: number, end: number, out: number[]): void {
  let minIndex = -1;
  let maxIndex = -1;
  let firstNaN = -1;
  for (let i = start; i < end; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) {
      if (firstNaN < 0) firstNaN = i;
      continue;
    }
    if (minIndex < 0 || v < (values[minIndex] as number)) minIndex = i;
    if (maxIndex < 0 || v > (values[maxIndex] as number)) maxIndex = i;
  }
  if (minIndex < 0) {
    if (firstNaN >= 0) out.push(firstNaN);
    return;
  }
  const kept =
    minIndex === maxIndex
      ? [minIndex]
      : [Math.min(minIndex, maxIndex), Math.max(minIndex, maxIndex)];
  if (firstNaN < 0) {
    out.push(...kept);
    return;
  }
  // One NaN in each stretch (before, between, after the kept points) that holds a NaN.
  let from = start;
  for (const index of kept) {
    const nan = findNaN(values, from, index);
    if (nan >= 0) out.push(nan);
    out.push(index);
    from = index + 1;
  }
  const trailing = findNaN(values, from, end);
  if (trailing >= 0) out.push(trailing);
}

function findNaN(values: ArrayLike<number>, from: number, to: number): number {
  for (let i = from; i < to; i++) if (Number.isNaN(values[i])) return i;
  return -1;
}
