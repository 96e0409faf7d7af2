import Papa from 'papaparse';
import { sortByValue } from './compare-values';

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** Rows were left out: the row cap was reached or the text itself was cut. */
  truncated: boolean;
  /** Parse problems worth telling (bad quoting); a ragged row is not one. */
  errors: string[];
}

export const MAX_TABLE_ROWS = 5000;

/**
 * The first rows of a CSV/TSV text. `cut` says the text ends mid-file (fetched with a byte cap):
 * its last line is then probably partial and is dropped.
 */
export function parseCsvTable(
  text: string,
  delimiter: ',' | '\t',
  { cut = false, maxRows = MAX_TABLE_ROWS }: { cut?: boolean; maxRows?: number } = {},
): CsvTable {
  let body = text;
  if (cut) {
    const lastNewline = body.lastIndexOf('\n');
    body = lastNewline >= 0 ? body.slice(0, lastNewline) : '';
  }
  const parsed = Papa.parse<string[]>(body, {
    delimiter,
    skipEmptyLines: true,
    // The header, the rows shown, and one more to know whether any were left out.
    preview: maxRows + 2,
  });
  const [header = [], ...rest] = parsed.data;
  const width = Math.max(header.length, ...rest.slice(0, 50).map((row) => row.length));
  const names = Array.from({ length: width }, (_, i) => header[i]?.trim() || `column ${i + 1}`);
  const rows = rest.slice(0, maxRows);
  return {
    header: names,
    rows,
    truncated: cut || rest.length > maxRows,
    errors: parsed.errors
      .filter((error) => error.type !== 'FieldMismatch')
      .slice(0, 3)
      .map((error) =>
        error.row === undefined ? error.message : `row ${error.row + 1}: ${error.message}`,
      ),
  };
}

/** Rows sorted by one column: numbers numerically, missing cells last in both directions. */
export function sortRows(rows: string[][], column: number, descending: boolean): string[][] {
  return sortByValue(rows, (row) => row[column]?.trim(), descending ? 'desc' : 'asc');
}

/** Columns whose present cells are all numbers (and at least one is): those can be plotted. */
export function numericColumns(table: Pick<CsvTable, 'header' | 'rows'>): number[] {
  return table.header
    .map((_, column) => column)
    .filter((column) => {
      let seen = false;
      for (const row of table.rows) {
        const cell = row[column]?.trim() ?? '';
        if (cell === '' || cell === 'NaN') continue;
        if (!Number.isFinite(Number(cell))) return false;
        seen = true;
      }
      return seen;
    });
}

/** One column as numbers for a plot; blank and non-numeric cells become NaN (gaps). */
export function columnValues(rows: string[][], column: number): number[] {
  return rows.map((row) => {
    const cell = row[column]?.trim() ?? '';
    return cell === '' ? Number.NaN : Number(cell);
  });
}
