import type { Database } from 'better-sqlite3';
import { Column, Kind } from './column';
import { newSortKey, sortByKeys } from './sort-rows';
import type { SortKey } from './sort-rows';

/**
 * Everything the run table keeps in memory about one source at one version: its run ids in
 * a fixed order (run_id order, the primary key's) and the columns built so far.
 */
export class SourceSegment {
  readonly ids: string[];
  readonly length: number;
  /** Default order of the rows (newest start first, then numeric ids descending). */
  readonly baseOrder: Uint32Array;
  readonly columns = new Map<string, Column>();
  readonly status: Column;
  readonly startTime: Column;
  readonly stopTime: Column;
  readonly heartbeat: Column;
  readonly beatIntervalS: Float64Array;
  /** The tags as the readers stored them (omniboard.tags, else config.tags), JSON lists. */
  readonly storedTags: Column;
  private rowOfId: Map<string, number> | null = null;

  constructor(
    readonly source: string,
    readonly version: number,
    rows: ReadonlyArray<readonly unknown[]>,
  ) {
    const n = rows.length;
    this.length = n;
    this.ids = new Array<string>(n);
    this.status = new Column(n);
    this.startTime = new Column(n);
    this.stopTime = new Column(n);
    this.heartbeat = new Column(n);
    this.beatIntervalS = new Float64Array(n);
    this.storedTags = new Column(n);
    // The short text columns come in the same pass over the covering index.
    const brief = ['experiment', 'command', 'host', 'notes'].map((id) => {
      const column = new Column(n);
      this.columns.set(id, column);
      return column;
    });
    for (let i = 0; i < n; i++) {
      const row = rows[i] as unknown[];
      this.ids[i] = row[0] as string;
      this.status.setString(i, row[1] as string);
      setDate(this.startTime, i, row[2], row[6]);
      setDate(this.stopTime, i, row[3], row[7]);
      setDate(this.heartbeat, i, row[4], row[8]);
      this.beatIntervalS[i] = row[5] as number;
      brief.forEach((column, k) => {
        const value = row[9 + k];
        if (typeof value === 'string') column.setString(i, value);
      });
      const tags = row[13];
      if (typeof tags === 'string' && tags.startsWith('[')) this.storedTags.setListJson(i, tags);
    }
    this.baseOrder = defaultOrder(this);
  }

  /**
   * One pass over the covering index runs_table_brief. SQLite turns the times into epoch ms
   * itself (no string per time crosses into JS); a time it cannot read comes back as text.
   */
  static load(db: Database, source: string, version: number): SourceSegment {
    const ms = (column: string): string => `unixepoch(${column}, 'subsec') * 1000`;
    const unreadable = (column: string): string =>
      `iif(${column} IS NOT NULL AND unixepoch(${column}) IS NULL, ${column}, NULL)`;
    const rows = db
      .prepare(
        `SELECT run_id, status, ${ms('start_time')}, ${ms('stop_time')}, ${ms('heartbeat')},
           beat_interval, ${unreadable('start_time')}, ${unreadable('stop_time')},
           ${unreadable('heartbeat')}, experiment, command, hostname, comment, tags
         FROM runs WHERE source = ? ORDER BY run_id`,
      )
      .raw()
      .all(source) as unknown[][];
    return new SourceSegment(source, version, rows);
  }

  rowOf(id: string): number | undefined {
    if (this.rowOfId === null) {
      this.rowOfId = new Map();
      this.ids.forEach((runId, row) => this.rowOfId?.set(runId, row));
    }
    return this.rowOfId.get(id);
  }
}

function setDate(column: Column, row: number, ms: unknown, text: unknown): void {
  if (typeof ms === 'number') column.setDate(row, Math.round(ms));
  else if (typeof text === 'string') column.setString(row, text);
}

const NUMERIC_ID = /^[0-9]{1,15}$/u;

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
    descending(byId, p, NUMERIC_ID.test(id) ? Number(id) : null);
  }
  const order = sortByKeys([byStart, byId], n);
  for (let k = 0; k < n; k++) order[k] = n - 1 - (order[k] as number);
  return order;
}
