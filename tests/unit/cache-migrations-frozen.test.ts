// The cache schema against the frozen caches of every released version
// (tests/fixtures/old-caches, written once by the app of the day, never regenerated). Two things
// a user would notice and the rest of the unit suite cannot, since it builds every cache from
// today's migration list:
// - a shipped migration edited (a column renamed, an index dropped, a trigger changed): today's
//   app then builds a schema for version N that an old app never wrote, and the upgrade of a
//   real cache of that version goes wrong;
// - migrations reordered or skipped: a real old cache fails to upgrade (`table ... already
//   exists`) or upgrades to a schema that a fresh cache does not have.
// The oracle is the dumped fixture itself (SQLite's own record of the schema), not the code.
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, migrations, schemaVersion } from '../../main/core/cache/migrations';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'old-caches');
const versions = readdirSync(FIXTURES)
  .map((name) => /^cache-v(\d+)\.sql$/u.exec(name)?.[1])
  .filter((text): text is string => text !== undefined)
  .map(Number)
  .sort((a, b) => a - b);

/** Every table, index, trigger and view with its SQL, as SQLite keeps it. */
function schemaOf(db: SqliteDatabase): Array<{ type: string; name: string; sql: string | null }> {
  return db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    )
    .all() as Array<{ type: string; name: string; sql: string | null }>;
}

/** The frozen cache of `version` in a fresh in-memory database. */
function frozenCache(version: number): SqliteDatabase {
  const db = new Database(':memory:');
  db.exec(readFileSync(join(FIXTURES, `cache-v${version}.sql`), 'utf8'));
  return db;
}

/** An empty cache brought to `version` by the first `version` migrations of today's list. */
function builtCache(version: number): SqliteDatabase {
  const db = new Database(':memory:');
  for (const migration of migrations.slice(0, version)) migration(db);
  return db;
}

function newestSchema(): ReturnType<typeof schemaOf> {
  const db = new Database(':memory:');
  try {
    migrate(db);
    return schemaOf(db);
  } finally {
    db.close();
  }
}

describe('cache migrations against the frozen caches', () => {
  it('has a frozen cache for every schema version, so each case below runs', () => {
    expect(versions).toEqual(migrations.map((_, index) => index + 1));
  });

  it.each(versions)(
    'today migrations 1..%i build the schema that version shipped with',
    (version) => {
      const frozen = frozenCache(version);
      const built = builtCache(version);
      try {
        expect(schemaVersion(frozen)).toBe(version);
        expect(schemaOf(built)).toEqual(schemaOf(frozen));
      } finally {
        frozen.close();
        built.close();
      }
    },
  );

  it.each(versions)(
    'a version-%i cache upgrades to the newest schema and keeps its rows',
    (version) => {
      const db = frozenCache(version);
      try {
        const runsBefore = db.prepare('SELECT source, run_id FROM runs ORDER BY 1, 2').all();
        migrate(db);
        expect(schemaVersion(db)).toBe(migrations.length);
        expect(schemaOf(db)).toEqual(newestSchema());
        expect(db.prepare('SELECT source, run_id FROM runs ORDER BY 1, 2').all()).toEqual(
          runsBefore,
        );
        expect(runsBefore.length).toBeGreaterThan(0);
      } finally {
        db.close();
      }
    },
  );

  it('creates an empty cache at the newest version, and a second migrate changes nothing', () => {
    const db = new Database(':memory:');
    try {
      expect(schemaVersion(db)).toBe(0);
      migrate(db);
      expect(schemaVersion(db)).toBe(migrations.length);
      const schema = schemaOf(db);
      expect(schema.some((item) => item.name === 'runs')).toBe(true);
      // Reopening a current cache must not re-run a migration (ALTER TABLE would throw).
      migrate(db);
      expect(schemaVersion(db)).toBe(migrations.length);
      expect(schemaOf(db)).toEqual(schema);
    } finally {
      db.close();
    }
  });

  it('applies a failing migration not at all: the version stays where it was', () => {
    // A cache left half-upgraded would be skipped past the broken step at the next start.
    const db = frozenCache(1);
    try {
      db.exec('CREATE TABLE connection_profiles (id TEXT)'); // what migration 2 will create
      expect(() => migrate(db)).toThrow(/connection_profiles/u);
      expect(schemaVersion(db)).toBe(1);
    } finally {
      db.close();
    }
  });
});
