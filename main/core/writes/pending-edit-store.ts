import type { Database } from 'better-sqlite3';
import type { EditField, PendingEdit } from '../../../shared/contract/writes-methods';

/** A tag list or a note, as an edit holds it. */
export type EditValue = string[] | string;

interface PendingEditRow {
  source: string;
  run_id: string;
  field: EditField;
  mine: string;
  base: string;
  theirs: string | null;
  state: 'pending' | 'conflict';
  made_at: string;
  last_error: string | null;
}

/**
 * Edits of tags and notes waiting for their source's server (`pending_edits`, see
 * writes-migration.ts, whose triggers keep the cache showing them). One per run and field: a
 * second edit of a waiting field replaces the first but keeps its `base`, the server's value
 * the user started from.
 */
export class PendingEditStore {
  constructor(private readonly db: Database) {}

  list(source: string | null): PendingEdit[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM pending_edits WHERE ? IS NULL OR source = ?
         ORDER BY source, made_at, run_id, field`,
      )
      .all(source, source) as PendingEditRow[];
    return rows.map(toPendingEdit);
  }

  get(source: string, runId: string, field: EditField): PendingEdit | null {
    const row = this.db
      .prepare('SELECT * FROM pending_edits WHERE source = ? AND run_id = ? AND field = ?')
      .get(source, runId, field) as PendingEditRow | undefined;
    return row === undefined ? null : toPendingEdit(row);
  }

  /** Keeps an edit waiting; an edit already waiting for this field keeps its base. */
  keep(edit: {
    source: string;
    id: string;
    field: EditField;
    mine: EditValue;
    base: EditValue;
    madeAt: string;
    lastError: string | null;
  }): void {
    this.db
      .prepare(
        `INSERT INTO pending_edits (source, run_id, field, mine, base, theirs, state, made_at, last_error)
         VALUES (?, ?, ?, ?, ?, NULL, 'pending', ?, ?)
         ON CONFLICT (source, run_id, field) DO UPDATE SET
           mine = excluded.mine, made_at = excluded.made_at, last_error = excluded.last_error,
           base = CASE WHEN state = 'conflict' THEN theirs ELSE base END,
           theirs = NULL, state = 'pending'`,
      )
      .run(
        edit.source,
        edit.id,
        edit.field,
        JSON.stringify(edit.mine),
        JSON.stringify(edit.base),
        edit.madeAt,
        edit.lastError,
      );
  }

  markConflict(source: string, runId: string, field: EditField, theirs: EditValue): void {
    this.db
      .prepare(
        `UPDATE pending_edits SET state = 'conflict', theirs = ?, last_error = NULL
         WHERE source = ? AND run_id = ? AND field = ?`,
      )
      .run(JSON.stringify(theirs), source, runId, field);
  }

  noteFailure(source: string, runId: string, field: EditField, message: string): void {
    this.db
      .prepare(
        'UPDATE pending_edits SET last_error = ? WHERE source = ? AND run_id = ? AND field = ?',
      )
      .run(message, source, runId, field);
  }

  forget(source: string, runId: string, field: EditField): void {
    this.db
      .prepare('DELETE FROM pending_edits WHERE source = ? AND run_id = ? AND field = ?')
      .run(source, runId, field);
  }

  /** The state of a run's waiting edits: a conflict outweighs a pending edit. */
  stateOf(source: string, runId: string): 'saved' | 'pending' | 'conflict' {
    const states = this.db
      .prepare('SELECT state FROM pending_edits WHERE source = ? AND run_id = ?')
      .pluck()
      .all(source, runId) as string[];
    if (states.includes('conflict')) return 'conflict';
    return states.length > 0 ? 'pending' : 'saved';
  }
}

function toPendingEdit(row: PendingEditRow): PendingEdit {
  return {
    source: row.source,
    id: row.run_id,
    field: row.field,
    mine: JSON.parse(row.mine) as EditValue,
    base: JSON.parse(row.base) as EditValue,
    theirs: row.theirs === null ? null : (JSON.parse(row.theirs) as EditValue),
    state: row.state,
    madeAt: row.made_at,
    lastError: row.last_error,
  };
}
