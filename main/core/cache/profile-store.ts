import type { Database } from 'better-sqlite3';

/** A row of connection_profiles. `uri` never holds a password. */
export interface ProfileRow {
  id: string;
  name: string;
  uri: string;
  rememberPassword: boolean;
  createdAt: string;
}

interface RawProfileRow {
  id: string;
  name: string;
  uri: string;
  remember_password: number;
  created_at: string;
}

// connection_profiles.allow_writes (migration 2) is no longer read or written: whether a
// source may be edited is the source's own setting (migration 16, main/core/writes/).
const COLUMNS = 'id, name, uri, remember_password, created_at';

/** MongoDB connection profiles in the cache database (migration 2). Passwords live elsewhere. */
export class ProfileStore {
  constructor(private readonly db: Database) {}

  list(): ProfileRow[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM connection_profiles ORDER BY name COLLATE NOCASE, id`)
      .all() as RawProfileRow[];
    return rows.map(fromRaw);
  }

  get(id: string): ProfileRow | null {
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM connection_profiles WHERE id = ?`)
      .get(id) as RawProfileRow | undefined;
    return row === undefined ? null : fromRaw(row);
  }

  findByName(name: string): ProfileRow | null {
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM connection_profiles WHERE name = ? COLLATE NOCASE`)
      .get(name) as RawProfileRow | undefined;
    return row === undefined ? null : fromRaw(row);
  }

  /** Inserts or replaces the profile with this id. */
  put(profile: ProfileRow): void {
    this.db
      .prepare(
        `INSERT INTO connection_profiles (${COLUMNS})
         VALUES (@id, @name, @uri, @remember_password, @created_at)
         ON CONFLICT (id) DO UPDATE SET
           name = excluded.name, uri = excluded.uri, remember_password = excluded.remember_password`,
      )
      .run({
        id: profile.id,
        name: profile.name,
        uri: profile.uri,
        remember_password: profile.rememberPassword ? 1 : 0,
        created_at: profile.createdAt,
      });
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM connection_profiles WHERE id = ?').run(id).changes > 0;
  }

  /**
   * Names of the sources that read through a profile. Whatever table the MongoDB sources keep
   * their profile in, it names the column `profile_id`; a source is named by `name` or `source`.
   */
  sourcesUsing(profileId: string): string[] {
    const tables = this.db
      .prepare(
        `SELECT name FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'connection_profiles'`,
      )
      .pluck()
      .all() as string[];
    const names = new Set<string>();
    for (const table of tables) {
      const columns = new Set(
        (this.db.pragma(`table_info(${quoteIdentifier(table)})`) as Array<{ name: string }>).map(
          (column) => column.name,
        ),
      );
      if (!columns.has('profile_id')) continue;
      const nameColumn = columns.has('name') ? 'name' : columns.has('source') ? 'source' : null;
      if (nameColumn === null) continue;
      const rows = this.db
        .prepare(
          `SELECT DISTINCT ${quoteIdentifier(nameColumn)} FROM ${quoteIdentifier(table)}
           WHERE profile_id = ?`,
        )
        .pluck()
        .all(profileId) as unknown[];
      for (const row of rows) names.add(String(row));
    }
    return [...names].sort();
  }
}

function fromRaw(row: RawProfileRow): ProfileRow {
  return {
    id: row.id,
    name: row.name,
    uri: row.uri,
    rememberPassword: row.remember_password !== 0,
    createdAt: row.created_at,
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/gu, '""')}"`;
}
