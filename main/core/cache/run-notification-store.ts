import type { Database } from 'better-sqlite3';

/**
 * Migration 15 (issue 12): the sources whose RUNNING runs the desktop app announces when they
 * finish (a row per opted-in source; gone with its source). IF NOT EXISTS, as migration 13.
 */
export function createRunNotifications(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS run_notifications (
      source TEXT PRIMARY KEY REFERENCES sources(name) ON DELETE CASCADE,
      since TEXT NOT NULL
    );
  `);
}

/** Per source: whether finished runs are announced (off unless the user turned it on). */
export class RunNotificationStore {
  constructor(private readonly db: Database) {}

  isOn(source: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM run_notifications WHERE source = ?').get(source) !== undefined
    );
  }

  set(source: string, on: boolean, at: string): void {
    if (on) {
      this.db
        .prepare('INSERT OR IGNORE INTO run_notifications (source, since) VALUES (?, ?)')
        .run(source, at);
    } else {
      this.db.prepare('DELETE FROM run_notifications WHERE source = ?').run(source);
    }
  }
}
