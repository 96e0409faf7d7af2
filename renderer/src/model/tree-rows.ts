import { describeJsonpickle } from '../../../shared/jsonpickle';

export type PathSegment = string | number;

/** One visible line of a JSON tree. */
export interface TreeRow {
  /** The node's path as text, unique per row (also the expansion key). */
  id: string;
  path: PathSegment[];
  /** The key as shown: `json://1` stored keys read `1`. */
  label: string;
  depth: number;
  kind: 'object' | 'array' | 'value' | 'decoded' | 'more';
  /** The raw value (for copy-value and raw JSON). */
  value: unknown;
  /** A decoded jsonpickle node's one-line description. */
  description?: string;
  /** Children of an object or array. */
  size?: number;
  expanded?: boolean;
  /** The row itself matches the search (not only a descendant). */
  matched?: boolean;
  /** For a "more" row: how many children are not shown yet. */
  hidden?: number;
}

export interface TreeRowOptions {
  query: string;
  /** Whether a container is open; the search opens the way to every match regardless. */
  isExpanded: (id: string, depth: number) => boolean;
  /** How many children a container shows before a "show more" row (per container id). */
  shownChildren: (id: string) => number;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/u;

/** `optimizer.lr`, `layers[0]`, `info["a,b"]`: a path a user can read and paste. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Sacred writes non-string dict keys as `json://<key as JSON>`; show the key itself. */
export function displayKey(key: string): string {
  if (!key.startsWith('json://')) return key;
  const inner = key.slice('json://'.length);
  return inner === 'null' ? 'None' : inner;
}

function isContainer(value: unknown): value is object {
  return value !== null && typeof value === 'object' && describeJsonpickle(value) === null;
}

function children(value: object): [PathSegment, unknown][] {
  return Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value as Record<string, unknown>);
}

/** A leaf as text: what the search matches against and what a row shows. */
export function leafText(value: unknown): string {
  const described = describeJsonpickle(value);
  if (described !== null) return described;
  if (typeof value === 'string') {
    // Non-finite numbers travel as these strings (shared/json-safe.ts): show them as numbers.
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
    return JSON.stringify(value);
  }
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}

/**
 * The visible rows of a JSON tree, depth first. With a query, only nodes whose path, key or
 * value contains it (case-insensitively) are shown, with the containers leading to them open;
 * a container whose own path matches shows its whole content.
 */
export function treeRows(data: unknown, options: TreeRowOptions): TreeRow[] {
  const needle = options.query.trim().toLowerCase();
  const rows: TreeRow[] = [];
  const matchMemo = new Map<unknown, boolean>();

  const selfMatches = (id: string, label: string, value: unknown): boolean =>
    needle !== '' &&
    (id.toLowerCase().includes(needle) ||
      label.toLowerCase().includes(needle) ||
      (!isContainer(value) && leafText(value).toLowerCase().includes(needle)));

  const subtreeMatches = (value: unknown, path: PathSegment[]): boolean => {
    if (!isContainer(value)) return false;
    const memo = matchMemo.get(value);
    if (memo !== undefined) return memo;
    let found = false;
    for (const [key, item] of children(value)) {
      const childPath = [...path, key];
      const id = formatPath(childPath);
      const label = typeof key === 'number' ? String(key) : displayKey(key);
      if (selfMatches(id, label, item) || subtreeMatches(item, childPath)) {
        found = true;
        break;
      }
    }
    matchMemo.set(value, found);
    return found;
  };

  const visit = (
    key: PathSegment | null,
    value: unknown,
    path: PathSegment[],
    depth: number,
    showAll: boolean,
  ): void => {
    const id = formatPath(path);
    const label = key === null ? '' : typeof key === 'number' ? String(key) : displayKey(key);
    const matched = selfMatches(id, label, value);
    const inside = !showAll && needle !== '' && subtreeMatches(value, path);
    if (key !== null && !showAll && needle !== '' && !matched && !inside) return;
    const container = isContainer(value);
    if (!container) {
      const description = describeJsonpickle(value);
      if (key === null) {
        // A bare value at the top (a scalar result): one row with no key.
        rows.push({ id: id || '(value)', path, label: '', depth, kind: 'value', value, matched });
        return;
      }
      rows.push({
        id,
        path,
        label,
        depth,
        kind: description === null ? 'value' : 'decoded',
        value,
        ...(description === null ? {} : { description }),
        matched,
      });
      return;
    }
    const entries = children(value);
    const expanded =
      key === null || (needle !== '' && !showAll && inside) || options.isExpanded(id, depth);
    if (key !== null) {
      rows.push({
        id,
        path,
        label,
        depth,
        kind: Array.isArray(value) ? 'array' : 'object',
        value,
        size: entries.length,
        expanded,
        matched,
      });
    }
    if (!expanded) return;
    const childDepth = key === null ? depth : depth + 1;
    const limit = options.shownChildren(id);
    let shown = 0;
    for (const [childKey, item] of entries) {
      if (shown >= limit) {
        rows.push({
          id: `${id}\u0000more`,
          path,
          label: '',
          depth: childDepth,
          kind: 'more',
          value: null,
          hidden: entries.length - shown,
        });
        break;
      }
      const before = rows.length;
      visit(childKey, item, [...path, childKey], childDepth, showAll || matched);
      if (rows.length > before) shown++;
    }
  };

  visit(null, data, [], 0, false);
  return rows;
}
