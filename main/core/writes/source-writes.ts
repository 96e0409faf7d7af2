import type { Database } from 'better-sqlite3';
import { AltarError } from '../../../shared/errors';

/**
 * Per source: whether the user turned writes on (tags, notes, delete). Every source starts
 * read-only; the flag lives in `source_writes` (writes-migration.ts) and goes with its source.
 */
export class SourceWritesStore {
  constructor(private readonly db: Database) {}

  isWritable(source: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM source_writes WHERE source = ?').get(source) !== undefined
    );
  }

  /** The sources whose writes are on, for a listing that must not ask once per source. */
  writableSources(): Set<string> {
    return new Set(this.db.prepare('SELECT source FROM source_writes').pluck().all() as string[]);
  }

  set(source: string, on: boolean, at: string): void {
    if (on) {
      this.db
        .prepare('INSERT OR IGNORE INTO source_writes (source, since) VALUES (?, ?)')
        .run(source, at);
    } else {
      this.db.prepare('DELETE FROM source_writes WHERE source = ?').run(source);
    }
  }

  /** Throws READ_ONLY, saying how to turn writes on, unless the source accepts writes. */
  assertWritable(source: string): void {
    if (!this.isWritable(source)) throw readOnlyError(source);
  }
}

/**
 * For any service that writes to a source (tags, notes, delete): READ_ONLY with a message the
 * user can act on, unless writes of the source are on. Call it before touching the source.
 */
export function assertWritable(db: Database, source: string): void {
  new SourceWritesStore(db).assertWritable(source);
}

export function readOnlyError(source: string): AltarError {
  return new AltarError(
    'READ_ONLY',
    `Source "${source}" is read-only: turn its writes on first (the source's menu, or ` +
      `altar-viewer sources set ${source} --writes on).`,
  );
}
