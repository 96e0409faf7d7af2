import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { float64ToBlob, METRIC_CHUNK_POINTS } from '../../main/core/cache/float64-blob';
import { migrations } from '../../main/core/cache/migrations';

/**
 * An in-memory cache as a version `version` of the app left it: one run "1" of source "old"
 * holding the given metrics, their points split into chunks as the store writes them. The
 * caller then runs `migrate` and checks what the later migrations filled in.
 */
export function oldCacheWithMetrics(
  version: number,
  metrics: ReadonlyArray<[name: string, points: Float64Array]>,
): SqliteDatabase {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (const migration of migrations.slice(0, version)) migration(db);
  db.pragma(`user_version = ${version}`);
  db.prepare(
    `INSERT INTO sources (name, kind, location, created_at) VALUES ('old', 'folder', '/x', 'now')`,
  ).run();
  db.prepare(
    `INSERT INTO runs (source, run_id, status, beat_interval, config, result, tags, info,
       host_info, experiment_info, meta, source_files, resources, warnings, fingerprint,
       captured_out, captured_out_bytes, captured_out_truncated)
     VALUES ('old', '1', 'COMPLETED', 10, '{}', 'null', '[]', '{}', '{}', '{}', '{}', '[]',
       '[]', '[]', 'f', x'', 0, 0)`,
  ).run();
  const metric = db.prepare(
    `INSERT INTO metrics (source, run_id, name, position, count) VALUES ('old', '1', ?, ?, ?)`,
  );
  const chunk = db.prepare(
    `INSERT INTO metric_chunks (source, run_id, name, chunk_no, point_count, steps, "values",
       timestamps) VALUES ('old', '1', ?, ?, ?, x'', ?, x'')`,
  );
  metrics.forEach(([name, points], position) => {
    metric.run(name, position, points.length);
    for (let no = 0; no * METRIC_CHUNK_POINTS < points.length; no++) {
      const part = points.subarray(no * METRIC_CHUNK_POINTS, (no + 1) * METRIC_CHUNK_POINTS);
      chunk.run(name, no, part.length, float64ToBlob(part));
    }
  });
  return db;
}
