// What Omniboard should answer, derived from what our reader (the core) gives for the same
// runs: its JSON spelling of values, its status rule, and mongod's semantics for the
// aggregates of its metric columns (server/runs.response.js).
import type { JsonValue } from '../../shared/contract';
import type { Json, MetricColumnDef } from './omniboard-api';

/**
 * A value as it reaches Omniboard's UI: BSON read by the Node driver (NaN, ±Infinity kept)
 * and sent by Express's res.json (JSON.stringify: non-finite numbers become null). Our
 * reader spells them "NaN"/"Infinity"/"-Infinity" instead.
 */
export function asOmniboardJson(value: JsonValue | undefined): Json {
  if (value === undefined || value === null) return null;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => asOmniboardJson(item));
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: asOmniboardJson(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** A number as JSON carries it: NaN and ±Infinity become null. */
export function jsonNumber(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : value;
}

/** Omniboard's status column: RUNNING with no beat for 120 s is PROBABLY_DEAD. */
export function omniboardStatus(
  run: { status: string; heartbeat: string | null; start_time: string | null },
  nowMs: number,
): string {
  if (run.status !== 'RUNNING') return run.status;
  const last = run.heartbeat ?? run.start_time;
  if (last === null) return run.status;
  return nowMs - Date.parse(last) > 120_000 ? 'PROBABLY_DEAD' : run.status;
}

/** Omniboard's duration column: heartbeat − start_time in ms, null when either is missing. */
export function omniboardDuration(run: {
  heartbeat: string | null;
  start_time: string | null;
}): number | null {
  if (run.heartbeat === null || run.start_time === null) return null;
  return Date.parse(run.heartbeat) - Date.parse(run.start_time);
}

/**
 * One metric's stored values as mongod's aggregation sees them: our reader's series, with
 * the points that were a BSON null (Python None) told apart from NaN. Both are NaN in the
 * reader's Float64Array, but mongod skips nulls where it orders NaN below every number.
 */
export interface StoredSeries {
  values: Float64Array;
  /** Indexes whose stored value is null. */
  nulls: ReadonlySet<number>;
}

function bsonValues(series: StoredSeries): (number | null)[] {
  return Array.from(series.values, (value, i) => (series.nulls.has(i) ? null : value));
}

/** $min/$max over an array: nulls skipped, NaN below every number (BSON order). */
function extreme(values: (number | null)[], direction: 1 | -1): number | null {
  let best: number | null = null;
  for (const value of values) {
    if (value === null) continue;
    if (best === null) {
      best = value;
      continue;
    }
    const order = Number.isNaN(value)
      ? Number.isNaN(best)
        ? 0
        : -1
      : Number.isNaN(best)
        ? 1
        : Math.sign(value - best);
    if (order * direction > 0) best = value;
  }
  return best;
}

/** $avg: non-numbers (null) skipped; NaN makes NaN; no numbers gives null. */
function average(values: (number | null)[]): number | null {
  const numbers = values.filter((value): value is number => value !== null);
  if (numbers.length === 0) return null;
  return numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
}

/**
 * The value Omniboard's metric column has for a run (before JSON): null when the run did
 * not log the metric, else the column's `extrema` over the stored values.
 */
export function metricColumnValue(
  column: MetricColumnDef,
  series: StoredSeries | null,
): number | null {
  if (series === null) return null;
  const values = bsonValues(series);
  switch (column.extrema) {
    case 'min':
      return extreme(values, -1);
    case 'max':
      return extreme(values, 1);
    case 'avg':
      return average(values);
    case 'last':
      return values.length === 0 ? null : (values[values.length - 1] ?? null);
    case 'last_avg':
      return values.length === 0 ? null : average(values.slice(-(column.lastn ?? 1)));
  }
}

/**
 * Equal as Omniboard's JSON number and ours: mongod adds doubles in extended precision
 * ($sum/$avg use a double-double sum), so an average may differ in its last bits.
 */
export function sameNumber(actual: Json | undefined, expected: number | null): boolean {
  const want = jsonNumber(expected);
  if (want === null || actual === null || actual === undefined) return want === (actual ?? null);
  if (typeof actual !== 'number') return false;
  return Math.abs(actual - want) <= 1e-12 * Math.max(1, Math.abs(want));
}
