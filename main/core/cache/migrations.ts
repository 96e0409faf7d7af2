import type { Database } from 'better-sqlite3';
import { createColumnCatalog } from './column-catalog-migration';
import { createMetricChunkIndex } from './metric-chunk-index-migration';
import { addMetricMeans } from './metric-means';
import { addMetricNonFinite } from './metric-non-finite';
import { catalogEverySummary } from './catalog-summaries-migration';
import { createMetricTails, dropTailInsertTrigger } from './metric-tails';
import { createRunTableSchema } from './run-table-migration';
import { createStorageProfiles } from './storage-profile-store';
import { createRunNotifications } from './run-notification-store';
import { createTrustedFolders } from './trusted-folder-store';
import { createWritesTables } from '../writes/writes-migration';
import { createMetricChunkLevels } from './metric-chunk-levels';
import { createStoredColumnOrders } from './stored-column-orders-migration';
import { createMetricChunkBlocks } from './metric-chunk-blocks';

/**
 * Schema history of the cache, oldest first. The database's PRAGMA user_version is the number
 * of migrations applied; never edit a shipped migration, append a new one.
 */
export const migrations: ReadonlyArray<(db: Database) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE sources (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        location TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_sync_at TEXT,
        last_error TEXT
      );

      CREATE TABLE runs (
        source TEXT NOT NULL REFERENCES sources(name) ON DELETE CASCADE,
        run_id TEXT NOT NULL,
        dir TEXT,
        status TEXT NOT NULL,
        experiment TEXT,
        command TEXT,
        start_time TEXT,
        stop_time TEXT,
        heartbeat TEXT,
        hostname TEXT,
        beat_interval REAL NOT NULL,
        config TEXT NOT NULL,
        result TEXT NOT NULL,
        comment TEXT,
        tags TEXT NOT NULL,
        info TEXT NOT NULL,
        host_info TEXT NOT NULL,
        experiment_info TEXT NOT NULL,
        meta TEXT NOT NULL,
        fail_trace TEXT,
        source_files TEXT NOT NULL,
        resources TEXT NOT NULL,
        unreadable TEXT,
        warnings TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        captured_out BLOB NOT NULL,
        captured_out_bytes INTEGER NOT NULL,
        captured_out_truncated INTEGER NOT NULL,
        PRIMARY KEY (source, run_id)
      );
      CREATE INDEX runs_by_start_time ON runs (source, start_time);

      -- first/last/min/max have no declared type so that "NaN" text is stored as is.
      CREATE TABLE metrics (
        source TEXT NOT NULL,
        run_id TEXT NOT NULL,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        count INTEGER NOT NULL,
        first_value,
        last_value,
        min_value,
        max_value,
        PRIMARY KEY (source, run_id, name),
        FOREIGN KEY (source, run_id) REFERENCES runs (source, run_id) ON DELETE CASCADE
      );

      CREATE TABLE metric_chunks (
        source TEXT NOT NULL,
        run_id TEXT NOT NULL,
        name TEXT NOT NULL,
        chunk_no INTEGER NOT NULL,
        point_count INTEGER NOT NULL,
        steps BLOB NOT NULL,
        "values" BLOB NOT NULL,
        timestamps BLOB NOT NULL,
        PRIMARY KEY (source, run_id, name, chunk_no),
        FOREIGN KEY (source, run_id, name) REFERENCES metrics (source, run_id, name)
          ON DELETE CASCADE
      );

      CREATE TABLE artifacts (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        run_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        abs_path TEXT,
        size INTEGER,
        content_type TEXT,
        FOREIGN KEY (source, run_id) REFERENCES runs (source, run_id) ON DELETE CASCADE
      );
      CREATE INDEX artifacts_by_run ON artifacts (source, run_id, position);
    `);
  },
  // 2: MongoDB connection profiles. The URI never holds a password: the secret store keeps it
  // under `mongo-profile:<id>`.
  (db) => {
    db.exec(`
      CREATE TABLE connection_profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        uri TEXT NOT NULL,
        allow_writes INTEGER NOT NULL DEFAULT 0,
        remember_password INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
    `);
  },
  // 3: MongoDB sources. A mongo source names its profile, database and collection prefix; a
  // run keeps its `_id` as canonical Extended JSON (`origin`) and an artifact its GridFS file
  // (`locator`, JSON {bucket, id}), so that content can be streamed from the live database.
  (db) => {
    db.exec(`
      ALTER TABLE sources ADD COLUMN profile_id TEXT;
      ALTER TABLE sources ADD COLUMN database TEXT;
      ALTER TABLE sources ADD COLUMN prefix TEXT;
      ALTER TABLE runs ADD COLUMN origin TEXT;
      ALTER TABLE artifacts ADD COLUMN locator TEXT;
    `);
  },
  // 4: user settings (key -> JSON value) and the index of the artifact content cache: which
  // artifact contents are kept under <dataDir>/artifacts/<id>, how big, when last read, and
  // which GridFS file they were copied from (a re-uploaded artifact is a different file).
  (db) => {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE artifact_cache (
        id TEXT PRIMARY KEY,
        locator TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        last_access INTEGER NOT NULL
      );
      CREATE INDEX artifact_cache_by_access ON artifact_cache (last_access);
    `);
  },
  // 5 (issue 6): source versions for the run table's in-memory columns, views, Omniboard columns.
  createRunTableSchema,
  // 6 (issue 5): the step range and overview of every metric chunk, for zoomable plots.
  createMetricChunkIndex,
  // 7: the mean and last10 mean of every metric, so the run table's first use reads no points.
  addMetricMeans,
  // 8 (issue 5): per-source storage profiles for Altar raw data (secrets live in the secret store).
  createStorageProfiles,
  // 9 (issue 6): the last 100 points of every metric, kept by triggers, for any lastN column.
  createMetricTails,
  // 10 (issue 6): the column picker's catalog per source, kept up to date from a change log.
  createColumnCatalog,
  // 11: the source list's count of unreadable runs without reading every run row (the UI asks
  // for the source list after every change; at 100k runs the scan took ~250 ms).
  (db) => db.exec('CREATE INDEX runs_unreadable ON runs (source) WHERE unreadable IS NOT NULL'),
  // 12 (issue 10): how many NaN/±Infinity points each metric has, for plots and summaries.
  addMetricNonFinite,
  // 13 (issue 11): folders a source's runs may name files in, besides the source's own folder.
  createTrustedFolders,
  // 14 (issue 10): the column catalog counts distinct values of every metric summary shown.
  catalogEverySummary,
  // 15 (issue 12): sources whose finished runs the desktop app announces.
  createRunNotifications,
  // (issue 15): sources whose writes are on, and tag/note edits waiting for their server.
  createWritesTables,
  // 17 (issue 13): the run table's sort keys, so the first sorts after a restart build none.
  createStoredColumnOrders,
  // 18 (issue 13): a 1/8 level of every long metric chunk, so a zoom reads no raw chunk.
  createMetricChunkLevels,
  // 19 (issue 13): raw points of long strided chunks in small blocks, so a zoom's cut buckets
  // read a few KB instead of the chunk's 1 MB of values and timestamps.
  createMetricChunkBlocks,
  // 20 (issue 13): a metric chunk of at most 1024 points keeps an empty overview in
  // metric_chunk_index (the chunk is its own overview; chunk-digest.ts). No table changes and
  // rows written before stay valid; the version tells an older app, whose reader would find
  // no points in such an overview, that this cache is newer than it (it then starts afresh).
  () => undefined,
  // 21 (issue 13): the writers of metric chunks write the metric's tail themselves; the tails'
  // insert trigger is gone (it made every chunk's INSERT copy its pages to a statement journal).
  dropTailInsertTrigger,
];

export function schemaVersion(db: Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Applies the missing migrations, each with its version bump in one transaction. */
export function migrate(db: Database): void {
  for (let version = schemaVersion(db); version < migrations.length; version++) {
    const migration = migrations[version];
    if (migration === undefined) break;
    db.transaction(() => {
      migration(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
