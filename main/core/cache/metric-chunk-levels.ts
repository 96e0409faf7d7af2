import type { Database } from 'better-sqlite3';
import type { SeriesArrays } from '../../../shared/downsample';
import { packPoints } from './chunk-digest';
import { writeChunkBlocks } from './metric-chunk-blocks';

/**
 * The finer stored level of a metric chunk (issue 13): between the 1/64 overview and the raw
 * points. A zoom on 10% of twenty 1M-point runs used to read ~90 MB of raw chunks because the
 * overview was too coarse for the pixels; this level is about 1/8 of the chunk, so such a zoom
 * reads ~200 KB per chunk instead of 1.5 MB.
 *
 * Buckets are fixed runs of LEVEL_BUCKET raw points (bucket k holds points 16k..16k+15), each
 * keeping its smallest and largest value (and one NaN when it has one, so gaps stay gaps), in
 * index order, and the chunk's first and last point. Fixed buckets let a zoom that cuts a chunk take every bucket wholly inside the
 * range from the level and read only the two cut buckets' raw points: the extremes of the range
 * are then exactly those of the raw points.
 */
export const LEVEL_BUCKET = 16;

/** Chunks up to this many points get no level: their raw points are as cheap to read. */
export const LEVEL_MIN_CHUNK_POINTS = 8 * LEVEL_BUCKET * 64;

/** One metric_chunk_levels row as a range read uses it. */
export interface ChunkLevel {
  /** Points of the chunk when the level was written (a level of a grown chunk is stale). */
  pointCount: number;
  /**
   * Step of point i is firstStep + i * stride exactly, for every point of the chunk; null when
   * steps are not such a progression (restarts, repeats, NaN): a cut of the chunk then needs
   * its raw steps.
   */
  stride: number | null;
  firstStep: number;
  /** Views of the row's blob: a zoom takes a few hundred of its ~8,000 points, copied later. */
  points: SeriesArrays;
}

/** Migration 18 (issue 13): the level table. Filled at sync, and lazily for older chunks. */
export function createMetricChunkLevels(db: Database): void {
  db.exec(`
    CREATE TABLE metric_chunk_levels (
      source TEXT NOT NULL,
      run_id TEXT NOT NULL,
      name TEXT NOT NULL,
      chunk_no INTEGER NOT NULL,
      point_count INTEGER NOT NULL,
      stride REAL,
      first_step REAL NOT NULL,
      level BLOB NOT NULL,
      PRIMARY KEY (source, run_id, name, chunk_no),
      FOREIGN KEY (source, run_id, name, chunk_no)
        REFERENCES metric_chunks (source, run_id, name, chunk_no) ON DELETE CASCADE
    );
  `);
}

export function wantsLevel(pointCount: number): boolean {
  return pointCount > LEVEL_MIN_CHUNK_POINTS;
}

/** The common difference of the chunk's steps, if they are an increasing progression. */
export function stepStride(steps: Float64Array): number | null {
  const n = steps.length;
  if (n < 2) return null;
  const first = steps[0] as number;
  const stride = (steps[1] as number) - first;
  if (!Number.isFinite(first) || !(stride > 0) || !Number.isFinite(stride)) return null;
  for (let i = 2; i < n; i++) if (steps[i] !== first + i * stride) return null;
  return stride;
}

/** Indices (ascending) the level keeps of a chunk's values. */
export function levelIndices(values: Float64Array): Int32Array {
  const n = values.length;
  const out = new Int32Array(Math.ceil(n / LEVEL_BUCKET) * 5);
  let k = 0;
  for (let start = 0; start < n; start += LEVEL_BUCKET) {
    const end = Math.min(n, start + LEVEL_BUCKET);
    let minAt = -1;
    let maxAt = -1;
    let nanAt = -1;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      if (Number.isNaN(v)) {
        if (nanAt < 0) nanAt = i;
      } else {
        if (minAt < 0 || v < (values[minAt] as number)) minAt = i;
        if (maxAt < 0 || v > (values[maxAt] as number)) maxAt = i;
      }
    }
    // The chunk's first and last point too: a cut that starts or ends with the chunk then
    // needs no raw point for its ends.
    const ends = [start === 0 ? 0 : -1, end === n ? n - 1 : -1];
    const kept = [minAt, maxAt, nanAt, ...ends].filter((i) => i >= 0).sort((a, b) => a - b);
    for (let j = 0; j < kept.length; j++) {
      if (j > 0 && kept[j] === kept[j - 1]) continue;
      out[k++] = kept[j] as number;
    }
  }
  return out.slice(0, k);
}

/** Writes (or replaces) the level of one chunk; chunks too small for one get none. */
export function writeChunkLevel(
  db: Database,
  key: readonly [string, string, string],
  chunkNo: number,
  chunk: SeriesArrays,
): void {
  const n = chunk.values.length;
  if (!wantsLevel(n)) return;
  const level = packPoints(chunk, levelIndices(chunk.values.subarray(0, n)));
  const stride = stepStride(chunk.steps.subarray(0, n));
  db.prepare(
    `INSERT OR REPLACE INTO metric_chunk_levels (
      source, run_id, name, chunk_no, point_count, stride, first_step, level
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    ...key,
    chunkNo,
    n,
    stride,
    // Only read with a stride, which needs a finite first step; NOT NULL wants a number.
    Number.isFinite(chunk.steps[0]) ? chunk.steps[0] : 0,
    level,
  );
  // A level cut reads its two cut buckets' raw points from these (metric-chunk-blocks.ts).
  writeChunkBlocks(db, key, chunkNo, stride === null ? null : chunk);
}

/**
 * Unpacks a level row as views of its blob (steps, then values, then timestamps). Copying the
 * three arrays and deriving every point's raw index up front was the serve process's largest
 * self time in a 20-trace zoom (issue 13): a cut needs only two positions, found by
 * levelPointsUpTo.
 */
export function unpackLevel(
  pointCount: number,
  stride: number | null,
  firstStep: number,
  packed: Float64Array,
): ChunkLevel {
  const k = Math.floor(packed.length / 3);
  const points = {
    steps: packed.subarray(0, k),
    values: packed.subarray(k, 2 * k),
    timestamps: packed.subarray(2 * k, 3 * k),
  };
  return { pointCount, stride, firstStep, points };
}

/**
 * How many of a strided level's points have a raw index of at most `index` (its points are in
 * index order, and point j's raw index is recovered from its step).
 */
export function levelPointsUpTo(level: ChunkLevel, index: number): number {
  const { steps } = level.points;
  const stride = level.stride as number;
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = Math.round(((steps[mid] as number) - level.firstStep) / stride);
    if (at <= index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
