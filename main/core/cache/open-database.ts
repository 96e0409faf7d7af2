import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { cacheOpenError, isSqliteCorruption } from './cache-open-error';
import { migrate, migrations, schemaVersion } from './migrations';

export interface OpenedDatabase {
  db: SqliteDatabase;
  /** Where an unusable cache file was moved before a fresh one was created, or null. */
  recoveredFrom: string | null;
}

/**
 * Opens (or creates) the cache. The cache only mirrors the sources, so a file that SQLite
 * calls corrupt or not a database, that fails the quick check, or that was written by a newer
 * app version is moved aside and replaced by an empty cache rather than stopping the app.
 * Any other failure (the native module, a lock, permissions) stops with a clear error and
 * leaves the file where it is.
 */
export function openCacheDatabase(file: string, now: () => number = Date.now): OpenedDatabase {
  mkdirSync(dirname(file), { recursive: true });
  let recoveredFrom: string | null = null;
  if (existsSync(file)) {
    const problem = checkExisting(file, closedCleanly(file));
    if (problem !== null) recoveredFrom = moveAside(file, problem, now());
  }
  // Until the next clean close, a crash must lead to the full check at the next start.
  rmSync(cleanStampPath(file), { force: true });
  let db: SqliteDatabase;
  try {
    db = new Database(file);
  } catch (error) {
    throw cacheOpenError(error, file);
  }
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
  db.pragma('cache_size = -2000');
}

/**
 * Closes the cache and records that it was closed cleanly (file size and mtime), so that the
 * next start can skip reading every page: at 100k runs the quick check alone took 0.7 s.
 */
export function closeCacheDatabase(db: SqliteDatabase, file: string): void {
  let stamp: string | null = null;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // A checkpoint that cannot run (another reader) only costs the next start a full check.
  }
  db.close();
  try {
    const stats = statSync(file);
    const wal = `${file}-wal`;
    if (!existsSync(wal) || statSync(wal).size === 0) {
      stamp = JSON.stringify({ size: stats.size, mtimeMs: stats.mtimeMs });
    }
  } catch {
    stamp = null;
  }
  if (stamp !== null) writeFileSync(cleanStampPath(file), stamp);
}

function cleanStampPath(file: string): string {
  return `${file}.clean`;
}

/** True when the file is exactly as the last clean close left it. */
function closedCleanly(file: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(cleanStampPath(file), 'utf8')) as {
      size?: unknown;
      mtimeMs?: unknown;
    };
    const stats = statSync(file);
    const wal = `${file}-wal`;
    const walEmpty = !existsSync(wal) || statSync(wal).size === 0;
    return walEmpty && stamp.size === stats.size && stamp.mtimeMs === stats.mtimeMs;
  } catch {
    return false;
  }
}

/** 'corrupt' or 'incompatible' when the file cannot be used, else null. */
function checkExisting(file: string, cleanlyClosed: boolean): 'corrupt' | 'incompatible' | null {
  let db: SqliteDatabase | null = null;
  try {
    db = new Database(file, { fileMustExist: true });
    // quick_check reads every page like integrity_check but skips the index cross-checks.
    // After a clean close the file is known to be whole, so reading the schema is enough.
    if (cleanlyClosed) db.prepare('SELECT count(*) FROM sqlite_master').get();
    else if (db.pragma('quick_check', { simple: true }) !== 'ok') return 'corrupt';
    if (schemaVersion(db) > migrations.length) return 'incompatible';
    return null;
  } catch (error) {
    // Only SQLite's own word makes a cache corrupt; see cache-open-error.ts.
    if (isSqliteCorruption(error)) return 'corrupt';
    throw cacheOpenError(error, file);
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
