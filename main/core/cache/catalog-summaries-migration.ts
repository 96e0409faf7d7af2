import type { Database } from 'better-sqlite3';

/**
 * Migration 13 (issue 10): the column catalog counts the distinct values of every metric
 * summary the column picker shows (last, min, max, mean, count), not only of `last` (the
 * picker said "N distinct" of the last values for all five). The snapshot a change log entry
 * keeps of a run's metrics now holds those summaries, so the triggers of migration 10 are
 * replaced by ones that take the new snapshot (and also watch those columns); catalogs kept in
 * the old format are dropped and rebuilt on first use.
 */
export function catalogEverySummary(db: Database): void {
  const drops = Object.keys(WATCHED)
    .flatMap((table) =>
      ['insert', 'update', 'delete'].map((kind) => `DROP TRIGGER ${table}_catalog_${kind};`),
    )
    .join('\n');
  db.exec(`
    ${drops}
    DELETE FROM column_catalog_changes;
    DELETE FROM column_catalogs;
    ${triggers()}
  `);
}

/** A SQLite value as [type, text]: reals with 17 digits read back as the same double. */
function typed(column: string): string {
  return `json_array(typeof(${column}), CASE typeof(${column})
    WHEN 'real' THEN printf('%!.17g', ${column})
    WHEN 'blob' THEN hex(${column})
    ELSE ${column} END)`;
}

/**
 * The snapshot columns of the run (source, run_id) = (`source`, `runId`) read from the cache
 * tables, for `FROM ... LEFT JOIN runs r`: the run's JSON roots, its artifact count, and per
 * metric [name, last, min, max, mean, count] (the first four typed, see `typed`).
 */
export function catalogSnapshotSql(source: string, runId: string): string {
  return `r.config AS config, r.info AS info, r.host_info AS host_info, r.meta AS meta,
    r.experiment_info AS experiment_info, r.result AS result, r.tags AS tags,
    (SELECT count(*) FROM artifacts a WHERE a.source = ${source} AND a.run_id = ${runId})
      AS artifact_count,
    (SELECT json_group_array(json_array(m.name, ${typed('m.last_value')}, ${typed('m.min_value')},
        ${typed('m.max_value')}, ${typed('m.mean_value')}, m.count))
      FROM metrics m INDEXED BY sqlite_autoindex_metrics_1
      WHERE m.source = ${source} AND m.run_id = ${runId}) AS metric_values`;
}

const SNAPSHOT_COLUMNS =
  'config, info, host_info, meta, experiment_info, result, tags, artifact_count, metric_values';

const WATCHED: Record<string, string> = {
  runs: 'source, run_id, config, info, host_info, meta, experiment_info, result, tags',
  metrics: 'source, run_id, name, count, last_value, min_value, max_value, mean_value',
  artifacts: 'source, run_id',
};

function logChange(row: 'NEW' | 'OLD'): string {
  const source = `${row}.source`;
  const runId = `${row}.run_id`;
  return `
    INSERT OR IGNORE INTO column_catalog_changes (source, run_id, existed, ${SNAPSHOT_COLUMNS})
    SELECT ${source}, ${runId}, r.run_id IS NOT NULL, ${catalogSnapshotSql(source, runId)}
    FROM (SELECT 1) LEFT JOIN runs r ON r.source = ${source} AND r.run_id = ${runId}
    WHERE EXISTS (SELECT 1 FROM column_catalogs c WHERE c.source = ${source})
      AND NOT EXISTS (SELECT 1 FROM column_catalog_changes d
        WHERE d.source = ${source} AND d.run_id = ${runId});`;
}

/** BEFORE triggers: the snapshot is taken while the run still looks as the catalog saw it. */
function triggers(): string {
  return Object.entries(WATCHED)
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
