import type { Database } from 'better-sqlite3';
import type { ColumnPath } from '../../../shared/filter';
import { preparedStatement } from '../cache/prepared-statement';
import { Column } from './column';
import {
  ROOT_COLUMNS,
  StaleSegmentError,
  SUMMARY_COLUMNS,
  SUMMARY_FIELDS,
  sqlJsonPath,
  walkPath,
} from './column-loaders';
import type { SourceSegment } from './source-segment';

/** Whether readPageColumn reads this column's values for some runs (else: null). */
export function pageReadable(path: ColumnPath): boolean {
  const [root, ...keys] = path as [string, ...string[]];
  if (root === 'metrics' && keys.length === 2) {
    return SUMMARY_FIELDS.includes(keys[1] as string);
  }
  return keys.length > 0 && ROOT_COLUMNS[root] !== undefined;
}

/**
 * The values of one column for a few rows of a segment (a page the table shows), read for
 * those runs alone: slot k of the column holds the value of row `rows[k]`. A whole column
 * (column-loaders.ts) reads every run of the source (~100 ms per column at 100k runs), and a
 * restarted window asks its first page with ~9 columns nobody filters or sorts by; this reads
 * them in a few index lookups. The values are set as loadColumn sets them, so jsonValue gives
 * the same answer. Null when the column has no such read (built-in columns, counts, means of
 * the last points): the caller loads the whole column. Throws StaleSegmentError when a run
 * of the page is gone (another process deleted it since the segment was loaded).
 */
export function readPageColumn(
  db: Database,
  segment: SourceSegment,
  path: ColumnPath,
  rows: readonly number[],
): Column | null {
  if (!pageReadable(path)) return null;
  const [root, ...keys] = path as [string, ...string[]];
  const ids = rows.map((row) => segment.ids[row] as string);
  if (root === 'metrics' && keys.length === 2) {
    return readSummaries(db, segment, keys[0] as string, keys[1] as string, ids);
  }
  const textColumn = ROOT_COLUMNS[root] as string;
  const column = new Column(ids.length);
  const jsonPath = sqlJsonPath(keys);
  if (jsonPath !== null) {
    const found = byRunId(
      preparedStatement(
        db,
        `SELECT run_id, ${root} -> ? FROM run_json
           WHERE source = ? AND run_id IN (SELECT value FROM json_each(?))`,
      )
        .raw()
        .all(jsonPath, segment.source, JSON.stringify(ids)) as [string, unknown][],
    );
    // As the whole-column load: every run in run_json, else the text in runs for all of them.
    if (ids.every((id) => found.has(id))) {
      ids.forEach((id, k) => {
        const json = found.get(id);
        if (typeof json === 'string') column.setJson(k, json);
      });
      return column;
    }
  }
  const found = byRunId(
    preparedStatement(
      db,
      `SELECT run_id, ${textColumn} FROM runs
         WHERE source = ? AND run_id IN (SELECT value FROM json_each(?))`,
    )
      .raw()
      .all(segment.source, JSON.stringify(ids)) as [string, unknown][],
  );
  if (!ids.every((id) => found.has(id))) throw new StaleSegmentError();
  ids.forEach((id, k) => {
    const text = found.get(id);
    if (typeof text === 'string') column.setValue(k, walkPath(JSON.parse(text) as unknown, keys));
  });
  return column;
}

/** One stored summary of a metric (last, min, ...) for these runs. */
function readSummaries(
  db: Database,
  segment: SourceSegment,
  name: string,
  aggregate: string,
  ids: readonly string[],
): Column | null {
  const field = SUMMARY_FIELDS.indexOf(aggregate);
  if (field < 0) return null;
  const found = byRunId(
    preparedStatement(
      db,
      `SELECT run_id, ${SUMMARY_COLUMNS[field] as string} FROM metrics
         WHERE source = ? AND name = ? AND run_id IN (SELECT value FROM json_each(?))`,
    )
      .raw()
      .all(segment.source, name, JSON.stringify(ids)) as [string, unknown][],
  );
  const column = new Column(ids.length);
  ids.forEach((id, k) => {
    const value = found.get(id);
    if (value === null || value === undefined) return;
    // As loadMetricColumns: a stored text ("NaN") or integer read as the number it spells.
    column.setNumber(k, typeof value === 'number' ? value : Number(value));
  });
  return column;
}

function byRunId(rows: readonly [string, unknown][]): Map<string, unknown> {
  return new Map(rows);
}
