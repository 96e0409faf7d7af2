import type { Database } from 'better-sqlite3';
import { storedMetricChunks } from './stored-metric-chunks';
import { toSqlNumber } from './sql-number';
import type { SqlNumber } from './sql-number';

/**
 * The `lastN` summary the metrics table keeps precomputed (migration 7): the filter grammar's
 * example and the likeliest one. Other N are computed from the last chunks on first use.
 */
export const STORED_LAST_N = 10;

/** Mean of all points and of the last STORED_LAST_N, as the run table shows them. */
export interface MetricMeans {
  mean: number | null;
  lastN: number | null;
}

/**
 * Mean of the last `count` points of the concatenated `parts`, NaN points skipped (like min
 * and max); null if none. The sum runs in point order so that a stored mean and one computed
 * from the chunks are the same number.
 */
export function meanOfTail(parts: readonly Float64Array[], count: number): number | null {
  let skip = parts.reduce((sum, part) => sum + part.length, 0) - count;
  let sum = 0;
  let used = 0;
  for (const part of parts) {
    const from = Math.min(skip, part.length);
    skip -= from;
    for (let j = from; j < part.length; j++) {
      const v = part[j] as number;
      if (Number.isNaN(v)) continue;
      sum += v;
      used++;
    }
  }
  return used === 0 ? null : sum / used;
}

export function metricMeans(parts: readonly Float64Array[]): MetricMeans {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  return {
    mean: meanOfTail(parts, total),
    lastN: meanOfTail(parts, Math.min(STORED_LAST_N, total)),
  };
}

/** The SQL values of `mean_value` and `last10_value` for `values`. */
export function metricMeanColumns(values: Float64Array): [SqlNumber, SqlNumber] {
  const { mean, lastN } = metricMeans([values]);
  return [toSqlNumber(mean), toSqlNumber(lastN)];
}

/**
 * Migration 7: the metrics table keeps the mean and last10 mean next to first/last/min/max,
 * so that the run table's first use of those columns reads no points, and an index that holds
 * every summary by metric name. Existing rows are filled from their chunks here, once.
 */
export function addMetricMeans(db: Database): void {
  db.exec(`
    ALTER TABLE metrics ADD COLUMN mean_value;
    ALTER TABLE metrics ADD COLUMN last10_value;
  `);
  // better-sqlite3 cannot write while a read iterates: collect the (small) results first.
  const updates: unknown[][] = [];
  let key: string | null = null;
  let keyValues: unknown[] = [];
  let parts: Float64Array[] = [];
  const flush = (): void => {
    if (key === null) return;
    const { mean, lastN } = metricMeans(parts);
    updates.push([toSqlNumber(mean), toSqlNumber(lastN), ...keyValues]);
  };
  for (const { source, runId, name, values } of storedMetricChunks(db)) {
    const next = JSON.stringify([source, runId, name]);
    if (next !== key) {
      flush();
      key = next;
      keyValues = [source, runId, name];
      parts = [];
    }
    parts.push(values);
  }
  flush();
  const update = db.prepare(
    `UPDATE metrics SET mean_value = ?, last10_value = ?
     WHERE source = ? AND run_id = ? AND name = ?`,
  );
  for (const row of updates) update.run(...row);
  // Built after the backfill so that the updates need not maintain it.
  db.exec(`
    -- A metric's column of the run table is one contiguous range of this index instead of a
    -- lookup in the table for every run of the source.
    CREATE INDEX metric_summaries_by_name ON metrics (
      source, name, run_id, count, first_value, last_value, min_value, max_value, mean_value,
      last10_value
    );
  `);
}
