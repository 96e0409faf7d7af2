import type { Database } from 'better-sqlite3';
import type { ColumnInfo } from '../../../shared/contract';
import { BUILTIN_COLUMNS, formatColumnPath, parseColumnId } from '../../../shared/filter';
import type { ColumnType } from '../../../shared/filter';
import { Kind } from './column';
import type { Column } from './column';
import { CATALOG_BUILTINS, DISTINCT_CAP, KINDS, METRIC_SUMMARIES_SHOWN } from './column-catalog';
import type { Tally } from './column-catalog';
import { catalogOf } from './column-catalog-store';
import type { QueryEngine } from './query-engine';
import type { SourceSegment } from './source-segment';

export { DISTINCT_CAP } from './column-catalog';

type Group = ColumnInfo['group'];

interface PathStats {
  path: string[];
  group: Group;
  kinds: Set<ColumnType>;
  /** Distinct values seen (primitives as they are, lists and objects as JSON), up to the cap. */
  values: Set<unknown>;
  capped: boolean;
  /**
   * Capped in one of the sources: the merged count is the cap (a source's capped values
   * would fill the merged set to it), so those values need not be known.
   */
  saturated: boolean;
  present: number;
  /** Metric summaries: a distinct count from SQL instead of `values`. */
  approximateDistinct?: number;
}

/** Per segment (one source at one version): its discovered columns. */
const discovered = new WeakMap<SourceSegment, Map<string, PathStats>>();

/**
 * Every column the selected sources offer: built-ins, each leaf path under config, info,
 * host, meta, experiment and result (objects expanded, lists are leaves), metric summaries,
 * with Omniboard's columns marked as suggested.
 */
export function listColumns(
  db: Database,
  engine: QueryEngine,
  segments: readonly SourceSegment[],
): ColumnInfo[] {
  const merged = new Map<string, PathStats>();
  for (const segment of segments) {
    let stats = discovered.get(segment);
    if (stats === undefined) {
      stats = discoverSegment(db, engine, segment);
      discovered.set(segment, stats);
    }
    for (const [id, entry] of stats) {
      const into = merged.get(id);
      if (into === undefined) {
        merged.set(id, { ...entry, kinds: new Set(entry.kinds), values: new Set(entry.values) });
        continue;
      }
      for (const kind of entry.kinds) into.kinds.add(kind);
      into.present += entry.present;
      into.capped ||= entry.capped;
      into.saturated ||= entry.saturated;
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
          ? stats.saturated
            ? DISTINCT_CAP
            : stats.values.size
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

/**
 * The columns of one source: the built-ins held by the loaded segment counted here, the rest
 * (JSON leaf paths, costly built-ins, metrics) from the source's persisted catalog.
 */
function discoverSegment(
  db: Database,
  engine: QueryEngine,
  segment: SourceSegment,
): Map<string, PathStats> {
  const stats = new Map<string, PathStats>();
  const getter = engine.getter(segment, 0);
  const catalog = catalogOf(db, segment.source);
  const fromCatalog = new Set<string>(CATALOG_BUILTINS);
  for (const builtin of BUILTIN_COLUMNS) {
    if (builtin.name === 'dead') continue;
    const entry = newStats([builtin.name], 'builtin');
    if (fromCatalog.has(builtin.name)) {
      const tally = catalog.entries.get(builtin.name);
      if (tally !== undefined) fromTally(entry, tally);
    } else addColumn(entry, getter([builtin.name]), segment.length);
    stats.set(builtin.name, entry);
  }
  stats.set('dead', {
    ...newStats(['dead'], 'builtin'),
    kinds: new Set(['bool']),
    values: new Set([false, true]),
    present: segment.length,
  });
  for (const [id, tally] of catalog.entries) {
    if (tally.group === 'builtin') continue;
    const entry = newStats(tally.path, tally.group);
    fromTally(entry, tally);
    stats.set(id, entry);
  }

  // Each summary has its own distinct count (kept by the catalog as runs change).
  for (const [name, tallies] of catalog.metrics) {
    for (const aggregate of METRIC_SUMMARIES_SHOWN) {
      const tally = tallies[aggregate];
      const path = ['metrics', name, aggregate];
      const entry = newStats(path, 'metrics');
      entry.kinds.add('number');
      entry.present = tally.present;
      entry.approximateDistinct = tally.values === null ? tally.atLeast : tally.values.size;
      stats.set(formatColumnPath(path), entry);
    }
  }
  return stats;
}

function newStats(path: string[], group: Group): PathStats {
  return {
    path,
    group,
    kinds: new Set(),
    values: new Set(),
    capped: false,
    saturated: false,
    present: 0,
  };
}

function fromTally(entry: PathStats, tally: Tally): void {
  entry.present = tally.present;
  tally.kinds.forEach((runs, k) => {
    if (runs > 0) entry.kinds.add(KINDS[k] as ColumnType);
  });
  if (tally.values === null || tally.values.size > DISTINCT_CAP) {
    entry.capped = true;
    entry.saturated = true;
    return;
  }
  for (const value of tally.values.keys()) entry.values.add(value);
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
  entry.saturated = entry.capped;
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
