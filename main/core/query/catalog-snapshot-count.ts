import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { ColumnCatalog, CATALOG_BUILTINS } from './column-catalog';
import { countRunSlice, sourceVersion } from './column-catalog-store';

/** A second, read-only connection to the cache for a catalog build's read snapshot. */
export function openCatalogReader(file: string): SqliteDatabase {
  const reader = new Database(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  reader.pragma('cache_size = -1000');
  return reader;
}

/**
 * Counts every run of `source` into a new catalog, `runsPerSlice` runs at a time, yielding the
 * runs counted so far after each slice; returns the finished catalog, or null when the
 * snapshot does not show `version` (a write came between the build's marker and the snapshot:
 * it would be both counted and in the change log). `reader` must be inside a read transaction
 * that this read starts.
 */
export function* countCatalogInSnapshot(
  reader: SqliteDatabase,
  source: string,
  version: number,
  runsPerSlice: number,
): Generator<number, ColumnCatalog | null, void> {
  if (sourceVersion(reader, source) !== version) return null;
  const catalog = ColumnCatalog.building();
  for (const name of CATALOG_BUILTINS) catalog.entry([name], 'builtin', name);
  let after: string | null = '';
  let counted = 0;
  while (after !== null) {
    after = countRunSlice(reader, catalog, source, after, runsPerSlice);
    if (after !== null) counted += runsPerSlice;
    yield counted;
  }
  catalog.finishBuild();
  return catalog;
}
