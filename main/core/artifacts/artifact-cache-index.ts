import type { Database } from 'better-sqlite3';
import type { ArtifactRow } from '../cache/cache-rows';
import type { CacheEntry } from './lru-eviction';

/** One row of artifact_cache (migration 4). */
export interface IndexedArtifact {
  id: string;
  /** The GridFS file (JSON {bucket, id}) the content was copied from. */
  locator: string;
  bytes: number;
  lastAccess: number;
}

interface RawRow {
  id: string;
  locator: string;
  bytes: number;
  last_access: number;
}

const ARTIFACT_COLUMNS = 'id, source, run_id, name, abs_path, size, content_type, locator';

/** The SQLite index of the artifact content cache: what is on disk, how big, when last read. */
export class ArtifactCacheIndex {
  constructor(private readonly db: Database) {}

  get(id: string): IndexedArtifact | null {
    const row = this.db
      .prepare('SELECT id, locator, bytes, last_access FROM artifact_cache WHERE id = ?')
      .get(id) as RawRow | undefined;
    return row === undefined ? null : fromRaw(row);
  }

  put(entry: IndexedArtifact): void {
    this.db
      .prepare(
        `INSERT INTO artifact_cache (id, locator, bytes, last_access) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
           locator = excluded.locator, bytes = excluded.bytes, last_access = excluded.last_access`,
      )
      .run(entry.id, entry.locator, entry.bytes, entry.lastAccess);
  }

  touch(id: string, lastAccess: number): void {
    this.db.prepare('UPDATE artifact_cache SET last_access = ? WHERE id = ?').run(lastAccess, id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM artifact_cache WHERE id = ?').run(id);
  }

  ids(): Set<string> {
    return new Set(this.db.prepare('SELECT id FROM artifact_cache').pluck().all() as string[]);
  }

  maxLastAccess(): number {
    const value = this.db.prepare('SELECT MAX(last_access) FROM artifact_cache').pluck().get();
    return typeof value === 'number' ? value : 0;
  }

  totals(): { bytes: number; files: number } {
    const row = this.db
      .prepare('SELECT COALESCE(SUM(bytes), 0) AS bytes, COUNT(*) AS files FROM artifact_cache')
      .get() as { bytes: number; files: number };
    return { bytes: row.bytes, files: row.files };
  }

  /**
   * Every entry for the eviction rule. An entry no artifact row points at with the same GridFS
   * file (run or source removed, artifact uploaded again) is an orphan.
   */
  entries(): CacheEntry[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.bytes, c.last_access,
           NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.id = c.id AND a.locator = c.locator)
             AS orphan
         FROM artifact_cache c`,
      )
      .all() as { id: string; bytes: number; last_access: number; orphan: number }[];
    return rows.map((row) => ({
      id: row.id,
      bytes: row.bytes,
      lastAccess: row.last_access,
      orphan: row.orphan !== 0,
    }));
  }

  /** Ids of the artifacts whose cached copy is of the file the artifact row names now. */
  cachedIds(): Set<string> {
    return new Set(
      this.db
        .prepare(
          `SELECT c.id FROM artifact_cache c JOIN artifacts a ON a.id = c.id AND a.locator = c.locator`,
        )
        .pluck()
        .all() as string[],
    );
  }

  /** The artifacts of a source (every run), in run and position order. */
  artifactsOfSource(source: string): ArtifactRow[] {
    return this.db
      .prepare(
        `SELECT ${ARTIFACT_COLUMNS} FROM artifacts WHERE source = ? ORDER BY run_id, position`,
      )
      .all(source) as ArtifactRow[];
  }

  runIdsOfSource(source: string): Set<string> {
    return new Set(
      this.db.prepare('SELECT run_id FROM runs WHERE source = ?').pluck().all(source) as string[],
    );
  }
}

function fromRaw(row: RawRow): IndexedArtifact {
  return { id: row.id, locator: row.locator, bytes: row.bytes, lastAccess: row.last_access };
}
