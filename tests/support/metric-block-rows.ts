import type { Database } from 'better-sqlite3';

/** One row of metric_chunk_blocks, as the block tests compare it with the chunk's raw points. */
export interface MetricBlockRow {
  chunk_no: number;
  block_no: number;
  chunk_points: number;
  values: Buffer;
  timestamps: Buffer;
}

/** Every block row of the cache, in chunk and block order. */
export function readMetricBlockRows(db: Database): MetricBlockRow[] {
  return db
    .prepare(
      `SELECT chunk_no, block_no, chunk_points, "values", timestamps FROM metric_chunk_blocks
       ORDER BY chunk_no, block_no`,
    )
    .all() as MetricBlockRow[];
}
