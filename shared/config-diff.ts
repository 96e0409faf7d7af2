/**
 * The config diff of the compare view: one row per leaf path found in any of the configs,
 * one cell per run. Pure, so it is tested without a browser.
 */
import { describeJsonpickle, isJsonpickleNode } from './jsonpickle';

/** One run's value at a path; `present` is false when that run's config lacks the path. */
export interface ConfigDiffCell {
  present: boolean;
  /** What the cell shows: jsonpickle nodes decoded, strings quoted, arrays inline. */
  text: string;
}

export interface ConfigDiffRow {
  /** Dotted key path (Sacred refuses '.' in config keys, so the path is unambiguous). */
  path: string;
  cells: ConfigDiffCell[];
  /** True when the runs do not all hold the same value (a missing path counts as different). */
  differs: boolean;
}

type Plain = { [key: string]: unknown };

function isPlainObject(value: unknown): value is Plain {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Key order must not make two equal dicts look different. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** Arrays, jsonpickle nodes, empty dicts and scalars are leaves; dicts are walked into. */
function collectLeaves(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isPlainObject(value) && !isJsonpickleNode(value) && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value)) {
      collectLeaves(item, prefix === '' ? key : `${prefix}.${key}`, out);
    }
    return;
  }
  if (prefix !== '') out.set(prefix, value);
}

/** The leaf paths of one config with their values, in the config's own key order. */
export function configLeafMap(config: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  collectLeaves(config, '', out);
  return out;
}

/** Display text of a leaf value. */
export function diffCellText(value: unknown): string {
  const described = describeJsonpickle(value);
  if (described !== null) return described;
  if (typeof value === 'string') {
    // Non-finite floats arrive as these strings (shared/json-safe.ts): they are numbers.
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
    return JSON.stringify(value);
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    return JSON.stringify(value, (_key, item: unknown) => describeJsonpickle(item) ?? item);
  }
  if (value === null) return 'null';
  return String(value);
}

/**
 * One row per leaf path over all configs, in order of first appearance (the first run's key
 * order, then paths only later runs have).
 */
export function configDiff(configs: readonly unknown[]): ConfigDiffRow[] {
  const maps = configs.map(configLeafMap);
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const map of maps) {
    for (const path of map.keys()) {
      if (!seen.has(path)) {
        seen.add(path);
        paths.push(path);
      }
    }
  }
  return paths.map((path) => {
    const cells: ConfigDiffCell[] = [];
    const keys = new Set<string>();
    for (const map of maps) {
      const present = map.has(path);
      const value = map.get(path);
      keys.add(present ? canonical(value) : '\u0000missing');
      cells.push({ present, text: present ? diffCellText(value) : '' });
    }
    return { path, cells, differs: keys.size > 1 };
  });
}

/** The rows to show: all of them, or only those where the runs differ. */
export function visibleDiffRows(
  rows: readonly ConfigDiffRow[],
  onlyDifferences: boolean,
): ConfigDiffRow[] {
  return onlyDifferences ? rows.filter((row) => row.differs) : [...rows];
}
