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

/** The `runs` row of a parsed run, column by column (captured_out compressed). */
export function runColumnValues(source: string, entry: RunEntry, run: ParsedRun) {
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
    beat_interval: beatIntervalSeconds(run.meta['options']),
    config: JSON.stringify(run.config),
    result: JSON.stringify(run.result ?? null),
    comment: run.comment,
    tags: JSON.stringify(run.tags),
    info: JSON.stringify(run.info),
    host_info: JSON.stringify(run.hostInfo),
    experiment_info: JSON.stringify(run.experimentInfo),
    meta: JSON.stringify(run.meta),
    fail_trace: run.failTrace === null ? null : JSON.stringify(run.failTrace),
    source_files: JSON.stringify(sourceFiles),
    resources: JSON.stringify(resources),
    unreadable: run.unreadable,
    warnings: JSON.stringify(run.warnings),
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
