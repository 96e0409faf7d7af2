import type { Database } from 'better-sqlite3';
import { storedMetricChunks } from './stored-metric-chunks';

/** Points a plot cannot draw and min/max/mean leave out: NaN and ±Infinity. */
export function countNonFinite(values: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
  return count;
}

/**
 * Migration 12 (issue 10): the metrics table keeps how many points of each metric are NaN or
 * ±Infinity, so that a plot and a summary can say how many they left out (a downsampled read
 * sees only some of the points). Existing rows are counted from their chunks here, once.
 */
export function addMetricNonFinite(db: Database): void {
  // Idempotent, like the other additive migrations: a cache rolled back to an older version
  // number (tests fake one from today's schema) still has the column.
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('metrics');
  if (!columns.includes('non_finite')) {
    db.exec('ALTER TABLE metrics ADD COLUMN non_finite INTEGER NOT NULL DEFAULT 0');
  }
  // better-sqlite3 cannot write while a read iterates: collect the (few) non-zero counts first.
  const counts = new Map<string, [string, string, string, number]>();
  for (const { source, runId, name, values } of storedMetricChunks(db)) {
    const found = countNonFinite(values);
    if (found === 0) continue;
    const key = JSON.stringify([source, runId, name]);
    const entry = counts.get(key) ?? [source, runId, name, 0];
    entry[3] += found;
    counts.set(key, entry);
  }
  const update = db.prepare(
    'UPDATE metrics SET non_finite = ? WHERE source = ? AND run_id = ? AND name = ?',
  );
  for (const [source, runId, name, count] of counts.values()) {
    update.run(count, source, runId, name);
  }
}
