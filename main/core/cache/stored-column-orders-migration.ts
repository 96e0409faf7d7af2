import type { Database } from 'better-sqlite3';

/**
 * Migration 17 (issue 13): the run table's sort keys (column-order.ts) kept in the cache file,
 * so that the first sorts after the app restarts read a key instead of building every shown
 * column's key again (seconds at 100k runs). A row is one column's order over a set of
 * sources, stamped with each source's run_versions counter (moved by every write to its runs,
 * metrics or artifacts) at the time it was built: a row whose stamps are not the current
 * counters is never used (query/stored-column-orders.ts). Only this table; IF NOT EXISTS, as
 * migration 13.
 */
export function createStoredColumnOrders(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS stored_column_orders (
      column_id TEXT NOT NULL,
      -- JSON list of the source names, in the order of the layout.
      sources TEXT NOT NULL,
      -- JSON list of [version, run count] per source when the order was built.
      stamps TEXT NOT NULL,
      -- How the order is encoded and computed (query/stored-column-orders.ts FORMAT).
      format INTEGER NOT NULL,
      ascending BLOB NOT NULL,
      group_starts BLOB NOT NULL,
      value_end INTEGER NOT NULL,
      saved_at INTEGER NOT NULL,
      PRIMARY KEY (column_id, sources)
    );
  `);
}
