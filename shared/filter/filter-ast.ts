/**
 * The filter language's syntax tree. The text form (parse-filter.ts / format-filter.ts) and
 * the UI's filter builder both produce this tree; the core evaluates only the tree.
 *
 * A column is a path of key segments, root first: ['config', 'optimizer', 'lr'],
 * ['metrics', 'loss', 'last'], ['status']. Segments are never joined into one string
 * internally, so keys holding dots, spaces or `$` are kept exactly.
 */
export type ColumnPath = string[];

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterValue =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'null' }
  /** An ISO 8601 date or date-time, kept as written (`2024-05-01`, `2024-05-01T10:00:00Z`). */
  | { type: 'date'; value: string };

export type FilterNode =
  | { type: 'and'; items: FilterNode[] }
  | { type: 'or'; items: FilterNode[] }
  | { type: 'not'; item: FilterNode }
  | { type: 'compare'; path: ColumnPath; op: CompareOp; value: FilterValue }
  | { type: 'in'; path: ColumnPath; values: FilterValue[] }
  /** Strings: case-insensitive substring. Lists: some element equals the value. */
  | { type: 'contains'; path: ColumnPath; value: FilterValue }
  /** `~` / `matches`: a JavaScript regular expression; on lists, some string element matches. */
  | { type: 'matches'; path: ColumnPath; pattern: string; flags: string }
  /** `exists`: the run has a value there (null counts); `missing`: it has none. */
  | { type: 'exists'; path: ColumnPath }
  | { type: 'missing'; path: ColumnPath }
  /** A bare quoted string: case-insensitive search over experiment, notes, comment and tags. */
  | { type: 'text'; value: string };

export interface FilterError {
  message: string;
  /** 0-based offset into the text where the problem is. */
  position: number;
}

export type ParseFilterResult =
  { ok: true; ast: FilterNode | null } | { ok: false; error: FilterError };

export interface SortSpec {
  /** A column id: the text form of a column path (see format-path.ts). */
  column: string;
  desc?: boolean;
}
