/** One cached artifact file as the eviction rule sees it. */
export interface CacheEntry {
  id: string;
  bytes: number;
  /** Milliseconds; larger is more recent. */
  lastAccess: number;
  /** No run refers to it any more (its source or run was removed): it goes first. */
  orphan?: boolean;
}

/**
 * The entries to delete so that the rest fit in `capBytes`: orphans first, then least recently
 * used first (ties by id, so the choice is deterministic). Entries in `keep` (a file being
 * written for the same request) are never chosen, even if the rest then stays over the cap.
 */
export function selectEvictions(
  entries: readonly CacheEntry[],
  capBytes: number,
  keep: ReadonlySet<string> = new Set(),
): string[] {
  let total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  const orphans = entries.filter((entry) => entry.orphan === true && !keep.has(entry.id));
  const evicted = orphans.map((entry) => entry.id);
  total -= orphans.reduce((sum, entry) => sum + entry.bytes, 0);
  if (total <= capBytes) return evicted;
  const candidates = entries
    .filter((entry) => entry.orphan !== true && !keep.has(entry.id))
    .sort((a, b) => a.lastAccess - b.lastAccess || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const entry of candidates) {
    if (total <= capBytes) break;
    evicted.push(entry.id);
    total -= entry.bytes;
  }
  return evicted;
}
