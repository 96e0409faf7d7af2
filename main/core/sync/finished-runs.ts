import type { Database } from 'better-sqlite3';
import type { EventPayload } from '../../../shared/events';

export type FinishedRun = EventPayload<'runFinished'>;

interface RunningSnapshot {
  /** The source's run_versions counter when the ids were read (null: no run written yet). */
  version: number | null;
  ids: ReadonlySet<string>;
}

/** The source's run_versions counter: moved by every write to its runs (run-table-migration.ts). */
export function versionOf(db: Database, source: string): number | null {
  const row = db.prepare('SELECT version FROM run_versions WHERE source = ?').get(source) as
    { version: number } | undefined;
  return row?.version ?? null;
}

/**
 * The RUNNING runs of each source, read once and reused while the source's run_versions
 * counter stays (it only grows: a source removed and added again keeps counting). A sync that
 * changes nothing (a periodic one, an unreachable folder retried every few seconds) then
 * costs no read of them: at 100k runs with 10k RUNNING that read and the check after were
 * ~0.5 s of the thread that answers the window (issue 13, the first sort after a restart
 * waited for it).
 */
export class RunningRuns {
  private db: Database | null = null;
  private readonly bySource = new Map<string, RunningSnapshot>();

  of(db: Database, source: string): RunningSnapshot {
    // Another file (a restored backup): nothing read from the old one holds.
    if (db !== this.db) {
      this.db = db;
      this.bySource.clear();
    }
    const version = versionOf(db, source);
    const kept = this.bySource.get(source);
    if (kept !== undefined && kept.version === version) return kept;
    const rows = db
      .prepare("SELECT run_id FROM runs WHERE source = ? AND status = 'RUNNING'")
      .all(source) as { run_id: string }[];
    const snapshot = { version, ids: new Set(rows.map((row) => row.run_id)) };
    this.bySource.set(source, snapshot);
    return snapshot;
  }
}

/**
 * Which cached runs of a source leave RUNNING during one sync or live refresh: a snapshot of
 * the RUNNING ids before, compared with the cache after. Whatever wrote the change (a folder
 * sync, a MongoDB sync, a live refresh), the cache is where it lands, so one check serves all.
 */
export class FinishedRunWatch {
  private readonly before: RunningSnapshot;

  constructor(
    private readonly db: Database,
    private readonly source: string,
    running: RunningRuns = new RunningRuns(),
  ) {
    this.before = running.of(db, source);
  }

  /**
   * The runs that were RUNNING at the snapshot and now have another status. A run gone from
   * the cache (deleted folder) did not finish: it is not reported.
   */
  finished(): FinishedRun[] {
    if (this.before.ids.size === 0) return [];
    // No run of the source written since the snapshot: none can have finished.
    if (versionOf(this.db, this.source) === this.before.version) return [];
    const read = this.db.prepare(
      'SELECT status, experiment FROM runs WHERE source = ? AND run_id = ?',
    );
    const finished: FinishedRun[] = [];
    for (const runId of this.before.ids) {
      const row = read.get(this.source, runId) as
        { status: string; experiment: string | null } | undefined;
      if (row === undefined || row.status === 'RUNNING') continue;
      finished.push({ source: this.source, runId, status: row.status, experiment: row.experiment });
    }
    return finished;
  }
}
