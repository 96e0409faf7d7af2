import type { ColumnInfo, JsonValue } from '../../../shared/contract';
import { BUILTIN_COLUMNS, parseColumnId } from '../../../shared/filter';
import type { ColumnPath, ColumnType } from '../../../shared/filter';

/** How the run table shows one column: its header, width, alignment and value type. */
export interface ColumnDisplay {
  id: string;
  path: ColumnPath;
  header: string;
  /** Full description for the header's tooltip. */
  title: string;
  type: ColumnType;
  width: number;
  numeric: boolean;
}

const BUILTIN_HEADERS: Record<string, string> = {
  source: 'Source',
  id: 'ID',
  experiment: 'Experiment',
  command: 'Command',
  status: 'Status',
  dead: 'Probably dead',
  start_time: 'Started',
  stop_time: 'Stopped',
  heartbeat: 'Heartbeat',
  duration: 'Duration',
  host: 'Host',
  result: 'Result',
  tags: 'Tags',
  notes: 'Notes',
  comment: 'Comment',
  artifacts: 'Artifacts',
  metrics: 'Metrics',
};

const BUILTIN_WIDTHS: Record<string, number> = {
  source: 120,
  id: 80,
  experiment: 160,
  command: 110,
  status: 130,
  dead: 70,
  start_time: 160,
  stop_time: 160,
  heartbeat: 160,
  duration: 100,
  host: 110,
  result: 120,
  tags: 140,
  notes: 200,
  comment: 200,
  artifacts: 80,
  metrics: 80,
};

const builtinTypes = new Map(BUILTIN_COLUMNS.map((column) => [column.name, column]));

/** The column's path; an id that does not parse is shown as a single segment. */
export function columnPath(id: string): ColumnPath {
  const parsed = parseColumnId(id);
  return parsed.ok ? parsed.path : [id];
}

/** Segments after the root, joined for reading (never parsed back). */
function readablePath(path: ColumnPath): string {
  return path.slice(1).join('.');
}

/**
 * Header and tooltip of a column: built-ins by name, `config.optimizer.lr` as `optimizer.lr`,
 * `metrics.loss.last` as `loss (last)`, Omniboard's label when it gave one.
 */
export function columnDisplay(id: string, info?: ColumnInfo): ColumnDisplay {
  const path = info?.path ?? columnPath(id);
  const [root = id] = path;
  const builtin = path.length === 1 ? builtinTypes.get(root) : undefined;
  const type: ColumnType = info?.type ?? builtin?.type ?? (root === 'metrics' ? 'number' : 'mixed');
  let header: string;
  let title: string;
  if (builtin !== undefined) {
    header = BUILTIN_HEADERS[root] ?? root;
    title = `${id}: ${builtin.description}`;
  } else if (root === 'metrics' && path.length === 3) {
    header = `${path[1] ?? ''} (${path[2] ?? ''})`;
    title = `metric ${path[1] ?? ''}, ${path[2] ?? ''} value (${id})`;
  } else {
    header = readablePath(path) || id;
    title = id;
  }
  if (info?.label !== null && info?.label !== undefined && info.label !== '') {
    header = info.label;
    title = `${info.label} (${id})`;
  }
  const numeric = type === 'number';
  const width =
    builtin !== undefined
      ? (BUILTIN_WIDTHS[root] ?? 120)
      : Math.min(200, Math.max(90, header.length * 7 + 36));
  return { id, path, header, title, type, width, numeric };
}

/** The text of a value in a cell tooltip, CSV-like: lists and objects as JSON. */
export function plainValueText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * A row's cells as tab-separated text for the clipboard: lists and objects as JSON, missing
 * values empty; tabs and line breaks inside a value become spaces so the grid stays a grid.
 */
export function rowsToTsv(
  columns: readonly string[],
  rows: readonly { values: Record<string, JsonValue> }[],
  headers: readonly string[] = columns,
): string {
  const clean = (text: string): string => text.replace(/[\t\r\n]+/gu, ' ');
  const lines = [headers.map(clean).join('\t')];
  for (const row of rows) {
    lines.push(columns.map((id) => clean(plainValueText(row.values[id]))).join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** The metric names among the catalog's columns (`metrics.<name>.<aggregate>`), in order. */
export function metricNames(columns: readonly ColumnInfo[]): string[] {
  const names = new Set<string>();
  for (const column of columns) {
    const name = column.group === 'metrics' ? column.path[1] : undefined;
    if (name !== undefined) names.add(name);
  }
  return [...names];
}
