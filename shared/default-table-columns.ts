import type { ColumnInfo } from './contract';
import { DEFAULT_COLUMNS } from './filter';
import { rankInformativeKeys } from './informative-keys';

/** How many config keys and metrics the default table adds: a handful, not 542. */
export const DEFAULT_CONFIG_COLUMNS = 5;
export const DEFAULT_METRIC_COLUMNS = 4;

/** A key or metric held by fewer runs than this share would be a mostly blank column. */
const MIN_COVERAGE = 0.5;

/**
 * Whether a view's columns are the built-in ones every new cache starts with, i.e. the user
 * has not chosen columns of their own: then the table adds what tells the runs apart.
 */
export function hasOnlyStartColumns(columns: readonly string[]): boolean {
  return (
    columns.length === DEFAULT_COLUMNS.length && columns.every((id, i) => id === DEFAULT_COLUMNS[i])
  );
}

/** Runs in the catalog's sources (every run has an id): differing from the table's count, the
 * catalog was taken before a sync finished. */
export function catalogRunCount(catalog: readonly ColumnInfo[]): number {
  const id = catalog.find((column) => column.id === 'id');
  if (id !== undefined) return id.present;
  return catalog.reduce((most, column) => Math.max(most, column.present), 0);
}

/**
 * The columns a table without a view of the user's own shows after the built-ins: the config
 * keys that vary among the listed runs (rankInformativeKeys: swept keys, not per-run ones
 * such as Sacred's seed, more distinct values first) and the last value of each metric most
 * runs share. Objects and lists are left out: one cell cannot show them well.
 * The catalog covers the runs of the listed sources, not the filter: columns do not jump
 * while a filter is typed.
 */
export function informativeColumns(catalog: readonly ColumnInfo[]): string[] {
  const runCount = catalogRunCount(catalog);
  if (runCount === 0) return [];
  const config = catalog.filter(
    (column) =>
      column.group === 'config' &&
      column.type !== 'object' &&
      column.type !== 'list' &&
      column.type !== 'null',
  );
  const keys = rankInformativeKeys(
    config.map((column) => ({
      path: column.id,
      distinct: column.distinct,
      present: column.present,
    })),
    runCount,
    { minCoverage: MIN_COVERAGE, limit: DEFAULT_CONFIG_COLUMNS },
  );
  const metrics = catalog
    .filter(
      (column) =>
        column.group === 'metrics' &&
        column.path.length === 3 &&
        column.path[2] === 'last' &&
        column.present >= MIN_COVERAGE * runCount,
    )
    .map((column, order) => ({ id: column.id, present: column.present, order }))
    .sort((a, b) => b.present - a.present || a.order - b.order)
    .slice(0, DEFAULT_METRIC_COLUMNS)
    .map((column) => column.id);
  return [...keys, ...metrics];
}

/** The start columns with the informative ones added (none twice). */
export function withInformativeColumns(
  columns: readonly string[],
  catalog: readonly ColumnInfo[] | null,
): string[] {
  if (catalog === null) return [...columns];
  const extra = informativeColumns(catalog).filter((id) => !columns.includes(id));
  return [...columns, ...extra];
}
