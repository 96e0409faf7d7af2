import type { Database, Statement } from 'better-sqlite3';
import { endianness } from 'node:os';
import type { Column } from './column';
import type { ColumnOrder, RunLayout } from './column-order';
import { groupOf } from './sort-rows';
import type { SourceSegment } from './source-segment';

/**
 * How a stored order is encoded and what it orders by: bump it whenever column-order.ts,
 * sort-rows.ts's order of values or a column loader changes what a column's order is, so that
 * orders an older app stored are built again instead of used.
 */
export const STORED_ORDER_FORMAT = 1;
/**
 * Rows kept (the most recently saved): the engine keeps 24 columns' keys in memory, a user's
 * views name a few dozen columns. ~4 bytes a run each (0.4 MB at 100k runs).
 */
export const STORED_ORDERS_KEPT = 32;

interface StoredRow {
  ascending: Buffer;
  group_starts: Buffer;
  value_end: number;
}

/**
 * The run table's sort keys (column-order.ts ColumnOrder) kept in the cache file
 * (stored_column_orders, migration 17) across restarts: a key is stored once built and read
 * back when a new engine (the app started again) needs the key of the same column over the
 * same sources. It is used only if every source's run_versions counter and run count are
 * still those it was built at (a sync, a live refresh or another process writing any run of
 * a source moves its counter; such a key is built again and stored anew), and if the order
 * it reads passes checks against the loaded columns (a permutation; values ascending). Any
 * failure to read or write (a cache without the table, a read-only file, another process
 * writing) means the key is built as before: storing is an optimisation, never an error.
 */
export class StoredColumnOrders {
  private readonly select: Statement | null;
  private readonly upsert: Statement | null;
  private readonly trim: Statement | null;

  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {
    const usable =
      // The blobs are the typed arrays' bytes: little-endian, as on every platform we ship.
      endianness() === 'LE' &&
      db
        .prepare(
          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stored_column_orders'",
        )
        .get() !== undefined;
    this.select = usable
      ? db.prepare(
          `SELECT ascending, group_starts, value_end FROM stored_column_orders
           WHERE column_id = ? AND sources = ? AND stamps = ? AND format = ?`,
        )
      : null;
    this.upsert =
      usable && !db.readonly
        ? db.prepare(
            `INSERT OR REPLACE INTO stored_column_orders
               (column_id, sources, stamps, format, ascending, group_starts, value_end, saved_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
        : null;
    this.trim =
      usable && !db.readonly
        ? db.prepare(
            `DELETE FROM stored_column_orders WHERE rowid NOT IN (
               SELECT rowid FROM stored_column_orders ORDER BY saved_at DESC, rowid DESC LIMIT ?)`,
          )
        : null;
  }

  /**
   * The stored order of column `id` over these segments' runs, laid out as `layout` (made
   * from the same segments), for `columns` (the segments' loaded columns of `id`); null when
   * none is stored for the segments as they are now, or when it does not check out.
   */
  load(
    id: string,
    segments: readonly SourceSegment[],
    layout: RunLayout,
    columns: readonly Column[],
  ): ColumnOrder | null {
    if (this.select === null || !this.db.open || !storable(segments)) return null;
    let row: StoredRow | undefined;
    try {
      row = this.select.get(
        id,
        sourcesOf(segments),
        this.stampsOf(segments),
        STORED_ORDER_FORMAT,
      ) as StoredRow | undefined;
    } catch {
      return null;
    }
    if (row === undefined) return null;
    const n = layout.rowOf.length;
    if (row.ascending.byteLength !== n * 4 || row.group_starts.byteLength !== ((n >>> 5) + 1) * 4)
      return null;
    const order: ColumnOrder = {
      columns,
      layout,
      ascending: uint32s(row.ascending),
      groupStarts: uint32s(row.group_starts),
      valueEnd: row.value_end,
    };
    return orderChecksOut(order) ? order : null;
  }

  /**
   * Stores a built order of column `id` over these segments (keeping the newest rows only);
   * false when it could not be.
   */
  save(id: string, segments: readonly SourceSegment[], order: ColumnOrder): boolean {
    if (this.upsert === null || this.trim === null || !storable(segments)) return false;
    const upsert = this.upsert;
    const trim = this.trim;
    const bytes = (array: Uint32Array): Buffer =>
      Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    // The engine's idle step may come after the core closed the cache.
    if (!this.db.open) return false;
    // Never wait for another process's write (the connection's busy timeout is seconds, and
    // this runs on the thread that answers the window): skip, and store it another time.
    const timeout = Number(this.db.pragma('busy_timeout', { simple: true }));
    try {
      this.db.pragma('busy_timeout = 0');
      this.db.transaction(() => {
        upsert.run(
          id,
          sourcesOf(segments),
          this.stampsOf(segments),
          STORED_ORDER_FORMAT,
          bytes(order.ascending),
          bytes(order.groupStarts),
          order.valueEnd,
          this.now(),
        );
        trim.run(STORED_ORDERS_KEPT);
      })();
      return true;
    } catch {
      // Another process holds the write lock, the disk is full: the key is built next time.
      return false;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /** Each segment's version and run count, and the cache's schema version (a migration may
   * rewrite what columns read without moving run_versions). */
  private stampsOf(segments: readonly SourceSegment[]): string {
    const schema = Number(this.db.pragma('user_version', { simple: true }));
    return JSON.stringify([schema, ...segments.map((s) => [s.version, s.length])]);
  }
}

/** Whole sources only (a segment of some runs, `only`, is not what a table shows). */
function storable(segments: readonly SourceSegment[]): boolean {
  return segments.length > 0 && segments.every((segment) => segment.only === null);
}

function sourcesOf(segments: readonly SourceSegment[]): string {
  return JSON.stringify(segments.map((segment) => segment.source));
}

/** The blob's bytes as an aligned Uint32Array of its own. */
function uint32s(blob: Buffer): Uint32Array {
  const out = new Uint32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/** Adjacent pairs checked in full up to here, then one in CHECK_STRIDE (see orderChecksOut). */
const CHECK_ALL_BELOW = 4096;
const CHECK_STRIDE = 8;

/**
 * Whether a stored order fits the columns it is read for: a permutation of the layout's
 * positions, value groups ascending (bool < number < date < text < list/object, then NaN,
 * then null/missing), bools, numbers and dates ascending with a new run of equal values
 * exactly where they change, and `valueEnd` where the values end. The values are compared
 * for the first pairs of neighbours and then one pair in CHECK_STRIDE (each pair reads two
 * random places of the columns: all of them took ~10 ms a column at 100k runs on the loaded
 * machine, in the idle step a request may wait for). Texts are not compared (that would cost
 * what building the key costs). The stamps are what keeps a key right; this catches a key
 * stored for other values (a hole in the stamps, a file edited by hand).
 */
export function orderChecksOut(order: ColumnOrder): boolean {
  const { ascending, groupStarts, valueEnd, layout, columns } = order;
  const n = ascending.length;
  if (n !== layout.rowOf.length || valueEnd < 0 || valueEnd > n) return false;
  const seen = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const p = ascending[k] as number;
    if (p >= n || seen[p] === 1) return false;
    seen[p] = 1;
  }
  const keyAt = (k: number): { group: number; value: number } | null => {
    const p = ascending[k] as number;
    const column = columns[layout.segOf[p] as number];
    if (column === undefined) return null;
    const row = layout.rowOf[p] as number;
    const nums = column.numsIfAny();
    const value = nums === null ? 0 : (nums[row] as number);
    return { group: groupOf(column.kinds[row] as number, value), value };
  };
  const startsAt = (k: number): boolean =>
    ((groupStarts[k >>> 5] as number) & (1 << (k & 31))) !== 0;
  // Values end where the first NaN or null/missing starts.
  for (const k of [valueEnd - 1, valueEnd]) {
    if (k < 0 || k >= n) continue;
    const key = keyAt(k);
    if (key === null || key.group >= 6 !== k >= valueEnd) return false;
  }
  if (n > 0 && !startsAt(0)) return false;
  for (let k = 1; k < n; k += k < CHECK_ALL_BELOW ? 1 : CHECK_STRIDE) {
    const previous = keyAt(k - 1);
    const key = keyAt(k);
    if (previous === null || key === null || key.group < previous.group) return false;
    const starts = startsAt(k);
    if (key.group !== previous.group) {
      if (!starts) return false;
    } else if (key.group <= 3) {
      // Bools, numbers and dates by value; -0 sorts as 0 (sort-rows.ts), equal as numbers.
      if (key.value < previous.value || starts !== (key.value !== previous.value)) return false;
    } else if (key.group >= 6 && starts) return false; // NaN, and null/missing: one run each.
  }
  return true;
}
