import Database from 'better-sqlite3';

/** Every table's rows, in a stable order, without the sync's own timestamp. */
export function cacheContent(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const content: Record<string, unknown[]> = {};
    for (const table of tables.filter((name) => name !== 'sources').sort()) {
      const columns = db.prepare(`SELECT * FROM "${table}" LIMIT 0`).columns();
      const order = columns.map((_, index) => index + 1).join(', ');
      content[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY ${order}`).raw().all();
    }
    return content;
  } finally {
    db.close();
  }
}
