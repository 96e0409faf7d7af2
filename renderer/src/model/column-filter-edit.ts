import type { ColumnPath, CompareOp, FilterNode, FilterValue } from '../../../shared/filter';
import type { ColumnType } from '../../../shared/filter';
import { compileFilterRegex } from '../../../shared/filter';

/**
 * What a column's filter popover edits: the conditions on one column among the top-level AND
 * of the filter. The popover and the text form edit the same tree, so a condition built here
 * shows up in the text and a condition typed there shows up here.
 */
export interface ColumnFilterDraft {
  /** How this column's conditions combine: all must hold, or any one (an OR group). */
  combine: 'and' | 'or';
  presence: 'any' | 'exists' | 'missing';
  /** Numbers and dates: "> 3", "<= 2024-05-01"; two rows make a range. */
  compares: { op: CompareOp; value: string }[];
  /** Strings: the values picked from the column's distinct values (one means "="). */
  picked: string[];
  /** Strings: case-insensitive substring; lists: an element equal to it. */
  contains: string;
  regex: string;
  bool: 'any' | 'true' | 'false';
  /** Conditions on this column that the popover has no control for; kept as they are. */
  other: FilterNode[];
}

export const emptyDraft: ColumnFilterDraft = {
  combine: 'and',
  presence: 'any',
  compares: [],
  picked: [],
  contains: '',
  regex: '',
  bool: 'any',
  other: [],
};

export function samePath(a: ColumnPath, b: ColumnPath): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

/** The column a condition tests, when it tests exactly one (groups of one column count). */
function singlePath(node: FilterNode): ColumnPath | null {
  switch (node.type) {
    case 'compare':
    case 'in':
    case 'contains':
    case 'matches':
    case 'exists':
    case 'missing':
      return node.path;
    case 'not':
      return singlePath(node.item);
    case 'and':
    case 'or': {
      const first = node.items[0];
      if (first === undefined) return null;
      const path = singlePath(first);
      if (path === null) return null;
      return node.items.every((item) => {
        const other = singlePath(item);
        return other !== null && samePath(other, path);
      })
        ? path
        : null;
    }
    default:
      return null;
  }
}

function topItems(ast: FilterNode | null): FilterNode[] {
  if (ast === null) return [];
  return ast.type === 'and' ? ast.items : [ast];
}

function fromItems(items: FilterNode[]): FilterNode | null {
  if (items.length === 0) return null;
  if (items.length === 1) return items[0] ?? null;
  return { type: 'and', items };
}

/** The top-level conditions on `path`, flattened, and whether they form one OR group. */
export function columnConditions(
  ast: FilterNode | null,
  path: ColumnPath,
): { nodes: FilterNode[]; combine: 'and' | 'or' } {
  const mine = topItems(ast).filter((item) => {
    const p = singlePath(item);
    return p !== null && samePath(p, path);
  });
  const only = mine.length === 1 ? mine[0] : undefined;
  if (only?.type === 'or') return { nodes: only.items, combine: 'or' };
  const nodes = mine.flatMap((node) => (node.type === 'and' ? node.items : [node]));
  return { nodes, combine: 'and' };
}

/** Whether the filter has any top-level condition on `path` (the header shows a funnel). */
export function hasColumnFilter(ast: FilterNode | null, path: ColumnPath): boolean {
  return columnConditions(ast, path).nodes.length > 0;
}

/**
 * Replaces the top-level conditions on `path` by `nodes` (combined by `combine`), keeping every
 * other condition and its place; new conditions go at the end.
 */
export function setColumnConditions(
  ast: FilterNode | null,
  path: ColumnPath,
  nodes: FilterNode[],
  combine: 'and' | 'or' = 'and',
): FilterNode | null {
  const items = topItems(ast);
  const isMine = (item: FilterNode): boolean => {
    const p = singlePath(item);
    return p !== null && samePath(p, path);
  };
  const firstMine = items.findIndex(isMine);
  const kept = items.filter((item) => !isMine(item));
  const replacement: FilterNode[] =
    nodes.length === 0
      ? []
      : combine === 'or' && nodes.length > 1
        ? [{ type: 'or', items: nodes }]
        : nodes;
  const at = firstMine < 0 ? kept.length : firstMine;
  kept.splice(at, 0, ...replacement);
  return fromItems(kept);
}

/** The text an input shows for a value. */
export function valueText(value: FilterValue): string {
  switch (value.type) {
    case 'null':
      return 'null';
    case 'number':
      return String(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    default:
      return value.value;
  }
}

/**
 * A typed value from what the user entered, by the column's type: numbers for number
 * columns (null when it is no number), dates for date columns, strings otherwise. On mixed
 * columns a number-looking entry is a number, as it would be typed in the text form.
 */
export function valueFromInput(text: string, type: ColumnType): FilterValue | null {
  const trimmed = text.trim();
  if (type === 'number' || type === 'mixed' || type === 'list' || type === 'null') {
    const n = trimmed === '' ? Number.NaN : Number(trimmed);
    if (Number.isFinite(n)) return { type: 'number', value: n };
    if (type === 'number') return null;
  }
  if (type === 'date') {
    return /^\d{4}-\d{2}-\d{2}/u.test(trimmed) ? { type: 'date', value: trimmed } : null;
  }
  if (type === 'bool') {
    if (trimmed === 'true' || trimmed === 'false')
      return { type: 'bool', value: trimmed === 'true' };
    return null;
  }
  return { type: 'string', value: text };
}

/** Reads conditions into the popover's fields; what it cannot show goes to `other`. */
export function draftFromConditions(
  nodes: FilterNode[],
  combine: 'and' | 'or',
  type: ColumnType,
): ColumnFilterDraft {
  const draft: ColumnFilterDraft = { ...emptyDraft, combine, compares: [], picked: [], other: [] };
  const takesCompares = type === 'number' || type === 'date' || type === 'mixed';
  for (const node of nodes) {
    if (node.type === 'exists' && draft.presence === 'any') draft.presence = 'exists';
    else if (node.type === 'missing' && draft.presence === 'any') draft.presence = 'missing';
    else if (
      node.type === 'compare' &&
      node.value.type === 'bool' &&
      node.op === '=' &&
      draft.bool === 'any'
    ) {
      draft.bool = node.value.value ? 'true' : 'false';
    } else if (
      node.type === 'compare' &&
      node.op === '=' &&
      node.value.type === 'string' &&
      !takesCompares &&
      draft.picked.length === 0
    ) {
      draft.picked = [node.value.value];
    } else if (
      node.type === 'in' &&
      draft.picked.length === 0 &&
      node.values.every((value) => value.type === 'string')
    ) {
      draft.picked = node.values.map(valueText);
    } else if (
      node.type === 'compare' &&
      node.value.type !== 'null' &&
      node.value.type !== 'bool' &&
      (takesCompares || node.op !== '=')
    ) {
      draft.compares.push({ op: node.op, value: valueText(node.value) });
    } else if (node.type === 'contains' && draft.contains === '' && node.value.type !== 'null') {
      draft.contains = valueText(node.value);
    } else if (node.type === 'matches' && draft.regex === '' && node.flags === '') {
      draft.regex = node.pattern;
    } else {
      draft.other.push(node);
    }
  }
  return draft;
}

/** The popover's fields as conditions on `path`; entries that are no valid value are skipped. */
export function conditionsFromDraft(
  draft: ColumnFilterDraft,
  path: ColumnPath,
  type: ColumnType,
): FilterNode[] {
  const nodes: FilterNode[] = [];
  if (draft.presence === 'exists') nodes.push({ type: 'exists', path });
  if (draft.presence === 'missing') nodes.push({ type: 'missing', path });
  if (draft.bool !== 'any') {
    nodes.push({
      type: 'compare',
      path,
      op: '=',
      value: { type: 'bool', value: draft.bool === 'true' },
    });
  }
  const [onlyPick] = draft.picked;
  if (draft.picked.length === 1 && onlyPick !== undefined) {
    nodes.push({ type: 'compare', path, op: '=', value: { type: 'string', value: onlyPick } });
  } else if (draft.picked.length > 1) {
    nodes.push({
      type: 'in',
      path,
      values: draft.picked.map((value) => ({ type: 'string', value })),
    });
  }
  for (const compare of draft.compares) {
    const value = valueFromInput(compare.value, type === 'string' ? 'string' : type);
    if (value !== null && compare.value.trim() !== '') {
      nodes.push({ type: 'compare', path, op: compare.op, value });
    }
  }
  if (draft.contains.trim() !== '') {
    const value =
      type === 'list'
        ? (valueFromInput(draft.contains, 'list') ?? { type: 'string', value: draft.contains })
        : ({ type: 'string', value: draft.contains } as const);
    nodes.push({ type: 'contains', path, value });
  }
  if (draft.regex !== '') nodes.push({ type: 'matches', path, pattern: draft.regex, flags: '' });
  nodes.push(...draft.other);
  return nodes;
}

/** Whether a regular expression typed into the popover compiles, or why not. */
export function regexProblem(pattern: string): string | null {
  if (pattern === '') return null;
  // The engine the core filters with (RE2), so the popover refuses exactly what the core would.
  const compiled = compileFilterRegex(pattern, '');
  return compiled.ok ? null : compiled.reason;
}
