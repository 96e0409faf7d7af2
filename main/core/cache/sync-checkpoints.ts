import type { Database } from 'better-sqlite3';

/**
 * WAL pages a sync lets pile up before SQLite copies them into the database (64 MiB at the
 * default 4 KiB page). SQLite's default is 1000 pages (4 MiB): a first sync writing ~60 KB a run
 * then checkpoints every ~70 runs, and each checkpoint waits for two fsyncs and writes the hot
 * index pages again. In a CPU profile of a 2k-run first sync the commits were more than half of
 * the transactions' wall time with little CPU: those waits (issue 13).
 */
export const SYNC_CHECKPOINT_PAGES = 16384;

/**
 * WAL size (bytes) the file is cut back to once a checkpoint has copied it all: without a
 * limit the WAL stays as large as the biggest sync made it for as long as the cache is open.
 */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Checkpoints every SYNC_CHECKPOINT_PAGES instead of every 1000 pages while a sync writes;
 * the returned function puts the previous setting back and checkpoints what the sync left in
 * the WAL (PASSIVE: it never waits for a reader, so it cannot hang the core's thread), so the
 * next small write does not pay for the sync's pages.
 */
export function deferCheckpoints(db: Database): () => void {
  const previous = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  if (previous <= 0 || previous >= SYNC_CHECKPOINT_PAGES) return () => undefined;
  db.pragma(`wal_autocheckpoint = ${SYNC_CHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  return () => {
    if (!db.open) return;
    db.pragma(`wal_autocheckpoint = ${previous}`);
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or failing: the next commit's automatic checkpoint tries again.
    }
  };
}
