import type { QueryResult } from '../../../shared/contract';
import { formatStart } from './runs-table';
import { renderTable } from './text-table';

const DATE_COLUMNS = new Set(['start_time', 'stop_time', 'heartbeat']);

function cell(id: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (DATE_COLUMNS.has(id) && typeof value === 'string') return formatStart(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The requested columns of a queryRuns page as an aligned terminal table. */
export function renderQueryTable(page: QueryResult, width: number): string {
  const columns = page.columns.map((id) => ({
    header: id,
    max: 40,
    align: page.rows.some((row) => typeof row.values[id] === 'number')
      ? ('right' as const)
      : ('left' as const),
  }));
  const rows = page.rows.map((row) =>
    page.columns.map((id) =>
      id === 'status' && row.probablyDead ? 'RUNNING?' : cell(id, row.values[id]),
    ),
  );
  return renderTable(columns, rows, width);
}
