/** The filter language (pure: no Node, no zod; the zod schema is in filter-schema.ts). */
export type {
  ColumnPath,
  CompareOp,
  FilterError,
  FilterNode,
  FilterValue,
  ParseFilterResult,
  SortSpec,
} from './filter-ast';
export { parseColumnId, parseFilter } from './parse-filter';
export {
  formatColumnPath,
  formatFilter,
  formatFilterValue,
  normalizeFilter,
} from './format-filter';
export {
  BUILTIN_COLUMNS,
  DEFAULT_COLUMNS,
  DEFAULT_SORT,
  METRIC_AGGREGATES,
  PATH_ROOTS,
  TEXT_COLUMN,
  checkColumnPath,
  isBuiltinColumn,
  isMetricAggregate,
  lastNCount,
  type BuiltinColumn,
  type ColumnType,
  type MetricAggregate,
} from './column-catalog';
export { describeFilterError } from './describe-filter-error';
export { applyCompletion, completionContext, type CompletionContext } from './filter-completion';
export { suggestFilterFix, type FilterFix } from './filter-fix';
export { MAX_REGEX_PROGRAM_SIZE, compileFilterRegex, type FilterRegex } from './filter-regex';
export {
  MAX_FILTER_DEPTH,
  MAX_FILTER_TREE_DEPTH,
  filterTooDeepMessage,
  filterTreeTooDeep,
} from './filter-depth';
export { RUN_STATUSES, canonicalStatuses } from './status-values';
