import { downsampleIndices } from '../../../shared/downsample';
import type { SeriesArrays } from '../../../shared/downsample';

/**
 * Points kept in a chunk's overview: 1/64 of a full 65 536-point chunk. A plot of the whole
 * range reads only overviews (24 KB per chunk instead of 1.5 MB), and a plot zoomed in far
 * enough that this is too coarse reads the raw chunks of the visible range.
 */
export const OVERVIEW_POINTS = 1024;

/** What the range index keeps about one metric_chunks row (migration 6). */
export interface ChunkDigest {
  /** Over the finite steps; +Infinity / -Infinity when the chunk has none. */
  minStep: number;
  maxStep: number;
  /** Points whose step is NaN or infinite: such a chunk is never wholly inside a step range. */
  nonFiniteSteps: number;
  /**
   * Min/max-downsampled points of the chunk (first, last, extremes and NaN gaps kept). Empty
   * for a chunk of at most OVERVIEW_POINTS points, whose overview would be a copy of every
   * point (schema 20 on; older caches hold the copy): a reader takes the chunk itself.
   */
  overview: Buffer;
}

export function digestChunk(chunk: SeriesArrays): ChunkDigest {
  let minStep = Infinity;
  let maxStep = -Infinity;
  let nonFiniteSteps = 0;
  for (const step of chunk.steps) {
    if (!Number.isFinite(step)) nonFiniteSteps++;
    else {
      if (step < minStep) minStep = step;
      if (step > maxStep) maxStep = step;
    }
  }
  return { minStep, maxStep, nonFiniteSteps, overview: packOverview(chunk) };
}

const NO_OVERVIEW = Buffer.alloc(0);

/**
 * Short chunks (most metrics of a folder sync) keep no copy: it was as many bytes as the
 * chunk, about a third of a synced run's cache, written and checkpointed twice (issue 13).
 */
function packOverview(chunk: SeriesArrays): Buffer {
  if (chunk.values.length <= OVERVIEW_POINTS) return NO_OVERVIEW;
  return packPoints(chunk, downsampleIndices(chunk.values, OVERVIEW_POINTS));
}

/** Steps, then values, then timestamps of the kept points, as one Float64 blob. */
export function packPoints(chunk: SeriesArrays, indices: Int32Array): Buffer {
  const k = indices.length;
  const packed = new Float64Array(3 * k);
  for (let j = 0; j < k; j++) {
    const i = indices[j] as number;
    packed[j] = chunk.steps[i] as number;
    packed[k + j] = chunk.values[i] as number;
    packed[2 * k + j] = chunk.timestamps[i] as number;
  }
  return Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
}

/**
 * The points of a blob written by packPoints, as views of it: a plot reads 16 overviews a
 * 1M-point trace and downsamples them (a copy) at once, so copying each first was waste.
 */
export function unpackOverview(packed: Float64Array): SeriesArrays {
  const k = Math.floor(packed.length / 3);
  return {
    steps: packed.subarray(0, k),
    values: packed.subarray(k, 2 * k),
    timestamps: packed.subarray(2 * k, 3 * k),
  };
}
