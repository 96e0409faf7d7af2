import type { SqlNumber } from './sql-number';

/** Row shapes read from the cache; the core turns them into contract shapes. */
export interface SourceRow {
  name: string;
  kind: 'folder' | 'mongo';
  location: string;
  created_at: string;
  last_sync_at: string | null;
  last_error: string | null;
  run_count: number;
  unreadable_count: number;
  /** Mongo sources only (migration 3): where the runs are read from. */
  profile_id: string | null;
  database: string | null;
  prefix: string | null;
}

export interface RunRow {
  source: string;
  run_id: string;
  dir: string | null;
  status: string;
  experiment: string | null;
  command: string | null;
  start_time: string | null;
  stop_time: string | null;
  heartbeat: string | null;
  hostname: string | null;
  beat_interval: number;
  config: string;
  result: string;
  comment: string | null;
  tags: string;
  unreadable: string | null;
}

export interface RunDetailRow extends RunRow {
  info: string;
  host_info: string;
  experiment_info: string;
  meta: string;
  fail_trace: string | null;
  source_files: string;
  resources: string;
  warnings: string;
  captured_out_bytes: number;
  /** Mongo sources: the run document's `_id` as canonical Extended JSON. */
  origin: string | null;
}

export interface MetricRow {
  source: string;
  run_id: string;
  name: string;
  count: number;
  first_value: SqlNumber;
  last_value: SqlNumber;
  min_value: SqlNumber;
  max_value: SqlNumber;
  /** NaN and ±Infinity points (migration 12). */
  non_finite: number;
}

export interface ArtifactRow {
  id: string;
  source: string;
  run_id: string;
  name: string;
  abs_path: string | null;
  size: number | null;
  content_type: string | null;
  /** Mongo sources: JSON {bucket, id} of the GridFS file; null for folder artifacts. */
  locator: string | null;
}

export interface CapturedOutputRow {
  dir: string | null;
  captured_out: Buffer;
  captured_out_bytes: number;
  captured_out_truncated: number;
}

/** The cached tail of a run's captured output, decompressed. */
export interface CachedOutput {
  dir: string | null;
  text: string;
  totalBytes: number;
  truncated: boolean;
}

/** What the cache keeps of a source file reference: enough to read it from disk later. */
export interface StoredSourceFile {
  name: string;
  absPath: string | null;
  /** Mongo sources: the GridFS file holding the text, and its bucket. */
  gridfsId?: string;
  gridfsBucket?: string;
}

export interface StoredResource {
  path: string;
  stored: string | null;
  absPath: string | null;
}

export interface MetricPoints {
  count: number;
  steps: Float64Array<ArrayBuffer>;
  values: Float64Array<ArrayBuffer>;
  timestamps: Float64Array<ArrayBuffer>;
}
