import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cacheFilePath } from '../../main/core/data-dir';

/** The clean-close stamp of a cache file as main/core/cache/open-database.ts writes it. */
export function cleanStampOf(file: string): string {
  const stats = statSync(file);
  return JSON.stringify({ size: stats.size, mtimeMs: stats.mtimeMs });
}

/** Whether `file` was closed cleanly and not changed since (its stamp still matches). */
export function hasCleanStamp(file: string): boolean {
  const stamp = `${file}.clean`;
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === cleanStampOf(file);
}

/**
 * A copy of a cache that was closed cleanly is as whole as the original, but it has a new
 * mtime, so its clean-close stamp no longer matches and `serve` would read every page of it
 * (quick_check: seconds at 100k runs) before its URL, which a user's restart after a clean
 * close never pays. The copy gets its own stamp.
 */
export function restampCleanCopy(original: string, copy: string): void {
  if (hasCleanStamp(original)) writeFileSync(`${copy}.clean`, cleanStampOf(copy));
}

/**
 * `to` made a fresh copy of the data dir `from` (a session persists what it builds, such as the
 * column catalog, so each starts from the same cache), its cache restamped as above.
 */
export function pristineCopy(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  restampCleanCopy(cacheFilePath(from), cacheFilePath(to));
}
