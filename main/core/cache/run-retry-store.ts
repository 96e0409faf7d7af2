import type { Database } from 'better-sqlite3';

/**
 * Bookkeeping for runs whose latest read is not stored: the good cached copy stays, its
 * warnings say why, and the cached fingerprint is left (or made) stale so that the next sync
 * reads the run again.
 */

/** The note a kept copy carries; one per run, replaced at each sync that keeps the copy. */
export const KEPT_COPY_NOTE = 'showing the last good copy';

/** Whether a readable copy of the run is cached (half-written reads must not replace it). */
export function hasReadableCopy(db: Database, source: string, runId: string): boolean {
  const row = db
    .prepare('SELECT unreadable FROM runs WHERE source = ? AND run_id = ?')
    .get(source, runId) as { unreadable: string | null } | undefined;
  return row !== undefined && row.unreadable === null;
}

/**
 * Keeps the cached copy of a run and adds (or replaces) the note saying why. The fingerprint
 * is not touched: it is the one of the good read, so the next sync sees a change and reads
 * the run again.
 */
export function noteKeptCopy(db: Database, source: string, runId: string, note: string): void {
  const row = db
    .prepare('SELECT warnings FROM runs WHERE source = ? AND run_id = ?')
    .get(source, runId) as { warnings: string } | undefined;
  if (row === undefined) return;
  let warnings: unknown;
  try {
    warnings = JSON.parse(row.warnings);
  } catch {
    warnings = [];
  }
  const kept = (Array.isArray(warnings) ? warnings : []).filter(
    (line): line is string => typeof line === 'string' && !line.includes(KEPT_COPY_NOTE),
  );
  db.prepare('UPDATE runs SET warnings = ? WHERE source = ? AND run_id = ?').run(
    JSON.stringify([...kept, note]),
    source,
    runId,
  );
}

/**
 * Makes the runs whose warnings contain `marker` look changed, so the next sync reads them
 * again (after the user trusted or untrusted a folder, what they may name has changed).
 */
export function staleRunsWarning(db: Database, source: string, marker: string): number {
  return db
    .prepare(`UPDATE runs SET fingerprint = '' WHERE source = ? AND instr(warnings, ?) > 0`)
    .run(source, marker).changes;
}
