import { bsonLibrary } from './bson-library';
import type { JsonObject, JsonValue } from '../../../shared/contract';
import { toJsonSafe } from '../../../shared/json-safe';
import { utf8Tail } from '../file-tail';
import { emptyParsedRun } from '../folder/empty-parsed-run';
import type {
  ParsedArtifact,
  ParsedMetric,
  ParsedResource,
  ParsedRun,
  ParsedSourceFile,
} from '../folder/parsed-run';
import { sacredTimeToIso, unreadableTimeWarnings } from '../folder/sacred-time';
import { LEGACY_BUCKET, SACRED_BUCKET, isObjectIdHex } from './gridfs';
import type { GridFsFile } from './gridfs';
import { omniboardNotes, omniboardTags } from '../writes/omniboard-annotations';

/** What the sync looked up around a run document (the reader itself never queries). */
export interface MongoRunContext {
  /** The run's id in the cache; defaults to runIdString(doc._id). */
  key?: string;
  /** `<bucket>.files` entries by ObjectId hex; when given, a missing file is reported. */
  files?: ReadonlyMap<string, GridFsFile>;
  /** Sacred 0.6 sources by filename (absolute path), to be matched by md5. */
  legacySources?: ReadonlyMap<string, readonly GridFsFile[]>;
  metrics?: ParsedMetric[];
  /** GridFS bucket of Sacred 0.6 runs: the old collection name, `default` unless changed. */
  legacyBucket?: string;
  /** How much of the end of captured_out to keep (default 4 MiB). */
  coutTailBytes?: number;
}

const DEFAULT_COUT_TAIL_BYTES = 4 * 1024 * 1024;
/** Binary values are shown, not downloaded: this much of them is kept (as base64). */
const BINARY_PREVIEW_BYTES = 768;

type Dict = Record<string, unknown>;

function asDict(value: unknown): Dict | null {
  return typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    bsonType(value) === null &&
    !(value instanceof Date)
    ? (value as Dict)
    : null;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function bsonType(value: object): string | null {
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : null;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return bsonType(value) ?? 'an object';
  return `a ${typeof value}`;
}

/** An integer as a JS number when exact, else as its decimal string (past 2^53). */
function bigToPlain(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

function binaryPreview(bytes: Uint8Array): JsonObject {
  const shown = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(
    0,
    BINARY_PREVIEW_BYTES,
  );
  const base64 = shown.toString('base64');
  return bytes.byteLength > BINARY_PREVIEW_BYTES
    ? { $binary: `${base64}…`, bytes: bytes.byteLength }
    : { $binary: base64 };
}

/**
 * A driver value with every BSON type turned into plain JSON-able data: Date → ISO string,
 * ObjectId → hex, Long/bigint → number (or decimal string past 2^53), Binary → a truncated
 * base64 preview. Stored keys are copied verbatim: `a.b`, `$x` and `a,b` stay keys.
 */
export function bsonToPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return bigToPlain(value);
    case 'object':
      break;
    default:
      return String(value);
  }
  if (Array.isArray(value)) return value.map(bsonToPlain);
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString();
  }
  if (value instanceof RegExp) return String(value);
  if (value instanceof Uint8Array) return binaryPreview(value);
  const tag = bsonType(value);
  if (tag !== null) return bsonTaggedToPlain(tag, value);
  const out: Dict = {};
  for (const [key, item] of Object.entries(value as Dict)) {
    // defineProperty: a stored "__proto__" key must stay a key, not become a prototype.
    Object.defineProperty(out, key, {
      value: bsonToPlain(item),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function bsonTaggedToPlain(tag: string, value: object): unknown {
  const v = value as Record<string, unknown> & { toString(): string };
  switch (tag) {
    case 'ObjectId':
    case 'ObjectID':
      return (value as { toHexString(): string }).toHexString();
    case 'Long':
      return bigToPlain(BigInt(v.toString()));
    case 'Int32':
    case 'Double':
      return (value as { valueOf(): number }).valueOf();
    case 'Decimal128':
      return v.toString();
    case 'Binary': {
      const binary = value as { sub_type: number; buffer: Uint8Array; toUUID?: () => unknown };
      if (binary.sub_type === 4 && binary.buffer.byteLength === 16) {
        const hex = Buffer.from(binary.buffer).toString('hex');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      }
      return binaryPreview(binary.buffer);
    }
    case 'Timestamp': {
      const ts = value as { t?: number; i?: number; high?: number; low?: number };
      return { $timestamp: { t: ts.t ?? ts.high ?? 0, i: ts.i ?? ts.low ?? 0 } };
    }
    case 'BSONRegExp':
      return `/${String(v.pattern)}/${String(v.options)}`;
    case 'Code':
      return String(v.code);
    case 'BSONSymbol':
      return String(v.value ?? v.toString());
    case 'MinKey':
      return '$minKey';
    case 'MaxKey':
      return '$maxKey';
    case 'DBRef':
      return { $ref: String(v.collection), $id: bsonToPlain(v.oid) } as Dict;
    default:
      return v.toString();
  }
}

function jsonOf(value: unknown): JsonValue {
  return toJsonSafe(bsonToPlain(value));
}

function jsonObject(value: unknown): JsonObject {
  const safe = jsonOf(value);
  return typeof safe === 'object' && safe !== null && !Array.isArray(safe) ? safe : {};
}

/** The `_id` as the string a user sees and types: int 7 → "7", ObjectId → its hex. */
export function runIdString(id: unknown): string {
  if (typeof id === 'string') return id;
  if (typeof id === 'number') return String(id);
  if (typeof id === 'bigint') return id.toString();
  if (typeof id === 'object' && id !== null) {
    const tag = bsonType(id);
    if (tag === 'ObjectId' || tag === 'ObjectID')
      return (id as { toHexString(): string }).toHexString();
    if (tag === 'Long' || tag === 'Int32' || tag === 'Double') return id.toString();
    if (id instanceof Date) return Number.isNaN(id.getTime()) ? 'Invalid Date' : id.toISOString();
  }
  if (id === undefined) return '';
  return bsonLibrary().EJSON.stringify(id as never, { relaxed: false });
}

/**
 * A key that is equal for `_id`/`run_id` values MongoDB would match: 1, Int32(1), Long(1)
 * and 1.0 are one key; "1" and ObjectId are others.
 */
export function idMatchKey(id: unknown): string {
  if (typeof id === 'number') return `n:${id}`;
  if (typeof id === 'bigint') return `n:${bigToPlain(id)}`;
  if (typeof id === 'string') return `s:${id}`;
  if (typeof id === 'object' && id !== null) {
    const tag = bsonType(id);
    if (tag === 'ObjectId' || tag === 'ObjectID')
      return `o:${(id as { toHexString(): string }).toHexString()}`;
    if (tag === 'Long') return `n:${bigToPlain(BigInt(id.toString()))}`;
    if (tag === 'Int32' || tag === 'Double') return `n:${(id as { valueOf(): number }).valueOf()}`;
  }
  return `x:${bsonLibrary().EJSON.stringify(id as never, { relaxed: false })}`;
}

/** The `_id` as canonical Extended JSON: keeps int/long/string/ObjectId apart for queries. */
export function originOf(id: unknown): JsonValue {
  return bsonLibrary().EJSON.serialize({ _id: id }, { relaxed: false })._id as JsonValue;
}

/** Turns a stored origin back into the `_id` value to query with. */
export function idFromOrigin(origin: string): unknown {
  return bsonLibrary().EJSON.parse(`{"_id":${origin}}`, { relaxed: false, useBigInt64: true })._id;
}

/** Sacred ≤ 0.6: no `format`, `command` or `meta`, ObjectId ids, a top-level `comment`. */
export function isLegacy06(doc: Dict): boolean {
  return !('format' in doc) && !('meta' in doc) && !('command' in doc);
}

/** `info.metrics` references: `[{name, id: hex}]`; anything else is skipped. */
export function metricRefsOf(doc: unknown): { name: string; id: string | null }[] {
  const refs = asDict(asDict(doc)?.info)?.metrics;
  if (!Array.isArray(refs)) return [];
  const out: { name: string; id: string | null }[] = [];
  for (const ref of refs) {
    const entry = asDict(ref);
    const name = asString(entry?.name);
    if (name === null) continue;
    const raw = entry?.id;
    const id =
      typeof raw === 'object' && raw !== null && bsonType(raw) === 'ObjectId'
        ? (raw as { toHexString(): string }).toHexString()
        : isObjectIdHex(raw)
          ? raw.toLowerCase()
          : null;
    out.push({ name, id });
  }
  return out;
}

function objectIdHexOf(value: unknown): string | null {
  if (typeof value === 'object' && value !== null) {
    const tag = bsonType(value);
    if (tag === 'ObjectId' || tag === 'ObjectID')
      return (value as { toHexString(): string }).toHexString();
  }
  return isObjectIdHex(value) ? value.toLowerCase() : null;
}

/** GridFS file ids a run refers to (artifacts and sources), for one `$in` lookup. */
export function gridFsIdsOf(doc: unknown): string[] {
  const run = asDict(doc);
  if (run === null) return [];
  const ids: string[] = [];
  if (Array.isArray(run.artifacts)) {
    for (const item of run.artifacts) {
      const id = objectIdHexOf(asDict(item)?.file_id ?? item);
      if (id !== null) ids.push(id);
    }
  }
  const sources = asDict(run.experiment)?.sources;
  if (Array.isArray(sources)) {
    for (const item of sources) {
      const id = Array.isArray(item) ? objectIdHexOf(item[1]) : null;
      if (id !== null) ids.push(id);
    }
  }
  return ids;
}

/** Sacred 0.6 `[[absolute path, md5]]` sources: filenames to look up in `default.files`. */
export function legacySourceNamesOf(doc: unknown): string[] {
  const sources = asDict(asDict(doc)?.experiment)?.sources;
  if (!Array.isArray(sources)) return [];
  const names: string[] = [];
  for (const item of sources) {
    if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'string') {
      names.push(item[0]);
    }
  }
  return names;
}

function lastSegment(path: string): string {
  const parts = path.split(/[\\/]/u);
  return parts[parts.length - 1] ?? path;
}

function readSources(
  run: Dict,
  legacy: boolean,
  context: MongoRunContext,
  warnings: string[],
): ParsedSourceFile[] {
  const sources = asDict(run.experiment)?.sources;
  if (!Array.isArray(sources)) return [];
  const out: ParsedSourceFile[] = [];
  for (const item of sources) {
    const pair = Array.isArray(item) ? item : null;
    const name = asString(pair?.[0]);
    if (pair === null || name === null) continue;
    const id = objectIdHexOf(pair[1]);
    if (id !== null) {
      const bucket = legacy ? (context.legacyBucket ?? LEGACY_BUCKET) : SACRED_BUCKET;
      if (context.files !== undefined && !context.files.has(id)) {
        warnings.push(`source file "${name}" is missing from GridFS`);
        out.push({ name, absPath: null });
      } else {
        out.push({ name, absPath: null, gridfsId: id, gridfsBucket: bucket });
      }
      continue;
    }
    // Sacred 0.6: [absolute path, md5], the file is in `default` under that path.
    const md5 = asString(pair[1]);
    const candidates = context.legacySources?.get(name) ?? [];
    const match =
      candidates.find((file) => md5 !== null && file.md5 === md5) ??
      candidates.find((file) => file.md5 === null);
    out.push(
      match === undefined
        ? { name, absPath: null }
        : { name, absPath: null, gridfsId: match.id, gridfsBucket: match.bucket },
    );
  }
  return out;
}

function readArtifacts(
  run: Dict,
  legacy: boolean,
  context: MongoRunContext,
  warnings: string[],
): ParsedArtifact[] {
  if (!Array.isArray(run.artifacts)) return [];
  const out: ParsedArtifact[] = [];
  for (const item of run.artifacts) {
    const entry = asDict(item);
    // 0.7+: {name, file_id}; 0.6: a bare ObjectId named by its GridFS filename.
    const id = objectIdHexOf(entry === null ? item : entry.file_id);
    const file = id === null ? undefined : context.files?.get(id);
    const name =
      asString(entry?.name) ??
      (file?.filename !== null && file?.filename !== undefined ? lastSegment(file.filename) : id);
    if (name === null) continue;
    if (id === null || (context.files !== undefined && file === undefined)) {
      warnings.push(`artifact "${name}" is missing from GridFS`);
      out.push({ name, absPath: null, size: null });
      continue;
    }
    out.push({
      name,
      absPath: null,
      size: file?.length ?? null,
      gridfsId: id,
      gridfsBucket:
        file?.bucket ?? (legacy ? (context.legacyBucket ?? LEGACY_BUCKET) : SACRED_BUCKET),
      contentType: file?.contentType ?? null,
    });
  }
  return out;
}

/** `[[path, md5]]`: only recorded since Sacred 0.8.3, so never something to download. */
function readResources(run: Dict): ParsedResource[] {
  if (!Array.isArray(run.resources)) return [];
  const out: ParsedResource[] = [];
  for (const item of run.resources) {
    const path = Array.isArray(item) ? asString(item[0]) : asString(item);
    if (path !== null) out.push({ path, stored: null, absPath: null });
  }
  return out;
}

function readFailTrace(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return null;
  return value.map((line) => (typeof line === 'string' ? line : JSON.stringify(jsonOf(line))));
}

const SACRED_FIELDS = ['status', 'experiment', 'config', 'command', 'start_time', 'host'];

/**
 * One MongoObserver run document, as the driver returns it, to the cache's ParsedRun. It
 * never throws: a document that is not a run gets `unreadable` with the reason, lesser
 * problems (a config that is not an object, a missing GridFS file) go to `warnings`.
 */
export function readMongoRun(doc: unknown, context: MongoRunContext = {}): ParsedRun {
  const run = asDict(doc);
  const key = context.key ?? (run === null ? '' : runIdString(run._id));
  const parsed = emptyParsedRun(key, 'UNREADABLE');
  if (run === null) {
    parsed.unreadable = `the run document is ${kindOf(doc)}, not an object`;
    return parsed;
  }
  try {
    parsed.origin = originOf(run._id);
  } catch {
    // An _id EJSON cannot express leaves the run without a way back; it can still be shown.
  }
  if (!SACRED_FIELDS.some((field) => field in run)) {
    parsed.unreadable = 'the document is not a Sacred run (no status, experiment or config)';
    return parsed;
  }
  try {
    fill(parsed, run, context);
  } catch (error) {
    parsed.unreadable = `the run document cannot be read: ${
      error instanceof Error ? error.message : String(error)
    }`;
  }
  return parsed;
}

function fill(parsed: ParsedRun, run: Dict, context: MongoRunContext): void {
  const warnings = parsed.warnings;
  const legacy = isLegacy06(run);
  const experiment = asDict(run.experiment);
  const host = asDict(run.host);
  const meta = asDict(run.meta);
  const config = asDict(run.config);
  const info = asDict(run.info);

  const status = asString(run.status);
  if (status === null) warnings.push('the run document has no status');
  if (run.config !== undefined && run.config !== null && config === null) {
    warnings.push(`config is ${kindOf(run.config)}, not an object`);
  }
  if (run.info !== undefined && run.info !== null && info === null) {
    warnings.push(`info is ${kindOf(run.info)}, not an object`);
  }

  parsed.status = status ?? 'UNKNOWN';
  parsed.experiment = asString(experiment?.name);
  parsed.command = asString(run.command);
  parsed.startTime = sacredTimeToIso(run.start_time);
  parsed.stopTime = sacredTimeToIso(run.stop_time);
  parsed.heartbeat = sacredTimeToIso(run.heartbeat);
  warnings.push(...unreadableTimeWarnings(run));
  parsed.hostname = asString(host?.hostname);
  parsed.config = jsonObject(config);
  // The Altar sender keeps results in info.result and leaves the top-level result null.
  const result = run.result ?? (info !== null && 'result' in info ? info.result : null);
  parsed.result = jsonOf(result);
  // As Omniboard shows them: omniboard.* when set (even emptied), else config.tags/meta.comment.
  parsed.comment = omniboardNotes(run) || null;
  parsed.tags = omniboardTags(run, config);
  parsed.info = jsonObject(info);
  parsed.hostInfo = jsonObject(host);
  parsed.experimentInfo = jsonObject(experiment);
  parsed.meta = jsonObject(meta);
  parsed.failTrace = readFailTrace(run.fail_trace);
  parsed.sourceFiles = readSources(run, legacy, context, warnings);
  parsed.resources = readResources(run);
  parsed.artifacts = readArtifacts(run, legacy, context, warnings);
  parsed.metrics = context.metrics ?? [];

  const out = run.captured_out;
  if (typeof out === 'string') {
    const tail = utf8Tail(out, context.coutTailBytes ?? DEFAULT_COUT_TAIL_BYTES);
    const totalBytes = Buffer.byteLength(out, 'utf8');
    parsed.capturedOutput = { text: tail.text, truncated: tail.bytes < totalBytes, totalBytes };
  } else if (out !== undefined && out !== null) {
    warnings.push(`captured_out is ${kindOf(out)}, not text`);
  }
}
