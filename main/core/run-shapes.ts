import type {
  ArtifactRef,
  JsonObject,
  JsonValue,
  MetricSummary,
  RunDetail,
  RunSummary,
  SourceInfo,
} from '../../shared/contract';
import { AltarError } from '../../shared/errors';
import { isProbablyDead } from '../../shared/probably-dead';
import type {
  ArtifactRow,
  MetricRow,
  RunDetailRow,
  RunRow,
  SourceRow,
  StoredResource,
  StoredSourceFile,
} from './cache/cache-rows';
import { fromSqlNumber } from './cache/sql-number';

/** Cached rows to the exact shapes of shared/contract.ts. */
export function toSourceInfo(
  row: SourceRow,
  syncing: boolean,
  online: boolean,
  trustedFolders: string[],
  notifyFinishedRuns = false,
  writable = false,
): SourceInfo {
  return {
    name: row.name,
    kind: row.kind,
    location: row.location,
    runCount: row.run_count,
    unreadableCount: row.unreadable_count,
    lastSyncAt: row.last_sync_at,
    lastError: row.last_error,
    state: syncing ? 'syncing' : row.last_error !== null ? 'error' : 'idle',
    online,
    mongo:
      row.kind === 'mongo' && row.profile_id !== null && row.database !== null
        ? { profileId: row.profile_id, database: row.database, prefix: row.prefix }
        : null,
    trustedFolders,
    notifyFinishedRuns,
    writable,
  };
}

export function toMetricSummary(row: MetricRow): MetricSummary {
  return {
    name: row.name,
    count: row.count,
    first: fromSqlNumber(row.first_value),
    last: fromSqlNumber(row.last_value),
    min: fromSqlNumber(row.min_value),
    max: fromSqlNumber(row.max_value),
    nonFinite: row.non_finite,
  };
}

export function toArtifactRef(row: ArtifactRow): ArtifactRef {
  return { name: row.name, size: row.size, id: row.id, contentType: row.content_type };
}

export function toRunSummary(
  row: RunRow,
  metrics: readonly MetricRow[],
  artifacts: readonly ArtifactRow[],
  nowMs: number,
): RunSummary {
  return {
    source: row.source,
    id: row.run_id,
    status: row.status,
    probablyDead: isProbablyDead(
      {
        status: row.status,
        heartbeat: row.heartbeat,
        startTime: row.start_time,
        beatIntervalS: row.beat_interval,
      },
      nowMs,
    ),
    experiment: row.experiment,
    command: row.command,
    start_time: row.start_time,
    stop_time: row.stop_time,
    heartbeat: row.heartbeat,
    host: row.hostname,
    config: parseObject(row.config),
    result: parseJson(row.result),
    comment: row.comment,
    tags: parseStrings(row.tags),
    metrics: metrics.map(toMetricSummary),
    artifacts: artifacts.map(toArtifactRef),
    unreadable: row.unreadable,
  };
}

export function toRunDetail(
  row: RunDetailRow,
  metrics: readonly MetricRow[],
  artifacts: readonly ArtifactRow[],
  nowMs: number,
): RunDetail {
  const failTrace = row.fail_trace === null ? null : parseStrings(row.fail_trace);
  return {
    ...toRunSummary(row, metrics, artifacts, nowMs),
    info: parseObject(row.info),
    hostInfo: parseObject(row.host_info),
    experimentInfo: parseObject(row.experiment_info),
    meta: parseObject(row.meta),
    failTrace,
    sourceFiles: storedSourceFiles(row).map((file) => ({
      name: file.name,
      available: file.absPath !== null || file.gridfsId !== undefined,
    })),
    resources: (parseJson(row.resources) as unknown as StoredResource[]).map((resource) => ({
      path: resource.path,
      stored: resource.stored,
      available: resource.absPath !== null,
    })),
    capturedOutputBytes: row.captured_out_bytes,
    warnings: parseStrings(row.warnings),
  };
}

export function storedSourceFiles(row: { source_files: string }): StoredSourceFile[] {
  return parseJson(row.source_files) as unknown as StoredSourceFile[];
}

/**
 * The source file `name` a run lists, as getSourceFile reads it: from a folder (`absPath`) or
 * GridFS (`gridfsId`); NOT_FOUND when the run lists no such file or Sacred did not store where
 * its content is.
 */
export function listedSourceFile<K extends 'absPath' | 'gridfsId'>(
  run: { source_files: string },
  where: { source: string; runId: string; name: string },
  storedAt: K,
): StoredSourceFile & { [P in K]: string } {
  const { source, runId, name } = where;
  const file = storedSourceFiles(run).find((candidate) => candidate.name === name);
  if (file === undefined) {
    throw new AltarError(
      'NOT_FOUND',
      `Run "${runId}" of "${source}" has no source file "${name}".`,
    );
  }
  if (typeof file[storedAt] !== 'string') {
    throw new AltarError(
      'NOT_FOUND',
      `The source file "${name}" of run "${runId}" was not stored by Sacred.`,
    );
  }
  return file as StoredSourceFile & { [P in K]: string };
}

function parseJson(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}

function parseObject(text: string): JsonObject {
  const value = parseJson(text);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function parseStrings(text: string): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}
