import type { Database } from 'better-sqlite3';
import { catalogSnapshotSql } from '../cache/catalog-summaries-migration';
import { Column, Kind } from './column';
import { CATALOG_BUILTINS, ColumnCatalog, JSON_ROOTS } from './column-catalog';
import type { MetricSummaryValues } from './column-catalog';

/**
 * The persisted column catalog of a source (see column-catalog-migration.ts), brought up to
 * date with the runs changed since it was written: each changed run is taken out as it was
 * then and counted again as it is now. A missing or unreadable catalog is built from all
 * runs; so is one where a removal leaves a column's distinct count unknown.
 */
export function catalogOf(
  db: Database,
  source: string,
  /** Tests only: runs between the snapshot build and the write transaction. */
  afterSnapshot?: () => void,
  /**
   * A catalog built off the main thread's way (background-catalog-build.ts) since
   * markCatalogBuilding: used in place of the marker, with the changes logged since.
   */
  builtSinceMarker?: ColumnCatalog,
): ColumnCatalog {
  try {
    // The first build reads every run (seconds at 100k runs). Done in a read snapshot, other
    // processes (a CLI sync) keep writing meanwhile; the write lock is taken only to store it,
    // and only if no run of the source changed since the snapshot.
    const prebuilt = hasCatalog(db, source) ? null : buildInSnapshot(db, source);
    afterSnapshot?.();
    return db
      .transaction(() => upToDate(db, source, prebuilt, builtSinceMarker ?? null))
      .immediate();
  } catch (error) {
    loaded.get(db)?.delete(source);
    // Another process holds the write lock past the busy timeout: answer without keeping it.
    if (error instanceof Error && 'code' in error && error.code === 'SQLITE_BUSY') {
      return buildCatalog(db, source);
    }
    throw error;
  }
}

/** The catalog of every run of a source, from scratch. */
export function buildCatalog(db: Database, source: string): ColumnCatalog {
  const catalog = ColumnCatalog.building();
  for (const name of CATALOG_BUILTINS) catalog.entry([name], 'builtin', name);
  const rows = db
    .prepare(
      `${FACTS} FROM (SELECT 1 AS existed, ${catalogSnapshotSql('r.source', 'r.run_id')}
         FROM runs r WHERE r.source = ?) s`,
    )
    .raw()
    .all(source) as unknown[][];
  countFacts(catalog, rows, 1);
  catalog.finishBuild();
  return catalog;
}

interface Prebuilt {
  version: number;
  catalog: ColumnCatalog;
}

function hasCatalog(db: Database, source: string): boolean {
  return db.prepare('SELECT 1 FROM column_catalogs WHERE source = ?').get(source) !== undefined;
}

/** The body of a catalog row whose build is under way: no catalog yet, but changes are logged. */
export const BUILDING_MARKER = 'building';

/**
 * Whether the source has a catalog to read (not one being built, not none): then listColumns
 * only replays the changes logged since it was written.
 */
export function hasReadyCatalog(db: Database, source: string): boolean {
  const body = db
    .prepare('SELECT body FROM column_catalogs WHERE source = ?')
    .pluck()
    .get(source) as string | undefined;
  return body !== undefined && body !== BUILDING_MARKER;
}

/**
 * Starts logging the source's changes for a catalog about to be built from a snapshot
 * (the triggers log only for sources with a catalog row) and returns the source's version,
 * which the build's snapshot must show too: a write in between would be counted twice.
 * Null: the source has a catalog (or one being built) already, or is gone.
 */
export function markCatalogBuilding(db: Database, source: string): number | null {
  return db
    .transaction(() => {
      if (hasCatalog(db, source)) return null;
      if (db.prepare('SELECT 1 FROM sources WHERE name = ?').get(source) === undefined) return null;
      db.prepare('INSERT INTO column_catalogs (source, generation, body) VALUES (?, 0, ?)').run(
        source,
        BUILDING_MARKER,
      );
      return sourceVersion(db, source);
    })
    .immediate();
}

/** Removes a marker left by a build that gave up, so that a later one can start. */
export function clearCatalogMarker(db: Database, source: string): void {
  db.prepare('DELETE FROM column_catalogs WHERE source = ? AND body = ?').run(
    source,
    BUILDING_MARKER,
  );
  db.prepare('DELETE FROM column_catalog_changes WHERE source = ?').run(source);
}

export function sourceVersion(db: Database, source: string): number {
  const version = db
    .prepare('SELECT version FROM run_versions WHERE source = ?')
    .pluck()
    .get(source);
  return typeof version === 'number' ? version : 0;
}

function buildInSnapshot(db: Database, source: string): Prebuilt {
  return db.transaction(() => ({
    version: sourceVersion(db, source),
    catalog: buildCatalog(db, source),
  }))();
}

/** Catalogs parsed in this process, valid while their generation is the stored one. */
const loaded = new WeakMap<Database, Map<string, { generation: number; catalog: ColumnCatalog }>>();

function upToDate(
  db: Database,
  source: string,
  prebuilt: Prebuilt | null,
  builtSinceMarker: ColumnCatalog | null,
): ColumnCatalog {
  let memory = loaded.get(db);
  if (memory === undefined) {
    memory = new Map();
    loaded.set(db, memory);
  }
  const stored = db
    .prepare('SELECT generation, body FROM column_catalogs WHERE source = ?')
    .get(source) as { generation: number; body: string } | undefined;
  const generation = (stored?.generation ?? 0) + 1;
  let catalog: ColumnCatalog | null = null;
  if (stored !== undefined && stored.body === BUILDING_MARKER) {
    catalog = builtSinceMarker;
  } else if (stored !== undefined) {
    const kept = memory.get(source);
    catalog =
      kept !== undefined && kept.generation === stored.generation
        ? kept.catalog
        : ColumnCatalog.fromJson(stored.body);
  }
  const changed =
    catalog === null
      ? 0
      : (db
          .prepare('SELECT count(*) FROM column_catalog_changes WHERE source = ?')
          .pluck()
          .get(source) as number);
  // A catalog just built since the marker is stored even when nothing changed meanwhile.
  if (catalog !== null && changed === 0 && stored?.body !== BUILDING_MARKER) {
    memory.set(source, { generation: stored?.generation ?? 0, catalog });
    return catalog;
  }
  const runs = db.prepare('SELECT count(*) FROM runs WHERE source = ?').pluck().get(source);
  if (catalog !== null && changed * 2 <= (runs as number)) {
    // Taken out as they were when last counted, then counted as they are now.
    const before = db
      .prepare(
        `${FACTS} FROM (SELECT existed, ${SNAPSHOT} FROM column_catalog_changes
           WHERE source = ?) s`,
      )
      .raw()
      .all(source) as unknown[][];
    const now = db
      .prepare(
        `${FACTS} FROM (SELECT r.run_id IS NOT NULL AS existed,
             ${catalogSnapshotSql('d.source', 'd.run_id')}
           FROM column_catalog_changes d
           LEFT JOIN runs r ON r.source = d.source AND r.run_id = d.run_id
           WHERE d.source = ?) s`,
      )
      .raw()
      .all(source) as unknown[][];
    countFacts(catalog, before, -1);
    countFacts(catalog, now, 1);
    catalog.prune();
    if (catalog.needsRecount) catalog = null;
  } else catalog = null;
  // Without a stored catalog nothing was logged: the snapshot is current if no write moved
  // the source's version since.
  const current =
    stored === undefined && prebuilt !== null && prebuilt.version === sourceVersion(db, source);
  catalog ??= current ? prebuilt.catalog : buildCatalog(db, source);
  const sourceExists = db.prepare('SELECT 1 FROM sources WHERE name = ?').get(source);
  if (sourceExists !== undefined) {
    db.prepare(
      `INSERT INTO column_catalogs (source, generation, body) VALUES (?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET generation = excluded.generation, body = excluded.body`,
    ).run(source, generation, catalog.toJson());
    memory.set(source, { generation, catalog });
  }
  db.prepare('DELETE FROM column_catalog_changes WHERE source = ?').run(source);
  return catalog;
}

const SNAPSHOT =
  'config, info, host_info, meta, experiment_info, result, tags, artifact_count, metric_values';

/**
 * A run's facts from its snapshot `s`: the JSON roots as text, then the built-ins as their
 * column loaders read them (SQLite's `->` over JSONB, as run_json holds them).
 */
const FACTS = `SELECT s.existed, ${JSON_ROOTS.map(([, column]) => `s.${column}`).join(', ')},
  CASE WHEN json_valid(s.result) THEN jsonb(s.result) -> '$' END,
  CASE WHEN json_valid(s.meta) THEN jsonb(s.meta) -> '$."comment"' END,
  CASE WHEN json_valid(s.config) THEN jsonb(s.config) -> '$."tags"' END,
  s.tags, s.artifact_count, s.metric_values`;

const ROOTS = JSON_ROOTS.length;

/**
 * Counts the next `limit` runs of `source` after run id `after` (in run id order) into a
 * catalog being built; returns the last run id counted, or null when there were none.
 */
export function countRunSlice(
  db: Database,
  catalog: ColumnCatalog,
  source: string,
  after: string,
  limit: number,
): string | null {
  const rows = db
    .prepare(
      `${FACTS}, s.run_id FROM (SELECT 1 AS existed, r.run_id AS run_id,
         ${catalogSnapshotSql('r.source', 'r.run_id')}
         FROM runs r WHERE r.source = ? AND r.run_id > ? ORDER BY r.run_id LIMIT ?) s`,
    )
    .raw()
    .all(source, after, limit) as unknown[][];
  if (rows.length === 0) return null;
  countFacts(catalog, rows, 1);
  return rows[rows.length - 1]![rows[0]!.length - 1] as string;
}

/** Counts (weight 1) or takes out (-1) runs given as FACTS rows. */
function countFacts(catalog: ColumnCatalog, rows: unknown[][], weight: number): void {
  const live = rows.filter((row) => row[0] === 1);
  // Identical documents (info, meta, host are often the same for many runs) are parsed once.
  JSON_ROOTS.forEach(([group], k) => {
    const texts = new Map<string, number>();
    for (const row of live) {
      const text = row[1 + k];
      if (typeof text === 'string') texts.set(text, (texts.get(text) ?? 0) + 1);
    }
    for (const [text, runs] of texts) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue;
      }
      catalog.addDocument(group, value, runs * weight);
    }
  });
  const n = live.length;
  const columns = {
    result: new Column(n),
    tags: new Column(n),
    comment: new Column(n),
    artifacts: new Column(n),
    metrics: new Column(n),
  };
  const unions = new Map<string, { list: string[]; json: string }>();
  live.forEach((row, i) => {
    const [resultJson, commentJson, configTags, storedTags, artifacts, metricValues] = row.slice(
      1 + ROOTS,
    );
    if (typeof resultJson === 'string') {
      columns.result.setJson(i, resultJson);
      // A run without a result stores null: that is "no result", not a null value.
      if (columns.result.kinds[i] === Kind.Null) columns.result.kinds[i] = Kind.Missing;
    }
    if (typeof commentJson === 'string') columns.comment.setJson(i, commentJson);
    // omniboard.tags (else config.tags, as the readers store them) plus config.tags.
    const stored = typeof storedTags === 'string' && storedTags.startsWith('[') ? storedTags : '';
    const fromConfig =
      typeof configTags === 'string' && configTags.startsWith('[') ? configTags : '';
    const key = `${stored}\u0000${fromConfig}`;
    let union = unions.get(key);
    if (union === undefined) {
      const tags = new Set<string>();
      for (const json of [stored, fromConfig]) {
        if (json === '') continue;
        for (const tag of JSON.parse(json) as unknown[]) if (typeof tag === 'string') tags.add(tag);
      }
      const list = [...tags];
      union = { list, json: JSON.stringify(list) };
      unions.set(key, union);
    }
    columns.tags.setList(i, union.list, union.json);
    columns.artifacts.setNumber(i, Number(artifacts));
    columns.metrics.setNumber(i, countMetricValues(catalog, metricValues, weight));
  });
  for (const name of CATALOG_BUILTINS) {
    const entry = catalog.entry([name], 'builtin', name);
    const column = columns[name];
    for (let i = 0; i < n; i++) catalog.countColumnRow(entry, column, i, weight);
  }
}

/** A [SQLite type, value] pair (see catalogSnapshotSql) as the value the catalog counts. */
function typedValue([type, value]: [string, unknown]): number | string | null {
  switch (type) {
    case 'real':
      return Number(value);
    case 'integer':
      return value as number;
    case 'null':
      return null;
    default:
      return `${type}:${String(value)}`;
  }
}

/** One summary object for every metric counted: addMetric only reads it. */
const summaries: MetricSummaryValues = { last: null, min: null, max: null, mean: null, count: 0 };

/**
 * Counts a run's [name, last, min, max, mean, count] rows (see catalogSnapshotSql); returns how
 * many metrics it has. No object per metric: a catalog build counts every run's metrics, and
 * those objects were the largest part of its garbage (~280 MB at 100k runs).
 */
function countMetricValues(catalog: ColumnCatalog, json: unknown, weight: number): number {
  if (typeof json !== 'string') return 0;
  type Typed = [string, unknown];
  const rows = JSON.parse(json) as [string, Typed, Typed, Typed, Typed, number][];
  for (const [name, last, min, max, mean, count] of rows) {
    summaries.last = typedValue(last);
    summaries.min = typedValue(min);
    summaries.max = typedValue(max);
    summaries.mean = typedValue(mean);
    summaries.count = count;
    catalog.addMetric(name, summaries, weight);
  }
  return rows.length;
}
