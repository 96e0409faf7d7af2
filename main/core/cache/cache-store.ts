import type { Database, Statement } from 'better-sqlite3';
import { inflateRawSync } from 'node:zlib';
import type { ParsedRun } from '../folder/parsed-run';
import type {
  ArtifactRow,
  CachedOutput,
  CapturedOutputRow,
  MetricPoints,
  MetricRow,
  RunDetailRow,
  RunRow,
  SourceRow,
} from './cache-rows';
import { METRIC_CHUNK_POINTS, blobToFloat64, float64ToBlob } from './float64-blob';
import { metricMeanColumns } from './metric-means';
import { summarizeMetric } from './metric-summary';
import { writeMetricTail } from './metric-tails';
import { writeChunkIndex } from './metric-range-store';
import { dropCatalog } from './column-catalog-migration';
import { closeCacheDatabase, openCacheDatabase } from './open-database';
import { artifactRowValues, runColumnValues } from './run-columns';
import type { RunEntry } from './run-columns';
import { toSqlNumber } from './sql-number';

export interface NewSource {
  name: string;
  kind: 'folder' | 'mongo';
  location: string;
  createdAt: string;
  /** Mongo sources: the connection profile, database and collection prefix (null: `runs`). */
  mongo?: { profileId: string; database: string; prefix: string | null };
}

export type { RunEntry } from './run-columns';

export interface RunPage {
  rows: RunRow[];
  metrics: MetricRow[];
  artifacts: ArtifactRow[];
  total: number;
}

export interface WriteRunResult {
  replaced: boolean;
  points: number;
}

const SOURCE_COLUMNS = `
  s.name, s.kind, s.location, s.created_at, s.last_sync_at, s.last_error,
  s.profile_id, s.database, s.prefix,
  (SELECT COUNT(*) FROM runs r WHERE r.source = s.name) AS run_count,
  (SELECT COUNT(*) FROM runs r WHERE r.source = s.name AND r.unreadable IS NOT NULL)
    AS unreadable_count`;

const RUN_COLUMNS = `
  source, run_id, dir, status, experiment, command, start_time, stop_time, heartbeat, hostname,
  beat_interval, config, result, comment, tags, unreadable`;

// Newest first; runs without a start time (queued, unreadable) after them, numeric ids by value.
const RUN_ORDER = `
  source,
  start_time DESC,
  CASE WHEN run_id NOT GLOB '*[^0-9]*' AND length(run_id) < 16
    THEN CAST(run_id AS INTEGER) END DESC,
  run_id DESC`;

const PAGE = `
  WITH page AS (
    SELECT source, run_id FROM runs
    WHERE @source IS NULL OR source = @source
    ORDER BY ${RUN_ORDER}
    LIMIT @limit OFFSET @offset
  )`;

const METRIC_COLUMNS = `
  m.source, m.run_id, m.name, m.count, m.first_value, m.last_value, m.min_value, m.max_value,
  m.non_finite`;

const ARTIFACT_COLUMNS = `
  a.id, a.source, a.run_id, a.name, a.abs_path, a.size, a.content_type, a.locator`;

/** The SQLite cache: every statement the core runs against it lives in this folder. */
export class CacheStore {
  readonly recoveredFrom: string | null;
  private readonly db: Database;
  private readonly syncing = new Set<string>();
  private readonly statements = new Map<string, Statement>();
  private closed = false;

  private constructor(
    db: Database,
    recoveredFrom: string | null,
    private readonly file: string,
  ) {
    this.db = db;
    this.recoveredFrom = recoveredFrom;
  }

  static open(file: string, now: () => number = Date.now): CacheStore {
    const { db, recoveredFrom } = openCacheDatabase(file, now);
    return new CacheStore(db, recoveredFrom, file);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    closeCacheDatabase(this.db, this.file);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** For the stores of other tables, each kept in its own file (connection profiles). */
  get database(): Database {
    return this.db;
  }

  // --- sync bookkeeping (in memory: one process owns the cache file's writes) ---

  /** Marks the source as syncing; false when a sync of it is already running. */
  tryBeginSync(source: string): boolean {
    if (this.syncing.has(source)) return false;
    this.syncing.add(source);
    return true;
  }

  endSync(source: string): void {
    this.syncing.delete(source);
  }

  isSyncing(source: string): boolean {
    return this.syncing.has(source);
  }

  // --- sources ---

  listSources(): SourceRow[] {
    return this.prepare(
      `SELECT ${SOURCE_COLUMNS} FROM sources s ORDER BY s.name`,
    ).all() as SourceRow[];
  }

  getSource(name: string): SourceRow | null {
    const row = this.prepare(`SELECT ${SOURCE_COLUMNS} FROM sources s WHERE s.name = ?`).get(name);
    return (row as SourceRow | undefined) ?? null;
  }

  addSource(source: NewSource): void {
    this.prepare(
      `INSERT INTO sources (name, kind, location, created_at, profile_id, database, prefix)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      source.name,
      source.kind,
      source.location,
      source.createdAt,
      source.mongo?.profileId ?? null,
      source.mongo?.database ?? null,
      source.mongo?.prefix ?? null,
    );
  }

  /** Removes the source and, by cascade, every cached run of it. */
  removeSource(name: string): boolean {
    return this.db.transaction(() => {
      // First, so that the cascade logs no change for the column catalog.
      dropCatalog(this.db, name);
      return this.prepare('DELETE FROM sources WHERE name = ?').run(name).changes > 0;
    })();
  }

  recordSyncSuccess(name: string, at: string): void {
    this.prepare('UPDATE sources SET last_sync_at = ?, last_error = NULL WHERE name = ?').run(
      at,
      name,
    );
  }

  recordSyncError(name: string, message: string): void {
    this.prepare('UPDATE sources SET last_error = ? WHERE name = ?').run(message, name);
  }

  // --- runs: writing ---

  runFingerprints(source: string): Map<string, string> {
    const rows = this.prepare('SELECT run_id, fingerprint FROM runs WHERE source = ?').all(
      source,
    ) as { run_id: string; fingerprint: string }[];
    return new Map(rows.map((row) => [row.run_id, row.fingerprint]));
  }

  /**
   * Replaces everything cached about one run in a single transaction, so a crash leaves the
   * old run or the new one, never a mix. `beforeCommit` runs inside the transaction (tests
   * use it to fail half-way).
   */
  writeRun(
    source: string,
    entry: RunEntry,
    run: ParsedRun,
    beforeCommit?: () => void,
  ): WriteRunResult {
    return this.db.transaction(() => this.replaceRun(source, entry, run, beforeCommit))();
  }

  /**
   * Replaces several runs in one transaction (a sync's group commit): all of them or, if any
   * write throws, none. No savepoint per run: SQLite would copy every page a run changes that
   * an earlier run of the batch had changed into its statement journal (a 2k-run sync wrote
   * 40 % more bytes so). `beforeCommit` runs after each run's rows.
   */
  writeRuns(
    source: string,
    runs: readonly { entry: RunEntry; run: ParsedRun }[],
    beforeCommit?: (runId: string) => void,
  ): WriteRunResult[] {
    return this.db.transaction(() =>
      runs.map(({ entry, run }) =>
        this.replaceRun(source, entry, run, () => beforeCommit?.(entry.id)),
      ),
    )();
  }

  private replaceRun(
    source: string,
    entry: RunEntry,
    run: ParsedRun,
    beforeCommit?: () => void,
  ): WriteRunResult {
    const replaced =
      this.prepare('DELETE FROM runs WHERE source = ? AND run_id = ?').run(source, entry.id)
        .changes > 0;
    this.insertRun(source, entry, run);
    const points = this.insertMetrics(source, entry.id, run);
    this.insertArtifacts(source, entry.id, run);
    beforeCommit?.();
    return { replaced, points };
  }

  deleteRun(source: string, runId: string): boolean {
    return (
      this.prepare('DELETE FROM runs WHERE source = ? AND run_id = ?').run(source, runId).changes >
      0
    );
  }

  private insertRun(source: string, entry: RunEntry, run: ParsedRun): void {
    this.prepare(
      `INSERT INTO runs (
        source, run_id, dir, status, experiment, command, start_time, stop_time, heartbeat,
        hostname, beat_interval, config, result, comment, tags, info, host_info,
        experiment_info, meta, fail_trace, source_files, resources, unreadable, warnings,
        fingerprint, captured_out, captured_out_bytes, captured_out_truncated, origin
      ) VALUES (
        @source, @run_id, @dir, @status, @experiment, @command, @start_time, @stop_time,
        @heartbeat, @hostname, @beat_interval, @config, @result, @comment, @tags, @info,
        @host_info, @experiment_info, @meta, @fail_trace, @source_files, @resources,
        @unreadable, @warnings, @fingerprint, @captured_out, @captured_out_bytes,
        @captured_out_truncated, @origin
      )`,
    ).run(runColumnValues(source, entry, run));
  }

  private insertMetrics(source: string, runId: string, run: ParsedRun): number {
    const insertMetric = this.prepare(
      `INSERT OR IGNORE INTO metrics (
        source, run_id, name, position, count, first_value, last_value, min_value, max_value,
        mean_value, last10_value, non_finite
      ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertChunk = this.prepare(
      `INSERT INTO metric_chunks (
        source, run_id, name, chunk_no, point_count, steps, "values", timestamps
      ) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let points = 0;
    run.metrics.forEach((metric, position) => {
      const count = Math.min(metric.steps.length, metric.values.length, metric.timestamps.length);
      const values = metric.values.subarray(0, count);
      const summary = summarizeMetric(values);
      const inserted = insertMetric.run(
        source,
        runId,
        metric.name,
        position,
        count,
        toSqlNumber(summary.first),
        toSqlNumber(summary.last),
        toSqlNumber(summary.min),
        toSqlNumber(summary.max),
        ...metricMeanColumns(values),
        summary.nonFinite,
      );
      if (inserted.changes === 0) return; // a repeated name: the first one wins
      points += count;
      for (let start = 0, chunk = 0; start < count; start += METRIC_CHUNK_POINTS, chunk++) {
        const end = Math.min(count, start + METRIC_CHUNK_POINTS);
        insertChunk.run(
          source,
          runId,
          metric.name,
          chunk,
          end - start,
          float64ToBlob(metric.steps.subarray(start, end)),
          float64ToBlob(values.subarray(start, end)),
          float64ToBlob(metric.timestamps.subarray(start, end)),
        );
        writeChunkIndex(this.db, [source, runId, metric.name], chunk, {
          steps: metric.steps.subarray(start, end),
          values: values.subarray(start, end),
          timestamps: metric.timestamps.subarray(start, end),
        });
      }
      writeMetricTail(this.db, [source, runId, metric.name], values);
    });
    return points;
  }

  private insertArtifacts(source: string, runId: string, run: ParsedRun): void {
    const insert = this.prepare(
      `INSERT OR IGNORE INTO artifacts (
        id, source, run_id, position, name, abs_path, size, content_type, locator
      ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const row of artifactRowValues(source, runId, run)) {
      insert.run(
        row.id,
        row.source,
        row.run_id,
        row.position,
        row.name,
        row.abs_path,
        row.size,
        row.content_type,
        row.locator,
      );
    }
  }

  // --- runs: reading ---

  countRuns(source: string | null): number {
    const row = this.prepare(
      'SELECT COUNT(*) AS n FROM runs WHERE @source IS NULL OR source = @source',
    ).get({ source }) as { n: number };
    return row.n;
  }

  /** One page of runs in display order, with the metric summaries and artifacts of each. */
  listRuns(source: string | null, limit: number | null, offset: number): RunPage {
    const params = { source, limit: limit ?? -1, offset };
    const rows = this.prepare(
      `${PAGE} SELECT ${RUN_COLUMNS} FROM runs JOIN page USING (source, run_id) ORDER BY ${RUN_ORDER}`,
    ).all(params) as RunRow[];
    const metrics = this.prepare(
      `${PAGE} SELECT ${METRIC_COLUMNS} FROM metrics m JOIN page USING (source, run_id)
       ORDER BY m.source, m.run_id, m.position`,
    ).all(params) as MetricRow[];
    const artifacts = this.prepare(
      `${PAGE} SELECT ${ARTIFACT_COLUMNS} FROM artifacts a JOIN page USING (source, run_id)
       ORDER BY a.source, a.run_id, a.position`,
    ).all(params) as ArtifactRow[];
    return { rows, metrics, artifacts, total: this.countRuns(source) };
  }

  getRun(source: string, runId: string): RunDetailRow | null {
    const row = this.prepare(
      `SELECT ${RUN_COLUMNS}, info, host_info, experiment_info, meta, fail_trace, source_files,
        resources, warnings, captured_out_bytes, origin
       FROM runs WHERE source = ? AND run_id = ?`,
    ).get(source, runId);
    return (row as RunDetailRow | undefined) ?? null;
  }

  metricsOfRun(source: string, runId: string): MetricRow[] {
    return this.prepare(
      `SELECT ${METRIC_COLUMNS} FROM metrics m WHERE m.source = ? AND m.run_id = ?
       ORDER BY m.position`,
    ).all(source, runId) as MetricRow[];
  }

  artifactsOfRun(source: string, runId: string): ArtifactRow[] {
    return this.prepare(
      `SELECT ${ARTIFACT_COLUMNS} FROM artifacts a WHERE a.source = ? AND a.run_id = ?
       ORDER BY a.position`,
    ).all(source, runId) as ArtifactRow[];
  }

  /** All points of one metric, chunks concatenated; null when the run has no such metric. */
  getMetricPoints(source: string, runId: string, name: string): MetricPoints | null {
    const metric = this.prepare(
      'SELECT count FROM metrics WHERE source = ? AND run_id = ? AND name = ?',
    ).get(source, runId, name) as { count: number } | undefined;
    if (metric === undefined) return null;
    const chunks = this.prepare(
      `SELECT point_count, steps, "values", timestamps FROM metric_chunks
       WHERE source = ? AND run_id = ? AND name = ? ORDER BY chunk_no`,
    ).all(source, runId, name) as {
      point_count: number;
      steps: Buffer;
      values: Buffer;
      timestamps: Buffer;
    }[];
    const total = chunks.reduce((sum, chunk) => sum + chunk.point_count, 0);
    const out: MetricPoints = {
      count: total,
      steps: new Float64Array(total),
      values: new Float64Array(total),
      timestamps: new Float64Array(total),
    };
    let at = 0;
    for (const chunk of chunks) {
      out.steps.set(blobToFloat64(chunk.steps).subarray(0, chunk.point_count), at);
      out.values.set(blobToFloat64(chunk.values).subarray(0, chunk.point_count), at);
      out.timestamps.set(blobToFloat64(chunk.timestamps).subarray(0, chunk.point_count), at);
      at += chunk.point_count;
    }
    return out;
  }

  getCapturedOutput(source: string, runId: string): CachedOutput | null {
    const row = this.prepare(
      `SELECT dir, captured_out, captured_out_bytes, captured_out_truncated FROM runs
       WHERE source = ? AND run_id = ?`,
    ).get(source, runId) as CapturedOutputRow | undefined;
    if (row === undefined) return null;
    return {
      dir: row.dir,
      text: inflateRawSync(row.captured_out).toString('utf8'),
      totalBytes: row.captured_out_bytes,
      truncated: row.captured_out_truncated !== 0,
    };
  }

  getArtifact(id: string): ArtifactRow | null {
    const row = this.prepare(`SELECT ${ARTIFACT_COLUMNS} FROM artifacts a WHERE a.id = ?`).get(id);
    return (row as ArtifactRow | undefined) ?? null;
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
