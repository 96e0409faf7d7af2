import type { Database } from 'better-sqlite3';

/** What the cache knows of some runs' sizes, summed in SQL (a backup's estimate). */
export interface CachedRunSizes {
  runs: number;
  metrics: number;
  metricPoints: number;
  artifacts: number;
  artifactBytes: number;
  artifactsUnknownSize: number;
  /** The `info` JSON of the runs that name data files (Altar uploads), to read raw data from. */
  infosWithDataFiles: string[];
}

/**
 * Sums the cached sizes of a source's runs, of all of them (`ids` null) or of these ids, with
 * one statement per table instead of three per run (100k runs in a fraction of a second).
 */
export function cachedRunSizes(
  db: Database,
  source: string,
  ids: readonly string[] | null,
): CachedRunSizes {
  const chosen = ids === null ? '' : 'AND run_id IN (SELECT value FROM json_each(@ids))';
  const params = { source, ids: JSON.stringify(ids ?? []) };
  const runs = db
    .prepare(`SELECT count(*) AS n FROM runs WHERE source = @source ${chosen}`)
    .get(params) as { n: number };
  const metrics = db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(count), 0) AS points FROM metrics
       WHERE source = @source ${chosen}`,
    )
    .get(params) as { n: number; points: number };
  const artifacts = db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes,
         coalesce(sum(size IS NULL), 0) AS unknown
       FROM artifacts WHERE source = @source ${chosen}`,
    )
    .get(params) as { n: number; bytes: number; unknown: number };
  const infos = db
    .prepare(
      `SELECT info FROM runs WHERE source = @source ${chosen} AND instr(info, 'dataFiles') > 0`,
    )
    .pluck()
    .all(params) as string[];
  return {
    runs: runs.n,
    metrics: metrics.n,
    metricPoints: metrics.points,
    artifacts: artifacts.n,
    artifactBytes: artifacts.bytes,
    artifactsUnknownSize: artifacts.unknown,
    infosWithDataFiles: infos,
  };
}
