import type { Database } from 'better-sqlite3';

/**
 * Migration (issue 15): which sources accept writes, and edits of tags and notes that wait for
 * their source's server (made offline, or in conflict with a change made there since).
 *
 * `source_writes`: a row per source whose writes the user turned on (gone with its source).
 *
 * `pending_edits`: one row per run and field. `mine`, `base` and `theirs` are JSON: a tag list
 * for `tags`, a string for `notes`; `base` is what the cache showed (the server's value at the
 * last sync) when the edit was made, `theirs` what the server had when a conflict was found.
 * Not tied to the `runs` row by a foreign key: a sync replaces a run's row (delete + insert),
 * and the edit must outlive that.
 *
 * The triggers keep the cache showing the user's edit while it waits: whenever a sync or a live
 * refresh writes a run's row again with the server's values, the waiting edit is laid over it,
 * so the table, filters and exports never flip back to the server's value. IF NOT EXISTS, as
 * migration 13, so that the order among this session's migrations does not matter.
 */
export function createWritesTables(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS source_writes (
      source TEXT PRIMARY KEY REFERENCES sources(name) ON DELETE CASCADE,
      since TEXT NOT NULL
    );

    CREATE TABLE IF NOT EXISTS pending_edits (
      source TEXT NOT NULL REFERENCES sources(name) ON DELETE CASCADE,
      run_id TEXT NOT NULL,
      field TEXT NOT NULL,
      mine TEXT NOT NULL,
      base TEXT NOT NULL,
      theirs TEXT,
      state TEXT NOT NULL DEFAULT 'pending',
      made_at TEXT NOT NULL,
      last_error TEXT,
      PRIMARY KEY (source, run_id, field)
    ) WITHOUT ROWID;

    CREATE TRIGGER IF NOT EXISTS pending_edits_shown_on_insert AFTER INSERT ON runs
      WHEN EXISTS (SELECT 1 FROM pending_edits WHERE source = NEW.source AND run_id = NEW.run_id)
    BEGIN
      ${overlay('NEW')}
    END;

    CREATE TRIGGER IF NOT EXISTS pending_edits_shown_on_update AFTER UPDATE OF tags, comment ON runs
      WHEN EXISTS (SELECT 1 FROM pending_edits WHERE source = NEW.source AND run_id = NEW.run_id
        AND ((field = 'tags' AND mine IS NOT NEW.tags)
          OR (field = 'notes' AND NULLIF(json_extract(mine, '$'), '') IS NOT NEW.comment)))
    BEGIN
      ${overlay('NEW')}
    END;
  `);
}

/** Sets the run's cached tags and comment to its waiting edits (unchanged where none). */
function overlay(row: string): string {
  const edit = (field: string, value: string): string =>
    `(SELECT ${value} FROM pending_edits
       WHERE source = ${row}.source AND run_id = ${row}.run_id AND field = '${field}')`;
  return `UPDATE runs SET
        tags = coalesce(${edit('tags', 'mine')}, tags),
        comment = CASE WHEN EXISTS ${edit('notes', '1')}
          THEN ${edit('notes', "NULLIF(json_extract(mine, '$'), '')")} ELSE comment END
      WHERE source = ${row}.source AND run_id = ${row}.run_id;`;
}
