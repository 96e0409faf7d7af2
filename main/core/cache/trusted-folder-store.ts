import type { Database } from 'better-sqlite3';

/**
 * Migration 13 (issue 11): folders outside a source's own folder whose files its runs may name
 * (Sacred with copy_sources=False records sources as paths next to the observer folder), gone
 * with their source. IF NOT EXISTS: the migration was numbered while another one landed.
 */
export function createTrustedFolders(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS trusted_folders (
      source TEXT NOT NULL REFERENCES sources(name) ON DELETE CASCADE,
      path TEXT NOT NULL,
      added_at TEXT NOT NULL,
      PRIMARY KEY (source, path)
    );
  `);
}

/** The trusted folders of each source, in the order they were added. */
export class TrustedFolderStore {
  constructor(private readonly db: Database) {}

  list(source: string): string[] {
    const rows = this.db
      .prepare('SELECT path FROM trusted_folders WHERE source = ? ORDER BY added_at, path')
      .all(source) as { path: string }[];
    return rows.map((row) => row.path);
  }

  /** Adds and removes in one transaction; adding a folder already there changes nothing. */
  update(source: string, add: readonly string[], remove: readonly string[], at: string): void {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO trusted_folders (source, path, added_at) VALUES (?, ?, ?)',
    );
    const drop = this.db.prepare('DELETE FROM trusted_folders WHERE source = ? AND path = ?');
    this.db.transaction(() => {
      for (const path of remove) drop.run(source, path);
      for (const path of add) insert.run(source, path, at);
    })();
  }
}
