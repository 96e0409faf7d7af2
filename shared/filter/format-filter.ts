import type { ColumnPath, FilterNode, FilterValue } from './filter-ast';
import { KEYWORDS } from './filter-scanner';

const BARE_SEGMENT = /^[A-Za-z0-9_-]+$/u;
const BARE_VALUE = /^[A-Za-z_][A-Za-z0-9_]*$/u;

/** The column id of a path: segments joined by dots, quoted when not plain words. */
export function formatColumnPath(path: ColumnPath): string {
  return path
    .map((segment, index) =>
      (index === 0 ? /^[A-Za-z_][A-Za-z0-9_-]*$/u : BARE_SEGMENT).test(segment)
        ? segment
        : JSON.stringify(segment),
    )
    .join('.');
}

export function formatFilterValue(value: FilterValue): string {
  switch (value.type) {
    case 'number':
      return String(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'date':
      return value.value;
    case 'string':
      return BARE_VALUE.test(value.value) && !KEYWORDS.has(value.value.toLowerCase())
        ? value.value
        : JSON.stringify(value.value);
  }
}

/**
 * Drops empty and/or groups (a group the UI has not filled yet is "no condition") and
 * unwraps groups of one; null when nothing is left.
 */
export function normalizeFilter(node: FilterNode | null): FilterNode | null {
  if (node === null) return null;
  if (node.type === 'and' || node.type === 'or') {
    const items = node.items
      .map(normalizeFilter)
      .filter((item): item is FilterNode => item !== null);
    if (items.length === 0) return null;
    if (items.length === 1) return items[0] as FilterNode;
    return { type: node.type, items };
  }
  if (node.type === 'not') {
    const item = normalizeFilter(node.item);
    return item === null ? null : { type: 'not', item };
  }
  return node;
}

/**
 * The text form of a filter; `parseFilter(formatFilter(ast))` gives back
 * `normalizeFilter(ast)`. Null (no filter) formats as ''.
 */
export function formatFilter(ast: FilterNode | null): string {
  const node = normalizeFilter(ast);
  return node === null ? '' : format(node);
}

function format(node: FilterNode): string {
  switch (node.type) {
    case 'or':
      return node.items
        .map((item) => (item.type === 'or' ? `(${format(item)})` : format(item)))
        .join(' or ');
    case 'and':
      return node.items
        .map((item) =>
          item.type === 'or' || item.type === 'and' ? `(${format(item)})` : format(item),
        )
        .join(' and ');
    case 'not':
      return node.item.type === 'or' || node.item.type === 'and'
        ? `not (${format(node.item)})`
        : `not ${format(node.item)}`;
    case 'compare':
      return `${formatColumnPath(node.path)} ${node.op} ${formatFilterValue(node.value)}`;
    case 'in':
      return `${formatColumnPath(node.path)} in (${node.values.map(formatFilterValue).join(', ')})`;
    case 'contains':
      return `${formatColumnPath(node.path)} contains ${formatFilterValue(node.value)}`;
    case 'matches':
      return `${formatColumnPath(node.path)} ~ ${formatPattern(node.pattern, node.flags)}`;
    case 'exists':
      return `${formatColumnPath(node.path)} exists`;
    case 'missing':
      return `${formatColumnPath(node.path)} missing`;
    case 'text':
      return JSON.stringify(node.value);
  }
}

function formatPattern(pattern: string, flags: string): string {
  if (flags === '') return JSON.stringify(pattern);
  // In the /literal/ form a "/" must be escaped; "\/" already means "/" to RegExp.
  return `/${pattern.replace(/\\\//gu, '/').replace(/\//gu, '\\/')}/${flags}`;
}
