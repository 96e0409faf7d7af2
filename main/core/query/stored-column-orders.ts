import type { Database, Statement } from 'better-sqlite3';
import { endianness } from 'node:os';
import type { ColumnOrder } from './column-order';
import type { SourceSegment } from './source-segment';
import type { StoredOrder } from './stored-order-check';

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
 * it reads passes the checks of stored-order-check.ts (a permutation; values ascending). Any
 * failure to read or write (a cache without the table, a read-only file, another process
 * writing) means the key is built as before: storing is an optimisation, never an error.
 */
export class StoredColumnOrders {
  private readonly select: Statement | null;
  private readonly upsert: Statement | null;
  private readonly trim: Statement | null;
  private readonly remove: Statement | null;

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
    this.remove =
      usable && !db.readonly
        ? db.prepare('DELETE FROM stored_column_orders WHERE column_id = ? AND sources = ?')
        : null;
  }

  /**
   * Removes the stored order of column `id` over these segments (one that failed a check:
   * it would fail again at every read), when the file can be written without waiting.
   */
  discard(id: string, segments: readonly SourceSegment[]): void {
    const remove = this.remove;
    if (remove === null || !this.db.open) return;
    this.withoutWaiting(() => remove.run(id, sourcesOf(segments)));
  }

  /**
   * The stored order of column `id` over these segments' runs (n of them, in the layout made
   * from the same segments), if one of that size is stored for the segments as they are now;
   * the caller checks it (stored-order-check.ts), against the loaded columns or a sample of
   * runs read alone.
   */
  read(id: string, segments: readonly SourceSegment[], n: number): StoredOrder | null {
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
    if (row.ascending.byteLength !== n * 4 || row.group_starts.byteLength !== ((n >>> 5) + 1) * 4)
      return null;
    return {
      ascending: uint32s(row.ascending),
      groupStarts: uint32s(row.group_starts),
      valueEnd: row.value_end,
    };
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
    return this.withoutWaiting(() =>
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
      })(),
    );
  }

  /**
   * Runs a write without waiting for another process's (the connection's busy timeout is
   * seconds, and this runs on the thread that answers the window): false when it could not
   * be done now (another process holds the write lock, the disk is full).
   */
  private withoutWaiting(write: () => void): boolean {
    const timeout = Number(this.db.pragma('busy_timeout', { simple: true }));
    try {
      this.db.pragma('busy_timeout = 0');
      write();
      return true;
    } catch {
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
