import type { Database } from 'better-sqlite3';
import { blobToFloat64 } from './float64-blob';

/** One stored chunk of a metric's values, in (source, run, metric, chunk) order. */
export interface StoredMetricChunk {
  source: string;
  runId: string;
  name: string;
  values: Float64Array;
}

/**
 * Every metric chunk's values, chunk by chunk in metric order: the backfills of stored metric
 * summaries (means, non-finite counts) walk the cache once this way. The caller must not write
 * while iterating (better-sqlite3 refuses a write during an open read).
 */
export function* storedMetricChunks(db: Database): Generator<StoredMetricChunk> {
  const rows = db
    .prepare(
      `SELECT source, run_id, name, point_count, "values" FROM metric_chunks
       ORDER BY source, run_id, name, chunk_no`,
    )
    .raw()
    .iterate() as IterableIterator<[string, string, string, number, Buffer]>;
  for (const [source, runId, name, pointCount, blob] of rows) {
    yield { source, runId, name, values: blobToFloat64(blob).subarray(0, pointCount) };
  }
}
