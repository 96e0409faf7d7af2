/**
 * The column picker's discovery as it was before the persisted catalog (issue 6): every run
 * of every source read and walked on each call. Kept as the oracle the catalog must equal.
 */
import type { Database } from 'better-sqlite3';
import type { ColumnInfo } from '../../shared/contract';
import { BUILTIN_COLUMNS, formatColumnPath, parseColumnId } from '../../shared/filter';
import type { ColumnType } from '../../shared/filter';
import { Kind, isoDateMs } from '../../main/core/query/column';
import type { Column } from '../../main/core/query/column';
import type { QueryEngine } from '../../main/core/query/query-engine';
import type { SourceSegment } from '../../main/core/query/source-segment';

/** Distinct values are counted up to this many per column; past it the count says "at least". */
const DISTINCT_CAP = 1000;

type Group = ColumnInfo['group'];

interface PathStats {
  path: string[];
  group: Group;
  kinds: Set<ColumnType>;
  /** Distinct values seen (primitives as they are, lists and objects as JSON), up to the cap. */
  values: Set<unknown>;
  capped: boolean;
  present: number;
  /** Metric summaries: a distinct count from SQL instead of `values`. */
  approximateDistinct?: number;
}

const JSON_ROOTS: ReadonlyArray<[Group, string]> = [
  ['config', 'config'],
  ['info', 'info'],
  ['host', 'host_info'],
  ['meta', 'meta'],
  ['experiment', 'experiment_info'],
  ['result', 'result'],
];

const METRIC_AGGREGATES_SHOWN = ['last', 'min', 'max', 'mean', 'count'] as const;

/** Per segment (one source at one version): its discovered columns. */

/**
 * Every column the selected sources offer: built-ins, each leaf path under config, info,
 * host, meta, experiment and result (objects expanded, lists are leaves), metric summaries,
 * with Omniboard's columns marked as suggested.
 */
export function listColumnsByWalkingAllRuns(
  db: Database,
  engine: QueryEngine,
  segments: readonly SourceSegment[],
): ColumnInfo[] {
  const merged = new Map<string, PathStats>();
  for (const segment of segments) {
    const stats = discoverSegment(db, engine, segment);
    for (const [id, entry] of stats) {
      const into = merged.get(id);
      if (into === undefined) {
        merged.set(id, { ...entry, kinds: new Set(entry.kinds), values: new Set(entry.values) });
        continue;
      }
      for (const kind of entry.kinds) into.kinds.add(kind);
      into.present += entry.present;
      into.capped ||= entry.capped;
      if (entry.approximateDistinct !== undefined) {
        // Summed over sources: an upper bound.
        into.approximateDistinct = (into.approximateDistinct ?? 0) + entry.approximateDistinct;
      }
      for (const value of entry.values) {
        if (into.values.size >= DISTINCT_CAP) {
          into.capped = true;
          break;
        }
        into.values.add(value);
      }
    }
  }
  const suggestions = omniboardColumns(
    db,
    segments.map((segment) => segment.source),
  );
  const columns: ColumnInfo[] = [];
  const builtinOrder = new Map(BUILTIN_COLUMNS.map((column, i) => [column.name, i]));
  for (const [id, stats] of merged) {
    const label = suggestions.get(id) ?? null;
    columns.push({
      id,
      path: stats.path,
      group: stats.group,
      type: typeOf(stats.kinds, stats.group === 'builtin' ? builtinType(id) : null),
      distinct:
        stats.approximateDistinct === undefined
          ? stats.values.size
          : Math.min(stats.approximateDistinct, DISTINCT_CAP),
      distinctCapped:
        stats.approximateDistinct === undefined
          ? stats.capped
          : stats.approximateDistinct > DISTINCT_CAP,
      present: stats.present,
      suggested: label !== null,
      label,
    });
  }
  for (const [id, label] of suggestions) {
    if (merged.has(id)) continue;
    const parsed = parseColumnId(id);
    if (!parsed.ok) continue;
    const root = parsed.path[0] as string;
    columns.push({
      id,
      path: parsed.path,
      group: root === 'metrics' ? 'metrics' : (root as Group),
      type: 'null',
      distinct: 0,
      distinctCapped: false,
      present: 0,
      suggested: true,
      label,
    });
  }
  const groupRank: Record<Group, number> = {
    builtin: 0,
    config: 1,
    metrics: 2,
    result: 3,
    info: 4,
    meta: 5,
    host: 6,
    experiment: 7,
  };
  return columns.sort(
    (a, b) =>
      groupRank[a.group] - groupRank[b.group] ||
      (a.group === 'builtin'
        ? (builtinOrder.get(a.id) ?? 0) - (builtinOrder.get(b.id) ?? 0)
        : a.id < b.id
          ? -1
          : a.id > b.id
            ? 1
            : 0),
  );
}

function builtinType(id: string): ColumnType | null {
  return BUILTIN_COLUMNS.find((column) => column.name === id)?.type ?? null;
}

function typeOf(kinds: Set<ColumnType>, fixed: ColumnType | null): ColumnType {
  const seen = [...kinds].filter((kind) => kind !== 'null');
  if (seen.length === 0) return fixed ?? 'null';
  if (seen.length === 1) return seen[0] as ColumnType;
  return fixed ?? 'mixed';
}

function discoverSegment(
  db: Database,
  engine: QueryEngine,
  segment: SourceSegment,
): Map<string, PathStats> {
  const stats = new Map<string, PathStats>();
  const getter = engine.getter(segment, 0);
  for (const builtin of BUILTIN_COLUMNS) {
    if (builtin.name === 'dead') continue;
    const entry = newStats([builtin.name], 'builtin');
    addColumn(entry, getter([builtin.name]), segment.length);
    stats.set(builtin.name, entry);
  }
  stats.set('dead', {
    ...newStats(['dead'], 'builtin'),
    kinds: new Set(['bool']),
    values: new Set([false, true]),
    present: segment.length,
  });

  // Identical documents (info, meta, host are often the same for many runs) are parsed once.
  const texts = JSON_ROOTS.map(() => new Map<string, number>());
  const rows = db
    .prepare(`SELECT ${JSON_ROOTS.map(([, sql]) => sql).join(', ')} FROM runs WHERE source = ?`)
    .raw()
    .iterate(segment.source) as IterableIterator<unknown[]>;
  for (const row of rows) {
    texts.forEach((counts, k) => {
      const text = row[k];
      if (typeof text === 'string') counts.set(text, (counts.get(text) ?? 0) + 1);
    });
  }
  JSON_ROOTS.forEach(([group], k) => {
    const root: TrieNode = { path: [group], children: new Map(), stats: null };
    for (const [text, count] of texts[k] as Map<string, number>) {
      const value = JSON.parse(text) as unknown;
      if (isPlainObject(value)) walk(root, group, value, count);
    }
    collect(root, stats);
  });

  // One distinct count per metric (of its last value) stands for all its summaries: counting
  // each summary's distinct values would triple the cost for a number nobody picks from.
  const metricRows = db
    .prepare(
      `SELECT name, COUNT(*), COUNT(DISTINCT last_value) FROM metrics WHERE source = ?
       GROUP BY name`,
    )
    .raw()
    .all(segment.source) as [string, number, number][];
  for (const [name, present, distinct] of metricRows) {
    for (const aggregate of METRIC_AGGREGATES_SHOWN) {
      const path = ['metrics', name, aggregate];
      const entry = newStats(path, 'metrics');
      entry.kinds.add('number');
      entry.present = present;
      entry.approximateDistinct = distinct;
      stats.set(formatColumnPath(path), entry);
    }
  }
  return stats;
}

function newStats(path: string[], group: Group): PathStats {
  return { path, group, kinds: new Set(), values: new Set(), capped: false, present: 0 };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Paths seen under a root: each node made once, so a path's id is formatted once. */
interface TrieNode {
  path: string[];
  children: Map<string, TrieNode>;
  stats: PathStats | null;
}

function walk(node: TrieNode, group: Group, value: Record<string, unknown>, count: number): void {
  for (const key of Object.keys(value)) {
    const child = value[key];
    let next = node.children.get(key);
    if (next === undefined) {
      next = { path: [...node.path, key], children: new Map(), stats: null };
      node.children.set(key, next);
    }
    if (isPlainObject(child) && Object.keys(child).length > 0) {
      walk(next, group, child, count);
      continue;
    }
    const entry = (next.stats ??= newStats(next.path, group));
    entry.present += count;
    entry.kinds.add(typeOfValue(child));
    if (entry.capped) continue;
    const distinctKey = child !== null && typeof child === 'object' ? JSON.stringify(child) : child;
    if (entry.values.size < DISTINCT_CAP) entry.values.add(distinctKey);
    else if (!entry.values.has(distinctKey)) entry.capped = true;
  }
}

function collect(node: TrieNode, into: Map<string, PathStats>): void {
  if (node.stats !== null) into.set(formatColumnPath(node.path), node.stats);
  for (const child of node.children.values()) collect(child, into);
}

function typeOfValue(value: unknown): ColumnType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'object':
      return 'object';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default: {
      const text = String(value);
      const first = text.charCodeAt(0);
      return first >= 0x30 && first <= 0x39 && !Number.isNaN(isoDateMs(text)) ? 'date' : 'string';
    }
  }
}

function addColumn(entry: PathStats, column: Column, length: number): void {
  const numbers = new Set<number>();
  const codes = new Set<number>();
  for (let i = 0; i < length; i++) {
    const kind = column.kinds[i];
    if (kind === Kind.Missing) continue;
    entry.present++;
    switch (kind) {
      case Kind.Null:
        entry.kinds.add('null');
        break;
      case Kind.Bool:
        entry.kinds.add('bool');
        numbers.add(column.nums[i] as number);
        break;
      case Kind.Number:
        entry.kinds.add('number');
        numbers.add(column.nums[i] as number);
        break;
      case Kind.Date:
        entry.kinds.add('date');
        numbers.add(column.nums[i] as number);
        break;
      case Kind.String:
        entry.kinds.add('string');
        codes.add(column.code(i));
        break;
      case Kind.List:
        entry.kinds.add('list');
        codes.add(column.code(i));
        break;
      default:
        entry.kinds.add('object');
        codes.add(column.code(i));
    }
  }
  for (const value of numbers) {
    if (entry.values.size >= DISTINCT_CAP) break;
    entry.values.add(value);
  }
  for (const code of codes) {
    if (entry.values.size >= DISTINCT_CAP) break;
    entry.values.add(column.dict[code]);
  }
  entry.capped = numbers.size + codes.size > DISTINCT_CAP;
}

/** Omniboard's columns of these sources: column id → label. */
function omniboardColumns(db: Database, sources: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const statement = db.prepare('SELECT column_id, label FROM omniboard_columns WHERE source = ?');
  for (const source of sources) {
    for (const row of statement.all(source) as { column_id: string; label: string }[]) {
      if (!out.has(row.column_id)) out.set(row.column_id, row.label);
    }
  }
  return out;
}
