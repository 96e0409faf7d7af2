import type Papa from 'papaparse';
import type { ExportResult } from '../../../shared/contract';
import { DEFAULT_COLUMNS } from '../../../shared/filter';
import { packageOnFirstUse } from '../package-on-first-use';
import type { ExportSink } from './export-sink';
import type { QueryEngine, RunQuery } from './query-engine';
import type { ResolvedColumn } from './query-engine';
import { resolveColumn } from './query-engine';

const papaparse = packageOnFirstUse<typeof Papa>('papaparse');

export interface ExportProgressReport {
  done: number;
  total: number;
}

const ROWS_PER_CHUNK = 1000;
const NEWLINE = '\r\n';

/** A spreadsheet cell: missing and null empty, lists and objects as JSON, the rest as text. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** RFC 4180 lines (papaparse), "\r\n" after every line including the last. */
export function csvLines(rows: readonly string[][]): string {
  if (rows.length === 0) return '';
  return papaparse().unparse(rows as string[][], { newline: NEWLINE, header: false }) + NEWLINE;
}

/**
 * A CSV column header a spreadsheet user can read: the path's parts joined by dots
 * (`metrics.train.loss.last`), not the filter language's quoted id, which CSV quoting
 * would turn into `"metrics.""train.loss"".last"`.
 */
export function csvHeader(column: ResolvedColumn): string {
  return column.path.join('.');
}

/**
 * The runs of a query with the given columns, as the table shows them: CSV (header = the
 * columns' plain paths, see csvHeader) or a JSON array of objects. Written in chunks so a file export never holds
 * all rows in memory.
 */
export async function exportRuns(
  engine: QueryEngine,
  query: RunQuery & {
    columns?: string[] | undefined;
    format: 'csv' | 'json';
    limit?: number | undefined;
  },
  sink: ExportSink,
  onProgress: (report: ExportProgressReport) => void,
): Promise<Omit<ExportResult, 'text' | 'path'>> {
  const columns = (query.columns ?? [...DEFAULT_COLUMNS]).map(resolveColumn);
  const ordered = engine.ordered(query);
  const total = Math.min(ordered.total, query.limit ?? Infinity);
  if (query.format === 'csv') await sink.write(csvLines([columns.map(csvHeader)]));
  else await sink.write(total === 0 ? '[' : `[${NEWLINE}`);
  for (let start = 0; start < total; start += ROWS_PER_CHUNK) {
    const end = Math.min(total, start + ROWS_PER_CHUNK);
    if (query.format === 'csv') {
      const lines: string[][] = [];
      for (let k = start; k < end; k++) {
        lines.push(columns.map((column) => csvCell(engine.value(ordered, k, column))));
      }
      await sink.write(csvLines(lines));
    } else {
      const parts: string[] = [];
      for (let k = start; k < end; k++) {
        const record: Record<string, unknown> = {};
        for (const column of columns) record[column.id] = engine.value(ordered, k, column) ?? null;
        parts.push(`  ${JSON.stringify(record)}${k < total - 1 ? ',' : ''}${NEWLINE}`);
      }
      await sink.write(parts.join(''));
    }
    onProgress({ done: end, total });
  }
  if (query.format === 'json') await sink.write(`]${NEWLINE}`);
  return { rows: total, bytes: sink.bytes };
}
