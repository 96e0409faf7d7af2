import type { QueryRow } from '../../../shared/contract';
import {
  emptyNumberSummary,
  formatOfSummary,
  mergeNumberSummaries,
  sameNumberFormat,
  summarizeNumbers,
} from './column-number-format';
import type { NumberFormat, NumberSummary } from './column-number-format';

/** Per page of rows (the array the table holds while the page is loaded), per column. */
const pageSummaries = new WeakMap<readonly QueryRow[], Map<string, NumberSummary>>();

function pageSummary(rows: readonly QueryRow[], column: string): NumberSummary {
  let byColumn = pageSummaries.get(rows);
  if (byColumn === undefined) {
    byColumn = new Map();
    pageSummaries.set(rows, byColumn);
  }
  let summary = byColumn.get(column);
  if (summary === undefined) {
    summary = summarizeNumbers(rows.map((row) => row.values[column]));
    byColumn.set(column, summary);
  }
  return summary;
}

/**
 * Each column's one number format over the pages of rows in memory (see
 * column-number-format.ts). A page is summarized once, when first seen, so a page arriving
 * during a fling costs its own rows, not every loaded row again; and when no column's format
 * changed, `previous` itself is returned, so rows already on screen are not rendered again.
 */
export function columnFormats(
  pages: readonly (readonly QueryRow[])[],
  columns: readonly string[],
  previous: ReadonlyMap<string, NumberFormat> | null,
): ReadonlyMap<string, NumberFormat> {
  const next = new Map<string, NumberFormat>();
  for (const column of columns) {
    let summary = emptyNumberSummary;
    for (const rows of pages) summary = mergeNumberSummaries(summary, pageSummary(rows, column));
    next.set(column, formatOfSummary(summary));
  }
  const unchanged =
    previous !== null &&
    previous.size === next.size &&
    [...next].every(([column, format]) => sameNumberFormat(previous.get(column), format));
  return unchanged ? previous : next;
}
