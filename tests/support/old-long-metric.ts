import type { Database } from 'better-sqlite3';
import { OVERVIEW_POINTS, digestChunk, packPoints } from '../../main/core/cache/chunk-digest';
import { downsampleIndices } from '../../shared/downsample';
import type { SeriesArrays } from '../../shared/downsample';

const blob = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * A chunk's overview as apps before schema 20 stored it: a short chunk's is a copy of all its
 * points (today's digestChunk stores it empty).
 */
export function oldOverview(chunk: SeriesArrays): Buffer {
  return packPoints(chunk, downsampleIndices(chunk.values, OVERVIEW_POINTS));
}

/**
 * Run lab/1's metric "long" written into an old frozen cache (an opened fixture) as the apps
 * of schema 16–18 stored it: its summary row, its chunks of `chunkPoints` and their range
 * index. `eachChunk` adds what a later version stored beside a chunk (its level).
 */
export function writeOldLongMetric(
  db: Database,
  metric: SeriesArrays,
  extremes: { min: number; max: number },
  chunkPoints: number,
  eachChunk: (chunkNo: number, part: SeriesArrays) => void = () => undefined,
): void {
  const n = metric.values.length;
  db.prepare(
    `INSERT INTO metrics (source, run_id, name, position, count, first_value, last_value,
       min_value, max_value, mean_value, last10_value, non_finite)
     VALUES ('lab', '1', 'long', 1, ?, ?, ?, ?, ?, 0, 0, 10)`,
  ).run(n, metric.values[0], metric.values[n - 1], extremes.min, extremes.max);
  for (let start = 0, chunk = 0; start < n; start += chunkPoints, chunk++) {
    const part = {
      steps: metric.steps.subarray(start, start + chunkPoints),
      values: metric.values.subarray(start, start + chunkPoints),
      timestamps: metric.timestamps.subarray(start, start + chunkPoints),
    };
    db.prepare(
      `INSERT INTO metric_chunks (source, run_id, name, chunk_no, point_count, steps, "values",
         timestamps) VALUES ('lab', '1', 'long', ?, ?, ?, ?, ?)`,
    ).run(chunk, part.values.length, blob(part.steps), blob(part.values), blob(part.timestamps));
    const digest = digestChunk(part);
    db.prepare(
      `INSERT INTO metric_chunk_index (source, run_id, name, chunk_no, point_count, min_step,
         max_step, non_finite_steps, overview) VALUES ('lab', '1', 'long', ?, ?, ?, ?, ?, ?)`,
    ).run(
      chunk,
      part.values.length,
      digest.minStep,
      digest.maxStep,
      digest.nonFiniteSteps,
      oldOverview(part),
    );
    eachChunk(chunk, part);
  }
}
