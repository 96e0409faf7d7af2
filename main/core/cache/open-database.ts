import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, migrations, schemaVersion } from './migrations';

export interface OpenedDatabase {
  db: SqliteDatabase;
  /** Where an unusable cache file was moved before a fresh one was created, or null. */
  recoveredFrom: string | null;
}

/**
 * Opens (or creates) the cache. The cache only mirrors the sources, so a file that is not a
 * SQLite database, fails the quick check, or was written by a newer app version is moved
 * aside and replaced by an empty cache rather than stopping the app.
 */
export function openCacheDatabase(file: string, now: () => number = Date.now): OpenedDatabase {
  mkdirSync(dirname(file), { recursive: true });
  let recoveredFrom: string | null = null;
  if (existsSync(file)) {
    const problem = checkExisting(file);
    if (problem !== null) recoveredFrom = moveAside(file, problem, now());
  }
  const db = new Database(file);
  try {
    configure(db);
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, recoveredFrom };
}

function configure(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/** 'corrupt' or 'incompatible' when the file cannot be used, else null. */
function checkExisting(file: string): 'corrupt' | 'incompatible' | null {
  let db: SqliteDatabase | null = null;
  try {
    db = new Database(file, { fileMustExist: true });
    // quick_check reads every page like integrity_check but skips the index cross-checks,
    // which would make every start of the app proportional to the cache size times log n.
    const result = db.pragma('quick_check', { simple: true });
    if (result !== 'ok') return 'corrupt';
    if (schemaVersion(db) > migrations.length) return 'incompatible';
    return null;
  } catch {
    return 'corrupt';
  } finally {
    db?.close();
  }
}

function moveAside(file: string, reason: 'corrupt' | 'incompatible', nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/gu, '-');
  const target = `${file}.${reason}-${stamp}`;
  renameSync(file, target);
  // A leftover WAL would be replayed into the fresh database, so it goes along.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}
