import type { Database } from 'better-sqlite3';
import type { EventPayload } from '../../../shared/events';

export type FinishedRun = EventPayload<'runFinished'>;

/**
 * Which cached runs of a source leave RUNNING during one sync or live refresh: a snapshot of
 * the RUNNING ids before, compared with the cache after. Whatever wrote the change (a folder
 * sync, a MongoDB sync, a live refresh), the cache is where it lands, so one check serves all.
 */
export class FinishedRunWatch {
  private readonly runningIds: Set<string>;

  constructor(
    private readonly db: Database,
    private readonly source: string,
  ) {
    const rows = db
      .prepare("SELECT run_id FROM runs WHERE source = ? AND status = 'RUNNING'")
      .all(source) as { run_id: string }[];
    this.runningIds = new Set(rows.map((row) => row.run_id));
  }

  /**
   * The runs that were RUNNING at the snapshot and now have another status. A run gone from
   * the cache (deleted folder) did not finish: it is not reported.
   */
  finished(): FinishedRun[] {
    if (this.runningIds.size === 0) return [];
    const read = this.db.prepare(
      'SELECT status, experiment FROM runs WHERE source = ? AND run_id = ?',
    );
    const finished: FinishedRun[] = [];
    for (const runId of this.runningIds) {
      const row = read.get(this.source, runId) as
        { status: string; experiment: string | null } | undefined;
      if (row === undefined || row.status === 'RUNNING') continue;
      finished.push({ source: this.source, runId, status: row.status, experiment: row.experiment });
    }
    return finished;
  }
}
