import type { Database } from 'better-sqlite3';

/**
 * WAL pages a sync lets pile up before SQLite copies them into the database (16 MiB at the
 * default 4 KiB page). SQLite's default is 1000 pages (4 MiB): a first sync writing ~60 KB a run
 * then checkpoints every ~70 runs, each waiting for two fsyncs and writing the hot index pages
 * again; in a 2k-run first sync the commits waited 5.0–7.0 s with 1000 pages, 5.2 s with 4096,
 * 3.5–4.5 s with 16384 (load 11–13, issue 13). Not more: a checkpoint runs inside the commit
 * that crosses the mark, on the core's thread, and the window's calls wait for it (longest
 * commit of 60 KB writes: 249 ms at 1000 pages, 401 ms at 4096, 871 ms at 16384, same load).
 */
export const SYNC_CHECKPOINT_PAGES = 4096;

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
