import type { Database, Statement } from 'better-sqlite3';
import { inflateRawSync } from 'node:zlib';
import type { ParsedMetric, ParsedRun } from '../folder/parsed-run';
import type { CacheStore } from './cache-store';
import { METRIC_CHUNK_POINTS, blobToFloat64, float64ToBlob } from './float64-blob';
import { metricMeanColumns } from './metric-means';
import { summarizeMetric } from './metric-summary';
import { writeChunkIndex } from './metric-range-store';
import { writeMetricTail } from './metric-tails';
import { artifactRowValues, runColumnValues } from './run-columns';
import type { RunColumns, RunEntry } from './run-columns';
import { toSqlNumber } from './sql-number';

/** A cached RUNNING run as the live refresh needs it: where it is and what output it holds. */
export interface LiveRunRow {
  run_id: string;
  origin: string | null;
  heartbeat: string | null;
  start_time: string | null;
  captured_out_bytes: number;
}

export interface LiveUpdateResult {
  /** The run was cached (else nothing was written). */
  found: boolean;
  /** Something the user can see changed (a field, the output, a point, an artifact). */
  changed: boolean;
  /** Metric points written (appended or rewritten). */
  points: number;
}

/** Columns that change while a run lives; the others are compared too, but rarely differ. */
const UPDATABLE = [
  'status',
  'experiment',
  'command',
  'start_time',
  'stop_time',
  'heartbeat',
  'hostname',
  'beat_interval',
  'config',
  'result',
  'comment',
  'tags',
  'info',
  'host_info',
  'experiment_info',
  'meta',
  'fail_trace',
  'source_files',
  'resources',
  'unreadable',
  'warnings',
  'fingerprint',
  'captured_out_bytes',
  'captured_out_truncated',
  'origin',
] as const satisfies readonly (keyof RunColumns)[];

type Key = readonly [source: string, runId: string, name: string];

/**
 * Writes of the live refresh: a running run changes a little every few seconds, so only what
 * changed is written (a field, the output, the new metric points appended to the last chunk),
 * in one transaction per run like every other write of the cache.
 */
export class LiveRunStore {
  private readonly db: Database;
  private readonly statements = new Map<string, Statement>();

  constructor(store: CacheStore) {
    this.db = store.database;
  }

  /** The source's cached runs whose status is RUNNING. */
  runningRuns(source: string): LiveRunRow[] {
    return this.prepare(
      `SELECT run_id, origin, heartbeat, start_time, captured_out_bytes FROM runs
       WHERE source = ? AND status = 'RUNNING'`,
    ).all(source) as LiveRunRow[];
  }

  /** The cached output text of a run (decompressed), or null when the run is not cached. */
  outputText(source: string, runId: string): string | null {
    const row = this.prepare('SELECT captured_out FROM runs WHERE source = ? AND run_id = ?').get(
      source,
      runId,
    ) as { captured_out: Buffer } | undefined;
    return row === undefined ? null : inflateRawSync(row.captured_out).toString('utf8');
  }

  /**
   * Brings one cached run to `run`, writing only the differences. Returns changed=false (and
   * writes nothing) when the run is not cached: a new run is the sync's job.
   */
  updateRun(
    source: string,
    entry: RunEntry,
    run: ParsedRun,
    beforeCommit?: () => void,
  ): LiveUpdateResult {
    const write = this.db.transaction((): LiveUpdateResult => {
      const current = this.prepare(
        `SELECT ${UPDATABLE.join(', ')}, captured_out FROM runs WHERE source = ? AND run_id = ?`,
      ).get(source, entry.id) as Record<string, unknown> | undefined;
      if (current === undefined) return { found: false, changed: false, points: 0 };
      const next = runColumnValues(source, entry, run);
      const changedColumns = UPDATABLE.filter((column) => current[column] !== next[column]);
      const stored = current.captured_out as Buffer;
      // Same bytes, or (a copy compressed by an older version) the same text once inflated.
      const outputChanged =
        !stored.equals(next.captured_out) &&
        !inflateRawSync(stored).equals(inflateRawSync(next.captured_out));
      const sets = changedColumns.map((column) => `${column} = @${column}`);
      if (outputChanged) sets.push('captured_out = @captured_out');
      if (sets.length > 0) {
        // Column names come from the fixed list above, never from data.
        this.db
          .prepare(`UPDATE runs SET ${sets.join(', ')} WHERE source = @source AND run_id = @run_id`)
          .run(next);
      }
      const metrics = this.updateMetrics(source, entry.id, run.metrics);
      const artifactsChanged = this.updateArtifacts(source, entry.id, run);
      beforeCommit?.();
      // The fingerprint alone (a heartbeat the listing already saw) is not a visible change.
      const visible = changedColumns.some((column) => column !== 'fingerprint');
      return {
        found: true,
        changed: visible || outputChanged || metrics.changed || artifactsChanged,
        points: metrics.points,
      };
    });
    return write();
  }

  private updateMetrics(
    source: string,
    runId: string,
    metrics: readonly ParsedMetric[],
  ): { changed: boolean; points: number } {
    const cached = this.prepare(
      'SELECT name, position, count FROM metrics WHERE source = ? AND run_id = ?',
    ).all(source, runId) as { name: string; position: number; count: number }[];
    const byName = new Map(cached.map((row) => [row.name, row]));
    let changed = false;
    let points = 0;
    const seen = new Set<string>();
    metrics.forEach((metric, position) => {
      if (seen.has(metric.name)) return; // a repeated name: the first one wins, as in writeRun
      seen.add(metric.name);
      const count = Math.min(metric.steps.length, metric.values.length, metric.timestamps.length);
      const key: Key = [source, runId, metric.name];
      const old = byName.get(metric.name);
      if (old !== undefined && old.position !== position) {
        this.prepare(
          'UPDATE metrics SET position = ? WHERE source = ? AND run_id = ? AND name = ?',
        ).run(position, ...key);
        changed = true;
      }
      if (old !== undefined && old.count <= count && this.samePrefix(key, metric, old.count)) {
        if (old.count === count) return;
        points += this.appendPoints(key, metric, old.count, count);
      } else {
        if (old !== undefined) this.deleteMetric(key);
        this.insertMetric(key, position, metric, count);
        points += count;
      }
      this.writeSummary(key, metric, count);
      writeMetricTail(this.db, key, metric.values.subarray(0, count));
      changed = true;
    });
    for (const row of cached) {
      if (!seen.has(row.name)) {
        this.deleteMetric([source, runId, row.name]);
        changed = true;
      }
    }
    return { changed, points };
  }

  /** The cached points of a metric are the first `count` points of `metric`. */
  private samePrefix(key: Key, metric: ParsedMetric, count: number): boolean {
    const chunks = this.prepare(
      `SELECT chunk_no, point_count, steps, "values", timestamps FROM metric_chunks
       WHERE source = ? AND run_id = ? AND name = ? ORDER BY chunk_no`,
    ).all(...key) as ChunkRow[];
    let at = 0;
    for (const chunk of chunks) {
      const n = chunk.point_count;
      if (
        !sameValues(blobToFloat64(chunk.steps), metric.steps, at, n) ||
        !sameValues(blobToFloat64(chunk.values), metric.values, at, n) ||
        !sameValues(blobToFloat64(chunk.timestamps), metric.timestamps, at, n)
      ) {
        return false;
      }
      at += n;
    }
    return at === count;
  }

  /** Fills the last chunk up to METRIC_CHUNK_POINTS, then adds chunks; returns points written. */
  private appendPoints(key: Key, metric: ParsedMetric, from: number, to: number): number {
    const lastChunk = from === 0 ? 0 : Math.floor((from - 1) / METRIC_CHUNK_POINTS);
    let chunkNo = lastChunk;
    let start = chunkNo * METRIC_CHUNK_POINTS;
    if (from % METRIC_CHUNK_POINTS === 0 && from > 0) {
      chunkNo++;
      start = from;
    }
    for (; start < to; start += METRIC_CHUNK_POINTS, chunkNo++) {
      const end = Math.min(to, start + METRIC_CHUNK_POINTS);
      this.writeChunk(key, chunkNo, metric, start, end);
    }
    return to - from;
  }

  private insertMetric(key: Key, position: number, metric: ParsedMetric, count: number): void {
    this.prepare(
      `INSERT INTO metrics (
        source, run_id, name, position, count, first_value, last_value, min_value, max_value
      ) VALUES (?, ?, ?, ?, 0, NULL, NULL, NULL, NULL)`,
    ).run(...key, position);
    for (let start = 0, chunk = 0; start < count; start += METRIC_CHUNK_POINTS, chunk++) {
      this.writeChunk(key, chunk, metric, start, Math.min(count, start + METRIC_CHUNK_POINTS));
    }
  }

  private writeChunk(
    key: Key,
    chunkNo: number,
    metric: ParsedMetric,
    start: number,
    end: number,
  ): void {
    const part = {
      steps: metric.steps.subarray(start, end),
      values: metric.values.subarray(start, end),
      timestamps: metric.timestamps.subarray(start, end),
    };
    this.prepare(
      `INSERT OR REPLACE INTO metric_chunks (
        source, run_id, name, chunk_no, point_count, steps, "values", timestamps
      ) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      ...key,
      chunkNo,
      end - start,
      float64ToBlob(part.steps),
      float64ToBlob(part.values),
      float64ToBlob(part.timestamps),
    );
    writeChunkIndex(this.db, key, chunkNo, part);
  }

  private writeSummary(key: Key, metric: ParsedMetric, count: number): void {
    const values = metric.values.subarray(0, count);
    const summary = summarizeMetric(values);
    this.prepare(
      `UPDATE metrics SET count = ?, first_value = ?, last_value = ?, min_value = ?,
         max_value = ?, mean_value = ?, last10_value = ?, non_finite = ?
       WHERE source = ? AND run_id = ? AND name = ?`,
    ).run(
      count,
      toSqlNumber(summary.first),
      toSqlNumber(summary.last),
      toSqlNumber(summary.min),
      toSqlNumber(summary.max),
      ...metricMeanColumns(values),
      summary.nonFinite,
      ...key,
    );
  }

  private deleteMetric(key: Key): void {
    this.prepare('DELETE FROM metrics WHERE source = ? AND run_id = ? AND name = ?').run(...key);
  }

  private updateArtifacts(source: string, runId: string, run: ParsedRun): boolean {
    const next = artifactRowValues(source, runId, run);
    const current = this.prepare(
      `SELECT id, source, run_id, position, name, abs_path, size, content_type, locator
       FROM artifacts WHERE source = ? AND run_id = ? ORDER BY position`,
    ).all(source, runId);
    if (JSON.stringify(current) === JSON.stringify(next)) return false;
    this.prepare('DELETE FROM artifacts WHERE source = ? AND run_id = ?').run(source, runId);
    const insert = this.prepare(
      `INSERT OR IGNORE INTO artifacts (
        id, source, run_id, position, name, abs_path, size, content_type, locator
      ) VALUES (@id, @source, @run_id, @position, @name, @abs_path, @size, @content_type, @locator)`,
    );
    for (const row of next) insert.run(row);
    return true;
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

interface ChunkRow {
  chunk_no: number;
  point_count: number;
  steps: Buffer;
  values: Buffer;
  timestamps: Buffer;
}

/** NaN equals NaN here: a NaN point that stayed NaN is unchanged. */
function sameValues(chunk: Float64Array, all: Float64Array, at: number, n: number): boolean {
  if (at + n > all.length || chunk.length < n) return false;
  for (let i = 0; i < n; i++) {
    const a = chunk[i] as number;
    const b = all[at + i] as number;
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) return false;
  }
  return true;
}
