import type { ColumnInfo, JsonValue } from '../../../shared/contract';
import {
  BUILTIN_COLUMNS,
  RUN_STATUSES,
  formatColumnPath,
  formatFilterValue,
} from '../../../shared/filter';
import type { ColumnPath, ColumnType } from '../../../shared/filter';

/** One entry of the filter box's suggestion list. */
export interface Suggestion {
  /** The text put into the filter. */
  insert: string;
  /** What the list shows (the column id, the value). */
  label: string;
  /** A muted hint: the column's type and values, the metric summary, how many runs. */
  detail: string;
}

export const SUGGESTION_LIMIT = 12;

function columnDetail(column: ColumnInfo): string {
  if (column.group === 'builtin') {
    return BUILTIN_COLUMNS.find((b) => b.name === column.id)?.description ?? column.type;
  }
  if (column.group === 'metrics' && column.path.length === 3) {
    return `${column.path[2] ?? ''} of metric ${column.path[1] ?? ''} · ${column.present} runs`;
  }
  const values = `${column.distinct}${column.distinctCapped ? '+' : ''} value${column.distinct === 1 ? '' : 's'}`;
  return `${column.group} · ${column.type} · ${values}`;
}

/** Columns when the catalog has not come yet: the built-ins. */
const BUILTIN_INFOS: ColumnInfo[] = BUILTIN_COLUMNS.map((b) => ({
  id: b.name,
  path: [b.name],
  group: 'builtin',
  type: b.type,
  distinct: 0,
  distinctCapped: false,
  present: 0,
  suggested: false,
  label: null,
}));

/**
 * Columns matching what is typed, best first: the id (or the path read with plain dots, so
 * `metrics.train.l` finds `metrics."train.loss".last`) starting with it, then a key after the
 * root starting with it (`tau` finds `config.tau`), then containing it.
 */
export function columnSuggestions(
  prefix: string,
  catalog: readonly ColumnInfo[] | null,
  limit = SUGGESTION_LIMIT,
): Suggestion[] {
  const needle = prefix.toLowerCase().replace(/"/gu, '');
  const scored: { column: ColumnInfo; score: number; order: number }[] = [];
  (catalog ?? BUILTIN_INFOS).forEach((column, order) => {
    const plain = column.path.join('.').toLowerCase();
    const id = column.id.toLowerCase();
    const keys = column.path.slice(1).join('.').toLowerCase();
    const score =
      id.startsWith(needle) || plain.startsWith(needle)
        ? 0
        : keys.startsWith(needle) || column.path.some((s) => s.toLowerCase().startsWith(needle))
          ? 1
          : plain.includes(needle)
            ? 2
            : -1;
    if (score >= 0) scored.push({ column, score, order });
  });
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  return scored.slice(0, limit).map(({ column }) => ({
    insert: column.id,
    label: column.id,
    detail: columnDetail(column),
  }));
}

const OPERATORS: ReadonlyArray<{ insert: string; detail: string; types: 'any' | 'ordered' }> = [
  { insert: '=', detail: 'equals', types: 'any' },
  { insert: '!=', detail: 'differs from', types: 'any' },
  { insert: '>', detail: 'greater than', types: 'ordered' },
  { insert: '>=', detail: 'at least', types: 'ordered' },
  { insert: '<', detail: 'less than', types: 'ordered' },
  { insert: '<=', detail: 'at most', types: 'ordered' },
  { insert: 'in (', detail: 'one of a list: in (a, b)', types: 'any' },
  { insert: 'contains', detail: 'text contains, or list holds', types: 'any' },
  { insert: '~', detail: 'matches a regular expression', types: 'any' },
  { insert: 'exists', detail: 'the run has a value', types: 'any' },
  { insert: 'missing', detail: 'the run has no value', types: 'any' },
];

/** Operators for a column of this type that start with what is typed. */
export function operatorSuggestions(prefix: string, type: ColumnType): Suggestion[] {
  const ordered = type === 'number' || type === 'date' || type === 'mixed';
  const needle = prefix.toLowerCase();
  return OPERATORS.filter(
    (op) => (op.types === 'any' || ordered) && op.insert.startsWith(needle),
  ).map((op) => ({ insert: op.insert, label: op.insert, detail: op.detail }));
}

export function connectorSuggestions(prefix: string): Suggestion[] {
  const needle = prefix.toLowerCase();
  return [
    { insert: 'and', label: 'and', detail: 'both conditions' },
    { insert: 'or', label: 'or', detail: 'either condition' },
  ].filter((s) => s.insert.startsWith(needle) && needle !== s.insert);
}

/** A value as the filter writes it (texts quoted when they are not plain words). */
export function valueText(value: JsonValue): string | null {
  if (typeof value === 'number') return formatFilterValue({ type: 'number', value });
  if (typeof value === 'boolean') return formatFilterValue({ type: 'bool', value });
  if (value === null) return 'null';
  if (typeof value === 'string') return formatFilterValue({ type: 'string', value });
  return null;
}

/** Values of the column, from the core's distinct values (most frequent first). */
export function valueSuggestions(
  prefix: string,
  values: readonly { value: JsonValue; count: number }[],
  limit = SUGGESTION_LIMIT,
): Suggestion[] {
  const needle = prefix.toLowerCase();
  const out: Suggestion[] = [];
  for (const { value, count } of values) {
    const text = valueText(value);
    if (text === null) continue;
    const plain = typeof value === 'string' ? value : text;
    if (needle !== '' && !plain.toLowerCase().includes(needle)) continue;
    out.push({ insert: text, label: plain, detail: `${count} run${count === 1 ? '' : 's'}` });
    if (out.length >= limit) break;
  }
  return out;
}

/** Values known without asking the core: statuses and booleans. */
export function fixedValues(path: ColumnPath): string[] | null {
  const id = formatColumnPath(path);
  if (id === 'status') return [...RUN_STATUSES];
  if (id === 'dead') return ['true', 'false'];
  return null;
}

export function fixedValueSuggestions(prefix: string, values: readonly string[]): Suggestion[] {
  const needle = prefix.toLowerCase();
  return values
    .filter((value) => value.toLowerCase().startsWith(needle))
    .map((value) => ({ insert: value, label: value, detail: '' }));
}
