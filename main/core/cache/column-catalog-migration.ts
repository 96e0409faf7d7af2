import type { Database } from 'better-sqlite3';

/**
 * Migration 10 (issue 6): the column picker's catalog, kept across app starts.
 * - `column_catalogs`: per source, the discovered columns with their kinds, presence and
 *   distinct values (see main/core/query/column-catalog.ts), as one JSON body. A cache
 *   upgraded from before this migration has none: the first listColumns builds it.
 * - `column_catalog_changes`: a run whose catalog contribution is out of date, with what it
 *   looked like when the catalog last counted it (`existed` 0: it did not exist then). Filled
 *   by triggers, so every writer (sync, live refresh, the CLI in another process, a cascade)
 *   is seen; only the first change of a run since the catalog was brought up to date is kept,
 *   and only for sources that have a catalog (a first sync logs nothing).
 */
export function createColumnCatalog(db: Database): void {
  db.exec(`
    CREATE TABLE column_catalogs (
      source TEXT PRIMARY KEY,
      generation INTEGER NOT NULL,
      body TEXT NOT NULL
    );
    CREATE TABLE column_catalog_changes (
      source TEXT NOT NULL,
      run_id TEXT NOT NULL,
      existed INTEGER NOT NULL,
      ${SNAPSHOT_COLUMNS.map((column) => `${column}`).join(',\n      ')},
      PRIMARY KEY (source, run_id)
    ) WITHOUT ROWID;
    ${triggers()}
  `);
}

/** What a run contributes to the catalog, as stored in the runs row and its child tables. */
export const SNAPSHOT_COLUMNS = [
  'config',
  'info',
  'host_info',
  'meta',
  'experiment_info',
  'result',
  'tags',
  'artifact_count',
  'metric_values',
] as const;

/**
 * The snapshot columns of the run (source, run_id) = (`source`, `runId`) read from the cache
 * tables, for `FROM ... LEFT JOIN runs r`. Metric last values keep their SQLite type (a real
 * written with 17 digits reads back as the same double), so distinct counts match SQL's.
 */
export function snapshotSql(source: string, runId: string): string {
  return `r.config AS config, r.info AS info, r.host_info AS host_info, r.meta AS meta,
    r.experiment_info AS experiment_info, r.result AS result, r.tags AS tags,
    (SELECT count(*) FROM artifacts a WHERE a.source = ${source} AND a.run_id = ${runId})
      AS artifact_count,
    (SELECT json_group_array(json_array(m.name, typeof(m.last_value),
        CASE typeof(m.last_value)
          WHEN 'real' THEN printf('%!.17g', m.last_value)
          WHEN 'blob' THEN hex(m.last_value)
          ELSE m.last_value END))
      FROM metrics m INDEXED BY sqlite_autoindex_metrics_1
      WHERE m.source = ${source} AND m.run_id = ${runId}) AS metric_values`;
}

function logChange(row: 'NEW' | 'OLD'): string {
  const source = `${row}.source`;
  const runId = `${row}.run_id`;
  return `
    INSERT OR IGNORE INTO column_catalog_changes (source, run_id, existed, ${SNAPSHOT_COLUMNS.join(', ')})
    SELECT ${source}, ${runId}, r.run_id IS NOT NULL, ${snapshotSql(source, runId)}
    FROM (SELECT 1) LEFT JOIN runs r ON r.source = ${source} AND r.run_id = ${runId}
    WHERE EXISTS (SELECT 1 FROM column_catalogs c WHERE c.source = ${source})
      AND NOT EXISTS (SELECT 1 FROM column_catalog_changes d
        WHERE d.source = ${source} AND d.run_id = ${runId});`;
}

/** BEFORE triggers: the snapshot is taken while the run still looks as the catalog saw it. */
function triggers(): string {
  const watched: Record<string, string> = {
    runs: 'source, run_id, config, info, host_info, meta, experiment_info, result, tags',
    metrics: 'source, run_id, name, last_value',
    artifacts: 'source, run_id',
  };
  return Object.entries(watched)
    .map(
      ([table, columns]) => `
    CREATE TRIGGER ${table}_catalog_insert BEFORE INSERT ON ${table}
      BEGIN ${logChange('NEW')} END;
    CREATE TRIGGER ${table}_catalog_update BEFORE UPDATE OF ${columns} ON ${table}
      BEGIN ${logChange('OLD')} ${logChange('NEW')} END;
    CREATE TRIGGER ${table}_catalog_delete BEFORE DELETE ON ${table}
      BEGIN ${logChange('OLD')} END;`,
    )
    .join('\n');
}

/** Forgets a source's catalog (its source is being removed: no change of it is logged). */
export function dropCatalog(db: Database, source: string): void {
  db.prepare('DELETE FROM column_catalogs WHERE source = ?').run(source);
  db.prepare('DELETE FROM column_catalog_changes WHERE source = ?').run(source);
}
