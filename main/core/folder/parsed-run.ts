import type { JsonObject, JsonValue } from '../../../shared/contract';

/** One metric of one run, points in parallel typed arrays (NaN kept as NaN). */
export interface ParsedMetric {
  name: string;
  steps: Float64Array;
  values: Float64Array;
  /** Milliseconds since the epoch, UTC; NaN where the file had no usable time. */
  timestamps: Float64Array;
}

export interface ParsedArtifact {
  name: string;
  /** Absolute path on disk, or null when listed in run.json but missing. */
  absPath: string | null;
  size: number | null;
  /** MongoDB sources: the GridFS file (ObjectId hex) holding the content. */
  gridfsId?: string;
  /** MongoDB sources: the GridFS bucket of that file (`fs`, or `default` for Sacred 0.6). */
  gridfsBucket?: string;
  /** MongoDB sources: the contentType Sacred stored with the file, when there was one. */
  contentType?: string | null;
}

export interface ParsedSourceFile {
  name: string;
  absPath: string | null;
  /** MongoDB sources: the GridFS file (ObjectId hex) holding the source text. */
  gridfsId?: string;
  gridfsBucket?: string;
}

export interface ParsedResource {
  path: string;
  stored: string | null;
  absPath: string | null;
}

/** Everything the reader learned about one run directory; the cache stores it as is. */
export interface ParsedRun {
  id: string;
  status: string;
  experiment: string | null;
  command: string | null;
  /** ISO 8601 UTC with a trailing Z. */
  startTime: string | null;
  stopTime: string | null;
  heartbeat: string | null;
  hostname: string | null;
  /** JSON-safe (NaN as "NaN"); jsonpickle nodes kept raw. */
  config: JsonObject;
  result: JsonValue;
  comment: string | null;
  tags: string[];
  info: JsonObject;
  hostInfo: JsonObject;
  experimentInfo: JsonObject;
  meta: JsonObject;
  failTrace: string[] | null;
  sourceFiles: ParsedSourceFile[];
  resources: ParsedResource[];
  artifacts: ParsedArtifact[];
  metrics: ParsedMetric[];
  /** Tail of cout.txt (at most the reader's cap), never the whole 200 MB file. */
  capturedOutput: { text: string; truncated: boolean; totalBytes: number };
  /** Why the run could not be read (e.g. "run.json is empty"), or null when it was. */
  unreadable: string | null;
  warnings: string[];
  /**
   * Files that looked half-written after every retry (empty, cut short, not JSON): what Sacred
   * rewriting them in place looks like. A sync keeps a good cached copy instead of this read.
   */
  halfWritten?: string[];
  /** MongoDB sources: the document's `_id` as canonical Extended JSON, to find it again. */
  origin?: JsonValue;
}

/** A run directory found by the scan, with what is needed to decide whether to re-read it. */
export interface RunDirEntry {
  id: string;
  dir: string;
  /** Changes whenever any file of the run changes (names, sizes, mtimes). */
  fingerprint: string;
}
