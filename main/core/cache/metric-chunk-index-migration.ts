import type { Database } from 'better-sqlite3';

/**
 * Migration 6: per metric_chunks row, the step range it covers and a small overview, so that
 * a plot reads only the chunks of its visible step range (steps are not always sorted: runs
 * restart, steps repeat). A separate table, because a column added to metric_chunks would sit
 * after its megabyte blobs and reading it would walk their overflow pages. Rows written before
 * this migration get their index entry the first time they are plotted.
 */
export function createMetricChunkIndex(db: Database): void {
  db.exec(`
    CREATE TABLE metric_chunk_index (
      source TEXT NOT NULL,
      run_id TEXT NOT NULL,
      name TEXT NOT NULL,
      chunk_no INTEGER NOT NULL,
      point_count INTEGER NOT NULL,
      min_step REAL NOT NULL,
      max_step REAL NOT NULL,
      non_finite_steps INTEGER NOT NULL,
      overview BLOB NOT NULL,
      PRIMARY KEY (source, run_id, name, chunk_no),
      FOREIGN KEY (source, run_id, name, chunk_no)
        REFERENCES metric_chunks (source, run_id, name, chunk_no) ON DELETE CASCADE
    );
  `);
}
