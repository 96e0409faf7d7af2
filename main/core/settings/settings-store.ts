import type { Database } from 'better-sqlite3';

/** The `settings` table (migration 4): one JSON value per key. */
export class SettingsStore {
  constructor(private readonly db: Database) {}

  /** Every stored value, parsed; a value that is not JSON is left out (as if never set). */
  readAll(): Map<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as {
      key: string;
      value: string;
    }[];
    const values = new Map<string, unknown>();
    for (const row of rows) {
      try {
        values.set(row.key, JSON.parse(row.value) as unknown);
      } catch {
        // A hand-edited or damaged value: the default applies.
      }
    }
    return values;
  }

  /** Writes all given keys in one transaction. */
  write(values: Readonly<Record<string, unknown>>): void {
    const put = this.db.prepare(
      `INSERT INTO settings (key, value) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(values)) {
        if (value !== undefined) put.run(key, JSON.stringify(value));
      }
    })();
  }
}
