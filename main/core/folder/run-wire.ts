import { deflateCapturedOutput, rememberDeflated } from '../cache/captured-output-deflate';
import { forgetObjectColumns, rememberObjectColumns, runObjectColumns } from '../cache/run-columns';
import type { RunObjectColumns } from '../cache/run-columns';
import type { ParsedRun } from './parsed-run';
import { lazyTextTail, utf8OfTail } from '../utf8-text-tail';

/** The run's object fields that cross as their `runs` column's JSON text, and that column. */
const OBJECT_FIELDS = {
  config: 'config',
  result: 'result',
  tags: 'tags',
  info: 'info',
  hostInfo: 'host_info',
  experimentInfo: 'experiment_info',
  meta: 'meta',
  failTrace: 'fail_trace',
  sourceFiles: 'source_files',
  resources: 'resources',
  warnings: 'warnings',
} as const satisfies Partial<Record<keyof ParsedRun, keyof RunObjectColumns>>;
type ObjectField = keyof typeof OBJECT_FIELDS;

/**
 * A ParsedRun as it crosses from the read worker to the core's thread: the captured output as
 * its UTF-8 bytes (a lazy tail's getter does not survive a structured clone, and the cache
 * stores the bytes anyway), the object fields (config, info, meta, ...) as the JSON text the
 * cache stores (a structured clone of their trees, and their garbage and serialization on the
 * core's thread, cost more than the text), and the buffers that are moved rather than copied.
 */
export interface WireRun {
  run: Omit<ParsedRun, 'capturedOutput' | ObjectField>;
  columns: RunObjectColumns;
  /** `deflated`: the bytes as the cache stores them, compressed in the worker. */
  output: { bytes: Uint8Array; deflated: Uint8Array; truncated: boolean; totalBytes: number };
}

/** The run to post, and the buffers to transfer with it (each whole and its own). */
export function toWireRun(run: ParsedRun): { wire: WireRun; transfer: ArrayBuffer[] } {
  const {
    capturedOutput,
    config: _config,
    result: _result,
    tags: _tags,
    info: _info,
    hostInfo: _hostInfo,
    experimentInfo: _experimentInfo,
    meta: _meta,
    failTrace: _failTrace,
    sourceFiles: _sourceFiles,
    resources: _resources,
    warnings: _warnings,
    ...rest
  } = run;
  // Valid UTF-8 either way, so on the other side utf8OfTail gives these very bytes back.
  const bytes = utf8OfTail(capturedOutput);
  const deflated = deflateCapturedOutput(bytes);
  const wire: WireRun = {
    run: rest,
    columns: runObjectColumns(run),
    output: {
      bytes,
      deflated,
      truncated: capturedOutput.truncated,
      totalBytes: capturedOutput.totalBytes,
    },
  };
  const transfer = new Set<ArrayBuffer>();
  const own = (view: ArrayBufferView): void => {
    // A view of part of a buffer (Node's pool of small Buffers) is copied, never moved.
    const buffer = view.buffer;
    if (
      buffer instanceof ArrayBuffer &&
      view.byteOffset === 0 &&
      view.byteLength === buffer.byteLength
    )
      transfer.add(buffer);
  };
  own(bytes);
  own(deflated);
  for (const metric of run.metrics) {
    own(metric.steps);
    own(metric.values);
    own(metric.timestamps);
  }
  return { wire, transfer: [...transfer] };
}

/**
 * The ParsedRun again, on the receiving side. Its object fields are parsed from their JSON
 * text only when read (the cache writer takes the text as it came, rememberObjectColumns).
 */
export function fromWireRun(wire: WireRun): ParsedRun {
  const { bytes, deflated, truncated, totalBytes } = wire.output;
  const asBuffer = (view: Uint8Array): Buffer =>
    Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const capturedOutput = lazyTextTail(asBuffer(bytes), truncated, totalBytes);
  rememberDeflated(capturedOutput, asBuffer(deflated));
  const run = { ...wire.run, capturedOutput } as ParsedRun;
  for (const [field, column] of Object.entries(OBJECT_FIELDS) as [
    ObjectField,
    keyof RunObjectColumns,
  ][]) {
    const text = wire.columns[column];
    let parsed: unknown;
    let isParsed = false;
    Object.defineProperty(run, field, {
      enumerable: true,
      configurable: true,
      get(): unknown {
        if (!isParsed) {
          parsed = typeof text === 'string' ? JSON.parse(text) : text;
          isParsed = true;
        }
        return parsed;
      },
      set(value: unknown): void {
        parsed = value;
        isParsed = true;
        forgetObjectColumns(run);
      },
    });
  }
  rememberObjectColumns(run, wire.columns);
  return run;
}
