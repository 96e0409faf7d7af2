import type { Database } from 'better-sqlite3';

/**
 * Which runs this connection changed, so that the run table patches those rows instead of
 * reloading a whole source (issue 6: a live refresh every 5 s rewrites a few runs of 70k).
 *
 * `run_versions` (run-table-migration.ts) counts every write to runs, metrics and artifacts,
 * whoever writes. TEMP triggers (they fire for writes through this connection only) count the
 * same writes again per source and note each written run with the count at its write. When a
 * source's version moved by exactly what this connection counted since a segment was built,
 * every change is one of ours and the noted runs are all that changed; when it moved by more,
 * another process (the CLI's `sync`) wrote too, and the segment is reloaded whole.
 */
export class ChangeLog {
  private static readonly logs = new WeakMap<Database, ChangeLog | null>();

  /** The log of a connection, installed once; null when it cannot tell (then: full reloads). */
  static of(db: Database): ChangeLog | null {
    if (!ChangeLog.logs.has(db)) {
      let log: ChangeLog | null;
      try {
        log = new ChangeLog(db);
      } catch {
        // A read-only connection, or versions kept otherwise than we count them.
        log = null;
      }
      ChangeLog.logs.set(db, log);
    }
    return ChangeLog.logs.get(db) ?? null;
  }

  private readonly markOf;
  private readonly changed;
  private readonly prunedOf;
  private readonly pruneRuns;
  private readonly pruneMark;

  private constructor(db: Database) {
    const triggers = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%run_versions%'
         ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    // Our counting mirrors these triggers; any other writer of the versions would escape it.
    if (triggers.join(',') !== EXPECTED_TRIGGERS.join(',')) {
      throw new Error('run_versions is written by other triggers than the known ones');
    }
    db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS altar_change_marks (
        source TEXT PRIMARY KEY,
        mark INTEGER NOT NULL,
        pruned INTEGER NOT NULL DEFAULT 0
      );
      CREATE TEMP TABLE IF NOT EXISTS altar_changed_runs (
        source TEXT NOT NULL,
        run_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (source, run_id)
      ) WITHOUT ROWID;
      ${TABLES.map(
        (table) => `
      CREATE TEMP TRIGGER IF NOT EXISTS altar_${table}_changed_insert AFTER INSERT ON main.${table}
        BEGIN ${note('NEW')} END;
      CREATE TEMP TRIGGER IF NOT EXISTS altar_${table}_changed_update AFTER UPDATE ON main.${table}
        BEGIN ${note('NEW')} ${note('OLD')} END;
      CREATE TEMP TRIGGER IF NOT EXISTS altar_${table}_changed_delete AFTER DELETE ON main.${table}
        BEGIN ${note('OLD')} END;`,
      ).join('\n')}
    `);
    this.markOf = db.prepare('SELECT mark, pruned FROM altar_change_marks WHERE source = ?').raw();
    this.changed = db
      .prepare('SELECT run_id FROM altar_changed_runs WHERE source = ? AND at > ?')
      .pluck();
    this.prunedOf = db.prepare('SELECT pruned FROM altar_change_marks WHERE source = ?').pluck();
    this.pruneRuns = db.prepare('DELETE FROM altar_changed_runs WHERE source = ? AND at <= ?');
    this.pruneMark = db.prepare(
      'UPDATE altar_change_marks SET pruned = max(pruned, ?) WHERE source = ?',
    );
  }

  /** Writes counted for `source` on this connection so far (its position in the log). */
  mark(source: string): number {
    const row = this.markOf.get(source) as [number, number] | undefined;
    return row === undefined ? 0 : row[0];
  }

  /**
   * The runs of `source` this connection wrote after `mark`, or null when the log no longer
   * reaches back that far (forgotten for another reader of the same connection).
   */
  since(source: string, mark: number): string[] | null {
    const pruned = (this.prunedOf.get(source) as number | undefined) ?? 0;
    if (pruned > mark) return null;
    return this.changed.all(source, mark) as string[];
  }

  /** Runs noted up to `mark` are no longer needed (a segment now reflects them). */
  forget(source: string, mark: number): void {
    this.pruneRuns.run(source, mark);
    this.pruneMark.run(mark, source);
  }
}

const TABLES = ['runs', 'metrics', 'artifacts'] as const;
const EXPECTED_TRIGGERS = TABLES.flatMap((table) =>
  ['delete', 'insert', 'update'].map((kind) => `${table}_version_${kind}`),
).sort();

/** One counted write of a row (NEW or OLD): as run_versions counts it, per row and source. */
function note(row: 'NEW' | 'OLD'): string {
  return `
    INSERT INTO altar_change_marks (source, mark) VALUES (${row}.source, 1)
      ON CONFLICT (source) DO UPDATE SET mark = mark + 1;
    INSERT INTO altar_changed_runs (source, run_id, at)
      VALUES (${row}.source, ${row}.run_id,
        (SELECT mark FROM altar_change_marks WHERE source = ${row}.source))
      ON CONFLICT (source, run_id) DO UPDATE SET at = excluded.at;`;
}
