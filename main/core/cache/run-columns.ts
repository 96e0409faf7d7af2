import { beatIntervalSeconds } from '../../../shared/probably-dead';
import { artifactId } from '../artifact-id';
import type { ParsedRun } from '../folder/parsed-run';
import type { StoredResource, StoredSourceFile } from './cache-rows';
import { deflatedOutputOf } from './captured-output-deflate';
import { guessContentType } from './content-type';
import { utf8OfTail } from '../utf8-text-tail';

/** What identifies one cached run and tells whether it must be read again. */
export interface RunEntry {
  id: string;
  /** The run directory of a folder source; null for a database document. */
  dir: string | null;
  fingerprint: string;
}

/**
 * The `runs` columns made from the run's objects (JSON text, and the beat interval from its
 * meta): the folder sync's read worker makes them, so that the core's thread neither receives
 * these object trees through a structured clone nor serializes them again (run-wire.ts).
 */
export function runObjectColumns(run: ParsedRun) {
  const sourceFiles: StoredSourceFile[] = run.sourceFiles.map((f) => ({
    name: f.name,
    absPath: f.absPath,
    ...(f.gridfsId === undefined ? {} : { gridfsId: f.gridfsId, gridfsBucket: f.gridfsBucket }),
  }));
  const resources: StoredResource[] = run.resources.map((r) => ({
    path: r.path,
    stored: r.stored,
    absPath: r.absPath,
  }));
  return {
    beat_interval: beatIntervalSeconds(run.meta['options']),
    config: JSON.stringify(run.config),
    result: JSON.stringify(run.result ?? null),
    tags: JSON.stringify(run.tags),
    info: JSON.stringify(run.info),
    host_info: JSON.stringify(run.hostInfo),
    experiment_info: JSON.stringify(run.experimentInfo),
    meta: JSON.stringify(run.meta),
    fail_trace: run.failTrace === null ? null : JSON.stringify(run.failTrace),
    source_files: JSON.stringify(sourceFiles),
    resources: JSON.stringify(resources),
    warnings: JSON.stringify(run.warnings),
  };
}
export type RunObjectColumns = ReturnType<typeof runObjectColumns>;

/** Columns made elsewhere for a run (not a property: equality and copies ignore it). */
const objectColumnsOfRun = new WeakMap<object, RunObjectColumns>();

/** Records that `columns` are runObjectColumns(run), made before (by the read worker). */
export function rememberObjectColumns(run: object, columns: RunObjectColumns): void {
  objectColumnsOfRun.set(run, columns);
}

/** The run's objects changed since: its columns are made from them again. */
export function forgetObjectColumns(run: object): void {
  objectColumnsOfRun.delete(run);
}

/** The `runs` row of a parsed run, column by column (captured_out compressed). */
export function runColumnValues(source: string, entry: RunEntry, run: ParsedRun) {
  const output = utf8OfTail(run.capturedOutput);
  return {
    source,
    run_id: entry.id,
    dir: entry.dir,
    status: run.status,
    experiment: run.experiment,
    command: run.command,
    start_time: run.startTime,
    stop_time: run.stopTime,
    heartbeat: run.heartbeat,
    hostname: run.hostname,
    comment: run.comment,
    ...(objectColumnsOfRun.get(run) ?? runObjectColumns(run)),
    unreadable: run.unreadable,
    fingerprint: entry.fingerprint,
    // Big outputs (progress bars, logs) shrink several times; the cache stays small.
    captured_out: deflatedOutputOf(run.capturedOutput, output),
    captured_out_bytes: Math.max(run.capturedOutput.totalBytes, output.byteLength),
    captured_out_truncated: run.capturedOutput.truncated ? 1 : 0,
    origin: run.origin === undefined ? null : JSON.stringify(run.origin),
  };
}
export type RunColumns = ReturnType<typeof runColumnValues>;

/** The `artifacts` rows of a parsed run, in the order of the run. */
export function artifactRowValues(source: string, runId: string, run: ParsedRun) {
  return run.artifacts.map((artifact, position) => ({
    id: artifactId(source, runId, artifact.name),
    source,
    run_id: runId,
    position,
    name: artifact.name,
    abs_path: artifact.absPath,
    size: artifact.size,
    content_type: artifact.contentType ?? guessContentType(artifact.name),
    locator:
      artifact.gridfsId === undefined
        ? null
        : JSON.stringify({ bucket: artifact.gridfsBucket ?? 'fs', id: artifact.gridfsId }),
  }));
}
