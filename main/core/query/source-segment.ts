import type { Database } from 'better-sqlite3';
import { runIdNumber } from '../../../shared/run-id-order';
import { Column, Kind } from './column';
import { newSortKey, sortByKeys } from './sort-rows';
import type { SortKey } from './sort-rows';

/** The parts of a segment, as loaded or as patched from an older one (refresh-segment.ts). */
export interface SegmentParts {
  ids: string[];
  status: Column;
  startTime: Column;
  stopTime: Column;
  heartbeat: Column;
  beatIntervalS: Float64Array;
  storedTags: Column;
  columns: Map<string, Column>;
  /** Computed from the rows when null. */
  baseOrder: Uint32Array | null;
  /** run id → row, when already known for these very ids. */
  rowOfId?: Map<string, number> | null;
}

/**
 * Everything the run table keeps in memory about one source at one version: its run ids in
 * a fixed order (run_id order, the primary key's) and the columns built so far.
 */
export class SourceSegment {
  readonly ids: string[];
  readonly length: number;
  /** Default order of the rows (newest start first, then numeric ids descending). */
  readonly baseOrder: Uint32Array;
  readonly columns: Map<string, Column>;
  readonly status: Column;
  readonly startTime: Column;
  readonly stopTime: Column;
  readonly heartbeat: Column;
  readonly beatIntervalS: Float64Array;
  /** The tags as the readers stored them (omniboard.tags, else config.tags), JSON lists. */
  readonly storedTags: Column;
  private rowOfId: Map<string, number> | null;

  constructor(
    readonly source: string,
    readonly version: number,
    parts: SegmentParts,
    /**
     * The run ids (JSON list) this segment is limited to: the changed runs a refresh reads
     * (column loaders then read those runs only); null for every run of the source.
     */
    readonly only: string | null = null,
  ) {
    this.ids = parts.ids;
    this.length = parts.ids.length;
    this.status = parts.status;
    this.startTime = parts.startTime;
    this.stopTime = parts.stopTime;
    this.heartbeat = parts.heartbeat;
    this.beatIntervalS = parts.beatIntervalS;
    this.storedTags = parts.storedTags;
    this.columns = parts.columns;
    this.rowOfId = parts.rowOfId ?? null;
    this.baseOrder = parts.baseOrder ?? defaultOrder(this);
  }

  static fromBrief(
    source: string,
    version: number,
    rows: BriefRows,
    only: string | null = null,
  ): SourceSegment {
    const n = rows.ids.length;
    const status = new Column(n);
    const times = [new Column(n), new Column(n), new Column(n)] as const;
    const storedTags = new Column(n);
    const columns = new Map<string, Column>();
    times.forEach((column, k) => {
      const ms = rows.times[k] as Float64Array;
      for (let i = 0; i < n; i++) {
        const value = ms[i] as number;
        if (value === value) column.setDate(i, value);
      }
    });
    for (const [row, k, text] of rows.unreadable) (times[k] as Column).setString(row, text);
    for (let i = 0; i < n; i++) status.setString(i, rows.status[i] as string);
    // experiment, command, host, notes: the short text columns come in the same pass.
    BRIEF_COLUMNS.forEach((id, k) => {
      const column = new Column(n);
      const values = rows.brief[k] as (string | null)[];
      for (let i = 0; i < n; i++) {
        const value = values[i];
        if (typeof value === 'string') column.setString(i, value);
      }
      columns.set(id, column);
    });
    for (let i = 0; i < n; i++) {
      const tags = rows.tags[i];
      if (typeof tags === 'string' && tags.startsWith('[')) storedTags.setListJson(i, tags);
    }
    const [startTime, stopTime, heartbeat] = times;
    for (const column of [status, ...times, storedTags, ...columns.values()]) column.dropLookup();
    const parts = { ids: rows.ids, status, startTime, stopTime, heartbeat, storedTags, columns };
    return new SourceSegment(
      source,
      version,
      { ...parts, beatIntervalS: rows.beatIntervalS, baseOrder: null },
      only,
    );
  }

  /**
   * One pass over the covering index runs_table_brief, each column aggregated by SQLite into
   * one text (a row per run would cost a JS array and its values per run, most of the load).
   * SQLite turns the times into epoch ms itself. Separators: unit separator (31) between
   * texts, record separator (30) for a missing text; a text holding either (never seen in
   * practice) makes the load read row by row instead. With `only`, just those runs (the
   * ones that exist), for a refresh.
   */
  static load(
    db: Database,
    source: string,
    version: number,
    only: readonly string[] | null = null,
  ): SourceSegment {
    const json = only === null ? null : JSON.stringify(only);
    const rows = loadCompact(db, source, json) ?? loadByRow(db, source, json);
    return SourceSegment.fromBrief(source, version, rows, json);
  }

  rowOf(id: string): number | undefined {
    if (this.rowOfId === null) {
      this.rowOfId = new Map();
      this.ids.forEach((runId, row) => this.rowOfId?.set(runId, row));
    }
    return this.rowOfId.get(id);
  }

  /** The run id → row map if it was built (a refresh that keeps every id reuses it). */
  builtRowMap(): Map<string, number> | null {
    return this.rowOfId;
  }
}

/** The brief text columns a segment loads with its rows, in BriefRows.brief order. */
export const BRIEF_COLUMNS = ['experiment', 'command', 'host', 'notes'] as const;

/** SQL restricting `runs` (or a table with run_id) to a segment's runs: after `source = ?`. */
export function onlyRuns(only: string | null, alias = ''): string {
  return only === null ? '' : ` AND ${alias}run_id IN (SELECT value FROM json_each(?))`;
}

/** The parameters of onlyRuns (none for a whole source). */
export function onlyParams(only: string | null): string[] {
  return only === null ? [] : [only];
}

/** The runs_table_brief columns of a source, column by column, rows in run_id order. */
export interface BriefRows {
  ids: string[];
  status: string[];
  /** Epoch ms of start, stop and heartbeat; NaN when missing or unreadable. */
  times: [Float64Array, Float64Array, Float64Array];
  /** Times SQLite cannot read, kept as written: row, which time (0..2), text. */
  unreadable: [number, number, string][];
  beatIntervalS: Float64Array;
  /** experiment, command, hostname, comment. */
  brief: [(string | null)[], (string | null)[], (string | null)[], (string | null)[]];
  tags: string[];
}

const TIMES = ['start_time', 'stop_time', 'heartbeat'] as const;
const TEXTS = ['experiment', 'command', 'hostname', 'comment'] as const;
const UNIT = String.fromCharCode(31);
const NONE = String.fromCharCode(30);

function loadCompact(db: Database, source: string, only: string | null): BriefRows | null {
  const ms = (k: number): string => `ms${k}`;
  const texts = (column: string): string => `group_concat(ifnull(${column}, char(30)), char(31))`;
  const row = db
    .prepare(
      `SELECT count(*), group_concat(run_id, char(31)), group_concat(status, char(31)),
         ${TIMES.map((_, k) => `group_concat(ifnull(${ms(k)}, ''), ',')`).join(', ')},
         group_concat(printf('%!.17g', beat_interval), ','),
         ${TEXTS.map(texts).join(', ')}, group_concat(tags, char(31)),
         sum(${TIMES.map((time, k) => `(${time} IS NOT NULL AND ${ms(k)} IS NULL)`).join(' + ')}),
         sum(${TEXTS.map((text) => `ifnull(${text} = char(30), 0)`).join(' + ')})
       FROM (
         SELECT run_id, status, beat_interval, ${TEXTS.join(', ')}, tags, ${TIMES.join(', ')},
           ${TIMES.map((time, k) => `CAST(round(unixepoch(${time}, 'subsec') * 1000) AS INTEGER) AS ${ms(k)}`).join(', ')}
         FROM runs WHERE source = ?${onlyRuns(only)} ORDER BY run_id
       )`,
    )
    .raw()
    .get(source, ...onlyParams(only)) as unknown[];
  const n = row[0] as number;
  if (n === 0) return null;
  const split = (value: unknown, separator: string): string[] | null => {
    const parts = (value as string).split(separator);
    return parts.length === n ? parts : null;
  };
  const ids = split(row[1], UNIT);
  const status = split(row[2], UNIT);
  const times = [3, 4, 5].map((k) => split(row[k], ','));
  const beats = split(row[6], ',');
  const brief = [7, 8, 9, 10].map((k) => split(row[k], UNIT));
  const tags = split(row[11], UNIT);
  const unreadable = row[12] as number;
  if (
    ids === null ||
    status === null ||
    beats === null ||
    tags === null ||
    (row[13] as number) > 0 ||
    times.some((parts) => parts === null) ||
    brief.some((parts) => parts === null)
  ) {
    return null;
  }
  const toNumbers = (parts: string[]): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const part = parts[i] as string;
      out[i] = part === '' ? NaN : Number(part);
    }
    return out;
  };
  const rows: BriefRows = {
    ids,
    status,
    times: times.map((parts) => toNumbers(parts as string[])) as BriefRows['times'],
    unreadable: [],
    beatIntervalS: toNumbers(beats),
    brief: brief.map((parts) =>
      (parts as string[]).map((part) => (part === NONE ? null : part)),
    ) as BriefRows['brief'],
    tags,
  };
  if (unreadable > 0) {
    const texts = db
      .prepare(
        `SELECT run_id, ${TIMES.map((time) => `iif(${time} IS NOT NULL AND unixepoch(${time}) IS NULL, ${time}, NULL)`).join(', ')}
         FROM runs WHERE source = ?${onlyRuns(only)}
           AND (${TIMES.map((time) => `(${time} IS NOT NULL AND unixepoch(${time}) IS NULL)`).join(' OR ')})`,
      )
      .raw()
      .all(source, ...onlyParams(only)) as [string, unknown, unknown, unknown][];
    const rowOf = new Map(ids.map((id, i) => [id, i]));
    for (const [id, ...values] of texts) {
      const at = rowOf.get(id);
      if (at === undefined) return null;
      values.forEach((text, k) => {
        if (typeof text === 'string') rows.unreadable.push([at, k, text]);
      });
    }
  }
  return rows;
}

/** The same, a row per run: for texts holding the separators. */
function loadByRow(db: Database, source: string, only: string | null): BriefRows {
  const rows = db
    .prepare(
      `SELECT run_id, status, ${TIMES.map((time) => `CAST(round(unixepoch(${time}, 'subsec') * 1000) AS INTEGER)`).join(', ')},
         beat_interval,
         ${TIMES.map((time) => `iif(${time} IS NOT NULL AND unixepoch(${time}) IS NULL, ${time}, NULL)`).join(', ')},
         ${TEXTS.join(', ')}, tags
       FROM runs WHERE source = ?${onlyRuns(only)} ORDER BY run_id`,
    )
    .raw()
    .all(source, ...onlyParams(only)) as unknown[][];
  const n = rows.length;
  const out: BriefRows = {
    ids: new Array<string>(n),
    status: new Array<string>(n),
    times: [new Float64Array(n), new Float64Array(n), new Float64Array(n)],
    unreadable: [],
    beatIntervalS: new Float64Array(n),
    brief: [new Array(n), new Array(n), new Array(n), new Array(n)],
    tags: new Array<string>(n),
  };
  rows.forEach((row, i) => {
    out.ids[i] = row[0] as string;
    out.status[i] = row[1] as string;
    out.times.forEach((ms, k) => {
      const value = row[2 + k];
      ms[i] = typeof value === 'number' ? value : NaN;
      const text = row[6 + k];
      if (typeof text === 'string') out.unreadable.push([i, k, text]);
    });
    out.beatIntervalS[i] = row[5] as number;
    out.brief.forEach((values, k) => {
      const value = row[9 + k];
      values[i] = typeof value === 'string' ? value : null;
    });
    out.tags[i] = row[13] as string;
  });
  return out;
}

/** The cache's listing order: start time descending (none last), numeric ids descending. */
function defaultOrder(segment: SourceSegment): Uint32Array {
  const n = segment.length;
  // Positions count rows backwards, so that the stable sort leaves ties in descending run_id.
  const byStart = newSortKey(n);
  const byId = newSortKey(n);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const descending = (key: SortKey, p: number, value: number | null): void => {
    if (value === null) {
      key.group[p] = 7;
      return;
    }
    f64[0] = value;
    let lo = u32[0] as number;
    let hi = u32[1] as number;
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    key.group[p] = 1;
    key.hi[p] = ~hi >>> 0;
    key.lo[p] = ~lo >>> 0;
  };
  for (let p = 0; p < n; p++) {
    const row = n - 1 - p;
    descending(
      byStart,
      p,
      segment.startTime.kinds[row] === Kind.Date ? (segment.startTime.nums[row] as number) : null,
    );
    const id = segment.ids[row] as string;
    descending(byId, p, runIdNumber(id));
  }
  const order = sortByKeys([byStart, byId], n);
  for (let k = 0; k < n; k++) order[k] = n - 1 - (order[k] as number);
  return order;
}

/**
 * defaultOrder as a comparison of two rows (negative: `a` comes first), for an order patched
 * after a few rows changed: start time descending (none last), numeric id descending (others
 * last), then the later row first. -0 after 0, as their bits sort.
 */
export function compareDefaultOrder(
  ids: readonly string[],
  startTime: Column,
  a: number,
  b: number,
): number {
  const start = (row: number): number | null =>
    startTime.kinds[row] === Kind.Date ? (startTime.nums[row] as number) : null;
  const numeric = (row: number): number | null => {
    return runIdNumber(ids[row] as string);
  };
  return descending(start(a), start(b)) || descending(numeric(a), numeric(b)) || b - a;
}

function descending(x: number | null, y: number | null): number {
  if (x === null) return y === null ? 0 : 1;
  if (y === null) return -1;
  if (x !== y) return x > y ? -1 : 1;
  if (x !== 0) return 0;
  const positiveX = Object.is(x, 0);
  return positiveX === Object.is(y, 0) ? 0 : positiveX ? -1 : 1;
}
