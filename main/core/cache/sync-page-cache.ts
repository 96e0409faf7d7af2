import type { Database } from 'better-sqlite3';

/**
 * Page cache (KiB) while a sync writes. A group commit's 64 runs change ~3.5 MB of pages, more
 * than the connection's 2 MB (open-database.ts), so SQLite spilled dirty pages to the WAL
 * inside the transaction, and in WAL mode copied each spilled page to the open statement's
 * journal first (a file past 64 KiB): a 2k-run first sync wrote 204 MB of statement journals
 * with 2 MB, 130 MB with 4 MB and 124 MB with 8 MB (the statements' own pages only; 32 MB
 * wrote no less), and WAL frames 83k → 56k; the writes' CPU 1.33–1.55 s → 1.01–1.14 s
 * (issue 13, alternated in one process).
 */
export const SYNC_PAGE_CACHE_KIB = 8000;

/**
 * Widens the connection's page cache for a sync; the returned function puts the previous size
 * back and hands the freed pages' memory back, so that the cache's 2 MB bound holds between
 * syncs. A cache already as big (another sync running) is left as it is.
 */
export function widenPageCacheForSync(db: Database): () => void {
  const previous = db.pragma('cache_size', { simple: true }) as number;
  if (previous >= 0 || -previous >= SYNC_PAGE_CACHE_KIB) return () => undefined;
  db.pragma(`cache_size = -${SYNC_PAGE_CACHE_KIB}`);
  return () => {
    if (!db.open) return;
    db.pragma(`cache_size = ${previous}`);
    db.pragma('shrink_memory');
  };
}
