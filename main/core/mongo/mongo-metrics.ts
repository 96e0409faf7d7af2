import type { Db, Document } from 'mongodb';
import { mongoDriver } from './mongo-driver';
import type { ParsedMetric } from '../folder/parsed-run';
import type { MetricSummaryValues } from '../cache/metric-summary';
import { isObjectIdHex } from './gridfs';
import { readRawMetricDocument } from './raw-metric-document';
import { idMatchKey } from './read-mongo-run';
import { sacredTimeToMs } from '../folder/sacred-time';
import { lostOf, noteLost, unconvertedWarnings } from '../unconverted-points';

/** Where a source's metrics live. */
export interface MetricsTarget {
  collection: string;
  /**
   * The `metrics` collection shared by several runs collections (deprecated collection
   * names): `run_id` alone may belong to another collection's run, only ids are sure.
   */
  shared: boolean;
}

/** One run whose metrics are wanted: its cache key, `_id` and `info.metrics` references. */
export interface RunMetricsRequest {
  key: string;
  runId: unknown;
  refs: readonly { name: string; id: string | null }[];
}

export interface RunMetrics {
  metrics: ParsedMetric[];
  warnings: string[];
}

/** Points the cache already holds for a metric of a run. */
export interface KnownPoints {
  count: number;
  steps: Float64Array;
  values: Float64Array;
  timestamps: Float64Array;
}

/** The cached points of (run key, metric name), or null when the cache has none. */
export type KnownPointsLookup = (key: string, name: string) => KnownPoints | null;

/**
 * Metric documents are read whole: Sacred writes exactly these fields (_id, run_id, name,
 * steps, values, timestamps), and a projection would only make the server copy each array.
 */
const WHOLE_RAW = { raw: true } as const;
/** Metric documents per `$in` query; the cursor streams them in batches of 16 MiB at most. */
const ID_BATCH = 500;
const RUN_BATCH = 200;
/** Documents per tail aggregation: each adds a branch to its $switch. */
const TAIL_BATCH = 100;
/** $slice needs a count; no metrics document holds more points than this. */
const MAX_SLICE = 2 ** 31 - 1;

/** `<prefix>_metrics` when Sacred created it, else the shared `metrics` collection. */
export function metricsTarget(prefix: string | null, existing: ReadonlySet<string>): MetricsTarget {
  if (prefix === null) return { collection: 'metrics', shared: false };
  const own = `${prefix}_metrics`;
  return existing.has(own)
    ? { collection: own, shared: false }
    : { collection: 'metrics', shared: true };
}

/**
 * The metrics of many runs with a handful of queries: one `$in` over every referenced
 * metrics document id, then one `$in` over run ids for the runs whose references are
 * missing or stale (older Sacred, a run killed between the push and the next beat).
 */
export async function fetchRunMetrics(
  db: Db,
  target: MetricsTarget,
  requests: readonly RunMetricsRequest[],
  known?: KnownPointsLookup,
  meter?: { bytes: number },
): Promise<Map<string, RunMetrics>> {
  const collection = db.collection(target.collection);
  const measure = (doc: Document): void => {
    if (meter !== undefined) meter.bytes += metricDocumentBytes(doc);
  };
  const ids = new Set<string>();
  for (const request of requests) {
    for (const ref of request.refs) if (ref.id !== null && isObjectIdHex(ref.id)) ids.add(ref.id);
  }
  const growth = await growingMetrics(db, target.collection, requests, known);
  const byId = new Map<string, Document>();
  for (const id of [...growth.reuse.keys(), ...growth.tails.keys()]) ids.delete(id);
  const tails = await fetchTails(db, target.collection, growth.tails);
  for (const tail of tails.values()) measure(tail.doc);
  // A tail that did not come back (the document went away) is fetched whole below.
  for (const id of growth.tails.keys()) if (!tails.has(id)) ids.add(id);
  const idList = [...ids];
  for (let start = 0; start < idList.length; start += ID_BATCH) {
    const batch = idList
      .slice(start, start + ID_BATCH)
      .map((id) => new (mongoDriver().ObjectId)(id));
    const cursor = collection.find({ _id: { $in: batch } }, WHOLE_RAW);
    for await (const raw of cursor) {
      const doc = readRaw(raw, meter);
      if (doc._id instanceof mongoDriver().ObjectId) byId.set(doc._id.toHexString(), doc);
    }
  }

  // Runs that need the run_id fallback, and for which names (null: every name).
  const fallback = new Map<string, { runId: unknown; names: Set<string> | null }>();
  for (const request of requests) {
    const missing = request.refs.filter(
      (ref) =>
        ref.id === null || (!byId.has(ref.id) && !growth.reuse.has(ref.id) && !tails.has(ref.id)),
    );
    if (request.refs.length === 0) {
      // Without references, a shared collection cannot tell whose run_id 1 this is.
      if (!target.shared)
        fallback.set(idMatchKey(request.runId), { runId: request.runId, names: null });
    } else if (missing.length > 0) {
      const key = idMatchKey(request.runId);
      const entry = fallback.get(key) ?? { runId: request.runId, names: new Set<string>() };
      for (const ref of missing) entry.names?.add(ref.name);
      fallback.set(key, entry);
    }
  }
  const byRun = new Map<string, Document[]>();
  const fallbackRuns = [...fallback.values()];
  for (let start = 0; start < fallbackRuns.length; start += RUN_BATCH) {
    const batch = fallbackRuns.slice(start, start + RUN_BATCH).map((entry) => entry.runId);
    const cursor = collection.find({ run_id: { $in: batch } }, WHOLE_RAW);
    for await (const raw of cursor) {
      const doc = readRaw(raw, meter);
      const key = idMatchKey(doc.run_id);
      const list = byRun.get(key);
      if (list === undefined) byRun.set(key, [doc]);
      else list.push(doc);
    }
  }

  const result = new Map<string, RunMetrics>();
  for (const request of requests) {
    const metrics: ParsedMetric[] = [];
    const warnings: string[] = [];
    const candidates = byRun.get(idMatchKey(request.runId)) ?? [];
    if (request.refs.length === 0) {
      for (const doc of candidates) {
        const name = typeof doc.name === 'string' ? doc.name : null;
        if (name !== null) metrics.push(toParsedMetric(name, doc, warnings));
      }
    }
    for (const ref of request.refs) {
      const reused = ref.id === null ? undefined : growth.reuse.get(ref.id);
      if (reused !== undefined) {
        metrics.push(knownMetric(ref.name, reused));
        continue;
      }
      const tail = ref.id === null ? undefined : tails.get(ref.id);
      if (tail !== undefined) {
        metrics.push(
          appendPoints(ref.name, tail.known, toParsedMetric(ref.name, tail.doc, warnings)),
        );
        continue;
      }
      const byRef = ref.id === null ? undefined : byId.get(ref.id);
      if (byRef !== undefined) {
        metrics.push(toParsedMetric(ref.name, byRef, warnings));
        continue;
      }
      const named = candidates.filter((doc) => doc.name === ref.name);
      if (named.length === 1) {
        metrics.push(toParsedMetric(ref.name, named[0] as Document, warnings));
      } else if (named.length > 1) {
        warnings.push(
          `metric "${ref.name}": ${named.length} documents in ${target.collection} match its run id; none is shown`,
        );
      } else {
        warnings.push(`metric "${ref.name}" is missing from ${target.collection}`);
      }
    }
    result.set(request.key, { metrics, warnings });
  }
  return result;
}

/**
 * One metrics document as the driver hands it with `raw: true` (a Buffer), decoded with its
 * points as Float64Arrays; the bytes are what crossed the network.
 */
function readRaw(raw: unknown, meter: { bytes: number } | undefined): Document {
  if (!(raw instanceof Uint8Array)) return compactMetricDocument(raw as Document);
  if (meter !== undefined) meter.bytes += raw.byteLength;
  return readRawMetricDocument(raw, (text) => timestampMs(text));
}

/** NaN-aware equality of a server summary value and a cached point (null is stored as NaN). */
function samePoint(server: number | null, cached: number | undefined): boolean {
  if (cached === undefined) return false;
  const value = server ?? NaN;
  return Object.is(value, cached) || value === cached;
}

/**
 * Which referenced metrics documents the cache already holds the start of: a summary
 * computed by the server (count, first and last value) tells whether a document is unchanged
 * (reuse the cached points) or grew (fetch only the new points). Sacred only ever appends.
 */
async function growingMetrics(
  db: Db,
  collection: string,
  requests: readonly RunMetricsRequest[],
  known: KnownPointsLookup | undefined,
): Promise<{ reuse: Map<string, KnownPoints>; tails: Map<string, KnownPoints> }> {
  const reuse = new Map<string, KnownPoints>();
  const tails = new Map<string, KnownPoints>();
  if (known === undefined) return { reuse, tails };
  const candidates = new Map<string, KnownPoints>();
  for (const request of requests) {
    for (const ref of request.refs) {
      if (ref.id === null || !isObjectIdHex(ref.id)) continue;
      const points = known(request.key, ref.name);
      if (points !== null && points.count > 0) candidates.set(ref.id, points);
    }
  }
  if (candidates.size === 0) return { reuse, tails };
  // Count, first and last tell growth; min/max would cost the server a pass over each array.
  const summaries = await summarizeMetricsInDatabase(db, collection, candidates.keys(), {
    minMax: false,
  });
  for (const [id, points] of candidates) {
    const summary = summaries.get(id);
    if (summary === undefined || summary.count < points.count) continue;
    if (!samePoint(summary.first, points.values[0])) continue;
    if (summary.count === points.count) {
      if (samePoint(summary.last, points.values[points.count - 1])) reuse.set(id, points);
    } else {
      tails.set(id, points);
    }
  }
  return { reuse, tails };
}

/**
 * The points past the cached ones, for many documents in one aggregation: `$slice` skips
 * what each document's cached count says, so only new points cross the network.
 */
async function fetchTails(
  db: Db,
  collection: string,
  wanted: ReadonlyMap<string, KnownPoints>,
): Promise<Map<string, { known: KnownPoints; doc: Document }>> {
  const out = new Map<string, { known: KnownPoints; doc: Document }>();
  const all = [...wanted];
  for (let start = 0; start < all.length; start += TAIL_BATCH) {
    const batch = all.slice(start, start + TAIL_BATCH);
    const skip = {
      $switch: {
        branches: batch.map(([id, points]) => ({
          case: { $eq: ['$_id', new (mongoDriver().ObjectId)(id)] },
          then: points.count,
        })),
        default: 0,
      },
    };
    const slice = (field: string) => ({
      $slice: [{ $ifNull: [`$${field}`, []] }, skip, MAX_SLICE],
    });
    const cursor = db.collection(collection).aggregate([
      { $match: { _id: { $in: batch.map(([id]) => new (mongoDriver().ObjectId)(id)) } } },
      {
        $project: {
          run_id: 1,
          name: 1,
          steps: slice('steps'),
          values: slice('values'),
          timestamps: slice('timestamps'),
        },
      },
    ]);
    for await (const doc of cursor) {
      if (!(doc._id instanceof mongoDriver().ObjectId)) continue;
      const id = doc._id.toHexString();
      const known = wanted.get(id);
      if (known !== undefined) out.set(id, { known, doc });
    }
  }
  return out;
}

function knownMetric(name: string, points: KnownPoints): ParsedMetric {
  return {
    name,
    steps: points.steps.subarray(0, points.count),
    values: points.values.subarray(0, points.count),
    timestamps: points.timestamps.subarray(0, points.count),
  };
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function appendPoints(name: string, known: KnownPoints, tail: ParsedMetric): ParsedMetric {
  const head = knownMetric(name, known);
  return {
    name,
    steps: concat(head.steps, tail.steps),
    values: concat(head.values, tail.values),
    timestamps: concat(head.timestamps, tail.timestamps),
  };
}

/** BSON bytes of one element of an array of 8-byte values: type, index key and NUL, value. */
function arrayBytes(length: number): number {
  let bytes = 5;
  for (let digits = 1, from = 0; from < length; digits++, from = from * 10 || 10) {
    const to = Math.min(length, from === 0 ? 10 : from * 10);
    bytes += (to - from) * (digits + 10);
  }
  return bytes;
}

/**
 * The size of a metrics document on the wire, computed from its array lengths: exact for
 * doubles and dates, and cheap, unlike serializing a 300k-point document again to measure it.
 */
export function metricDocumentBytes(doc: Document): number {
  let bytes = 64;
  for (const field of ['steps', 'values', 'timestamps']) {
    const value: unknown = doc[field];
    if (Array.isArray(value)) bytes += field.length + 2 + arrayBytes(value.length);
  }
  return bytes;
}

/** A metric value as a number: null (Python None) → NaN, booleans → 0/1, Long → number. */
export function metricNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'object' && value !== null && '_bsontype' in value) {
    const n = Number((value as { toString(): string }).toString());
    return Number.isNaN(n) ? NaN : n;
  }
  return NaN;
}

/**
 * A metric time in ms. BSON dates (what MongoObserver writes) hold whole milliseconds; a time
 * stored as text keeps its microseconds, as the folder reader keeps them.
 */
export function timestampMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const exact = sacredTimeToMs(value.trim());
    if (!Number.isNaN(exact)) return exact;
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/u.test(value) ? value : `${value}Z`);
    return Number.isNaN(ms) ? NaN : ms;
  }
  if (typeof value === 'number') return value;
  return NaN;
}

/**
 * The document with its point arrays already as Float64Arrays: a metric of 300k points as JS
 * values (a Date object per timestamp) takes several times the memory of the typed arrays,
 * and a batch of runs holds many of them until it is written.
 */
export function compactMetricDocument(doc: Document): Document {
  const out: Document = { ...doc };
  if (Array.isArray(doc.values)) out.values = toFloat64(doc.values, metricNumber);
  if (Array.isArray(doc.steps)) out.steps = toFloat64(doc.steps, metricNumber);
  if (Array.isArray(doc.timestamps)) out.timestamps = toFloat64(doc.timestamps, timestampMs);
  return out;
}

function isPoints(value: unknown): value is unknown[] | Float64Array {
  return Array.isArray(value) || value instanceof Float64Array;
}

function toFloat64(values: unknown, convert: (value: unknown) => number): Float64Array {
  if (values instanceof Float64Array) return values;
  if (!Array.isArray(values)) return new Float64Array(0);
  const out = new Float64Array(values.length);
  let lost = 0;
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    const n = convert(value);
    out[i] = n;
    // Null (Python None) and NaN itself are NaN as written; anything else was not a number.
    if (Number.isNaN(n) && value !== null && value !== undefined && typeof value !== 'number') {
      lost++;
    }
  }
  noteLost(out, lost);
  return out;
}

/** One metrics document `{steps, values, timestamps}` to parallel typed arrays. */
export function toParsedMetric(name: string, doc: Document, warnings: string[]): ParsedMetric {
  const values = toFloat64(doc.values, metricNumber);
  const steps = isPoints(doc.steps)
    ? toFloat64(doc.steps, metricNumber)
    : Float64Array.from(values, (_value, index) => index);
  const timestamps = isPoints(doc.timestamps)
    ? toFloat64(doc.timestamps, timestampMs)
    : new Float64Array(values.length).fill(NaN);
  if (steps.length !== values.length || timestamps.length !== values.length) {
    warnings.push(
      `metric "${name}" has ${steps.length} steps, ${values.length} values and ${timestamps.length} timestamps; the shortest length is kept`,
    );
  }
  warnings.push(
    ...unconvertedWarnings(name, { notNumbers: lostOf(values), badTimes: lostOf(timestamps) }),
  );
  return { name, steps, values, timestamps };
}

/** Per metrics document: what the listing shows, computed by the server. */
export interface DatabaseMetricSummary extends Omit<MetricSummaryValues, 'nonFinite'> {
  id: string;
  name: string | null;
  runId: unknown;
}

/**
 * Count, first, last, min and max of many metrics documents, computed by the server with an
 * aggregation: the arrays themselves never cross the network. Min/max skip NaN and null,
 * like the cache's own summaries.
 */
export async function summarizeMetricsInDatabase(
  db: Db,
  collection: string,
  ids: Iterable<string>,
  options: { minMax?: boolean } = {},
): Promise<Map<string, DatabaseMetricSummary>> {
  const minMax = options.minMax !== false;
  const all = [...new Set([...ids].filter(isObjectIdHex))];
  const out = new Map<string, DatabaseMetricSummary>();
  for (let start = 0; start < all.length; start += ID_BATCH) {
    const batch = all.slice(start, start + ID_BATCH).map((id) => new (mongoDriver().ObjectId)(id));
    const numeric = {
      $filter: {
        input: { $ifNull: ['$values', []] },
        as: 'v',
        // MongoDB's $min would return NaN (it sorts below every number); NaN equals NaN
        // in MongoDB's comparisons, so $ne drops it.
        cond: { $and: [{ $isNumber: '$$v' }, { $ne: ['$$v', NaN] }] },
      },
    };
    const cursor = db.collection(collection).aggregate([
      { $match: { _id: { $in: batch } } },
      {
        $project: {
          run_id: 1,
          name: 1,
          count: { $size: { $ifNull: ['$values', []] } },
          first: { $arrayElemAt: ['$values', 0] },
          last: { $arrayElemAt: ['$values', -1] },
          ...(minMax ? { min: { $min: numeric }, max: { $max: numeric } } : {}),
        },
      },
    ]);
    for await (const doc of cursor) {
      if (!(doc._id instanceof mongoDriver().ObjectId)) continue;
      const count = metricNumber(doc.count);
      // No values at all reads as the local summary of an empty metric: no first or last,
      // where a stored None point (null) is NaN like every other non-number.
      const hasValues = Number.isFinite(count) && count > 0;
      out.set(doc._id.toHexString(), {
        id: doc._id.toHexString(),
        name: typeof doc.name === 'string' ? doc.name : null,
        runId: doc.run_id,
        count: Number.isFinite(count) ? count : 0,
        first: hasValues && doc.first !== undefined ? metricNumber(doc.first) : null,
        last: hasValues && doc.last !== undefined ? metricNumber(doc.last) : null,
        min: doc.min === undefined || doc.min === null ? null : metricNumber(doc.min),
        max: doc.max === undefined || doc.max === null ? null : metricNumber(doc.max),
      });
    }
  }
  return out;
}
