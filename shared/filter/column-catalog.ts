import type { ColumnPath } from './filter-ast';

/** The value type of a column as listColumns reports it. */
export type ColumnType =
  | 'number'
  | 'string'
  | 'bool'
  | 'date'
  | 'list'
  | 'object'
  | 'mixed'
  /** Only nulls seen. */
  | 'null';

export interface BuiltinColumn {
  name: string;
  type: ColumnType;
  description: string;
}

/**
 * Columns that are a single word. `host`, `experiment` and `result` alone are built-ins;
 * followed by more segments they are paths into host info, experiment info and the result.
 */
export const BUILTIN_COLUMNS: readonly BuiltinColumn[] = [
  { name: 'source', type: 'string', description: 'source name' },
  {
    name: 'id',
    type: 'string',
    description:
      'run id: whole numbers compare and sort as numbers (2 < 10), before text ids, then ObjectIds',
  },
  { name: 'experiment', type: 'string', description: 'experiment name' },
  { name: 'command', type: 'string', description: 'command run' },
  {
    name: 'status',
    type: 'string',
    description:
      'QUEUED, RUNNING, COMPLETED, FAILED, INTERRUPTED, TIMEOUT or a custom status (any case)',
  },
  { name: 'dead', type: 'bool', description: 'RUNNING with a stale heartbeat ("probably dead")' },
  { name: 'start_time', type: 'date', description: 'start time (UTC)' },
  { name: 'stop_time', type: 'date', description: 'stop time (UTC)' },
  { name: 'heartbeat', type: 'date', description: 'last heartbeat (UTC)' },
  {
    name: 'duration',
    type: 'number',
    description: 'seconds from start to stop (to the last heartbeat while running)',
  },
  { name: 'host', type: 'string', description: 'host name' },
  { name: 'result', type: 'mixed', description: 'the run result' },
  { name: 'tags', type: 'list', description: 'omniboard.tags and config.tags' },
  { name: 'notes', type: 'string', description: 'omniboard.notes, else meta.comment' },
  { name: 'comment', type: 'string', description: 'meta.comment' },
  { name: 'artifacts', type: 'number', description: 'number of artifacts' },
  { name: 'metrics', type: 'number', description: 'number of metrics' },
];

/** Roots followed by at least one key segment. */
export const PATH_ROOTS = ['config', 'info', 'host', 'meta', 'experiment', 'result'] as const;
export type PathRoot = (typeof PATH_ROOTS)[number];

/** `metrics.<name>.<aggregate>`; `lastN` (e.g. last10) is the mean of the last N points. */
export const METRIC_AGGREGATES = ['last', 'first', 'min', 'max', 'mean', 'count'] as const;
export type MetricAggregate = (typeof METRIC_AGGREGATES)[number] | `last${number}`;

/** The pseudo column of free-text search: `text contains "foo"`, `text ~ "fo+"`. */
export const TEXT_COLUMN = 'text';

/** What a table shows before the user picks columns (also the CLI's default). */
export const DEFAULT_COLUMNS: readonly string[] = [
  'source',
  'id',
  'experiment',
  'status',
  'start_time',
  'duration',
  'host',
];

export const DEFAULT_SORT = [{ column: 'start_time', desc: true }] as const;

const builtinNames = new Set(BUILTIN_COLUMNS.map((column) => column.name));
const pathRoots = new Set<string>(PATH_ROOTS);
const lastN = /^last([1-9][0-9]{0,5})$/u;

export function isBuiltinColumn(name: string): boolean {
  return builtinNames.has(name);
}

/** N of a `lastN` aggregate, or null. */
export function lastNCount(aggregate: string): number | null {
  const match = lastN.exec(aggregate);
  return match === null ? null : Number(match[1]);
}

export function isMetricAggregate(aggregate: string): aggregate is MetricAggregate {
  return (METRIC_AGGREGATES as readonly string[]).includes(aggregate) || lastN.test(aggregate);
}

/**
 * Why a path is not a column, or null when it is one. Shared by the parser (which reports
 * the position) and the core (which validates column ids of sort/columns arguments).
 */
export function checkColumnPath(path: ColumnPath): string | null {
  const [root, ...rest] = path;
  if (root === undefined) return 'a column needs a name';
  if (root === 'metrics') {
    if (rest.length === 0) return null;
    if (rest.length !== 2) {
      return 'a metric column is metrics.<name>.<last|first|min|max|mean|count|lastN>';
    }
    const aggregate = rest[1] as string;
    if (!isMetricAggregate(aggregate)) {
      return `unknown metric summary "${aggregate}": use last, first, min, max, mean, count or lastN (e.g. last10)`;
    }
    return null;
  }
  if (root === TEXT_COLUMN) {
    return rest.length === 0 ? null : '"text" is the free-text search and has no keys';
  }
  if (pathRoots.has(root)) {
    if (rest.length === 0 && !builtinNames.has(root)) {
      return `"${root}" needs a key, e.g. ${root}.name`;
    }
    return null;
  }
  if (builtinNames.has(root)) {
    return rest.length === 0 ? null : `"${root}" has no keys`;
  }
  return `unknown column "${root}": use a built-in (${[...builtinNames].join(', ')}) or a path under ${[...pathRoots, 'metrics'].join(', ')}`;
}
