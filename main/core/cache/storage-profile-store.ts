import type { Database } from 'better-sqlite3';

/**
 * A row of storage_profiles: how to reach the S3/MinIO server holding a source's raw data, and
 * where its local raw data may be on this computer. The secret access key is never here: the
 * secret store keeps it (see main/core/raw-data/storage-secrets.ts).
 */
export interface StorageProfileRow {
  source: string;
  endpoint: string | null;
  region: string;
  pathStyle: boolean;
  accessKeyId: string | null;
  localRoots: string[];
  updatedAt: string;
}

interface RawStorageProfileRow {
  source: string;
  endpoint: string | null;
  region: string;
  path_style: number;
  access_key_id: string | null;
  local_roots: string;
  updated_at: string;
}

/** Migration 8: storage profiles, one per source, gone with their source. */
export function createStorageProfiles(db: Database): void {
  db.exec(`
    CREATE TABLE storage_profiles (
      source TEXT PRIMARY KEY REFERENCES sources(name) ON DELETE CASCADE,
      endpoint TEXT,
      region TEXT NOT NULL,
      path_style INTEGER NOT NULL DEFAULT 1,
      access_key_id TEXT,
      local_roots TEXT NOT NULL DEFAULT '[]',
      updated_at TEXT NOT NULL
    );
  `);
}

const COLUMNS = 'source, endpoint, region, path_style, access_key_id, local_roots, updated_at';

/** Storage profiles in the cache database (migration 8). */
export class StorageProfileStore {
  constructor(private readonly db: Database) {}

  get(source: string): StorageProfileRow | null {
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM storage_profiles WHERE source = ?`)
      .get(source) as RawStorageProfileRow | undefined;
    return row === undefined ? null : fromRaw(row);
  }

  list(): StorageProfileRow[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM storage_profiles ORDER BY source`)
      .all() as RawStorageProfileRow[];
    return rows.map(fromRaw);
  }

  put(profile: StorageProfileRow): void {
    this.db
      .prepare(
        `INSERT INTO storage_profiles (${COLUMNS})
         VALUES (@source, @endpoint, @region, @path_style, @access_key_id, @local_roots, @updated_at)
         ON CONFLICT (source) DO UPDATE SET
           endpoint = excluded.endpoint, region = excluded.region,
           path_style = excluded.path_style, access_key_id = excluded.access_key_id,
           local_roots = excluded.local_roots, updated_at = excluded.updated_at`,
      )
      .run({
        source: profile.source,
        endpoint: profile.endpoint,
        region: profile.region,
        path_style: profile.pathStyle ? 1 : 0,
        access_key_id: profile.accessKeyId,
        local_roots: JSON.stringify(profile.localRoots),
        updated_at: profile.updatedAt,
      });
  }

  /** The `info` JSON of a few of the source's runs that list raw data (to find a bucket name). */
  rawDataInfos(source: string, limit: number): string[] {
    return this.db
      .prepare(
        `SELECT info FROM runs WHERE source = ? AND info LIKE '%"raw_data"%'
         ORDER BY start_time DESC LIMIT ?`,
      )
      .pluck()
      .all(source, limit) as string[];
  }

  delete(source: string): boolean {
    return this.db.prepare('DELETE FROM storage_profiles WHERE source = ?').run(source).changes > 0;
  }
}

function fromRaw(row: RawStorageProfileRow): StorageProfileRow {
  return {
    source: row.source,
    endpoint: row.endpoint,
    region: row.region,
    pathStyle: row.path_style !== 0,
    accessKeyId: row.access_key_id,
    localRoots: parseRoots(row.local_roots),
    updatedAt: row.updated_at,
  };
}

function parseRoots(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
