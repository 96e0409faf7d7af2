/**
 * What the column picker should list, worked out by brute force and independently of the
 * app's column code: every run row read with plain SQL, its JSON documents parsed with
 * JSON.parse and walked to their leaves, every value put in a JS Set. No code of the catalog,
 * the query engine or its columns is used, so a bug there cannot hide in the oracle too.
 *
 * It covers what the persisted catalog keeps: the leaf paths of config, info, host, meta,
 * experiment and result, the built-ins result, tags, comment, artifacts and metrics, the
 * metric summaries and Omniboard's suggestions. The other built-ins (source, id, status,
 * times, duration, host, notes, dead) come from the loaded run table, not from the catalog,
 * and are left out (`ORACLE_COLUMNS` tells which column ids the oracle answers for).
 */
import type { Database } from 'better-sqlite3';
import type { ColumnInfo } from '../../shared/contract';
import { formatColumnPath, parseColumnId } from '../../shared/filter';

type Group = ColumnInfo['group'];
type Kind = ColumnInfo['type'];

/** The documented cap: past 1000 distinct values the count says "at least 1000". */
const CAP = 1000;

/** The JSON documents of a run, by column group: the text column of `runs` holding each. */
const DOCUMENTS: ReadonlyArray<[Group, string]> = [
  ['config', 'config'],
  ['info', 'info'],
  ['host', 'host_info'],
  ['meta', 'meta'],
  ['experiment', 'experiment_info'],
  ['result', 'result'],
];

/** The order of the picker: built-ins as declared, then groups in this order, ids sorted. */
const GROUP_ORDER: Group[] = [
  'builtin',
  'config',
  'metrics',
  'result',
  'info',
  'meta',
  'host',
  'experiment',
];
/** The built-ins the catalog keeps, in the picker's order, with their declared types. */
const BUILTINS_KEPT: ReadonlyArray<[string, Kind]> = [
  ['result', 'mixed'],
  ['tags', 'list'],
  ['comment', 'string'],
  ['artifacts', 'number'],
  ['metrics', 'number'],
];
const METRIC_SUMMARIES = ['last', 'min', 'max', 'mean', 'count'];

interface Seen {
  path: string[];
  group: Group;
  kinds: Set<Kind>;
  values: Set<unknown>;
  present: number;
  /** Metric summaries: the sum over sources of their distinct last values. */
  summedDistinct?: number;
}

/** An ISO date (what Sacred and the cache write): the picker offers date filters for it. */
function isDateText(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/u.test(text);
}

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return isDateText(String(value)) ? 'date' : 'string';
}

/** Lists and objects count as their JSON text; everything else as it is. */
function distinctKey(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

function note(
  seen: Map<string, Seen>,
  path: string[],
  group: Group,
  value: unknown,
  /** A built-in: null is no distinct value, and true/false count as 1/0 (as the run table holds them). */
  builtin = false,
): void {
  const id = formatColumnPath(path);
  let entry = seen.get(id);
  if (entry === undefined) {
    entry = { path, group, kinds: new Set(), values: new Set(), present: 0 };
    seen.set(id, entry);
  }
  entry.present++;
  entry.kinds.add(kindOf(value));
  if (value === null && builtin) return;
  const key = builtin && typeof value === 'boolean' ? Number(value) : distinctKey(value);
  entry.values.add(key);
}

/** Every leaf under an object: non-empty objects are opened, anything else is a leaf. */
function leaves(value: Record<string, unknown>, path: string[], out: [string[], unknown][]): void {
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    const isObject = child !== null && typeof child === 'object' && !Array.isArray(child);
    if (isObject && Object.keys(child).length > 0) {
      leaves(child as Record<string, unknown>, childPath, out);
    } else out.push([childPath, child]);
  }
}

/** One kind besides null: that kind; none or several: a built-in's declared type, else null/mixed. */
function typeOf(kinds: Set<Kind>, declared: Kind | null): Kind {
  const seen = [...kinds].filter((kind) => kind !== 'null');
  if (seen.length === 1) return seen[0] as Kind;
  return declared ?? (seen.length === 0 ? 'null' : 'mixed');
}

/** The ids of the columns this oracle answers for, in a list of the app's columns. */
export function oracleColumns(columns: readonly ColumnInfo[]): ColumnInfo[] {
  return columns.filter(
    (column) => column.group !== 'builtin' || BUILTINS_KEPT.some(([id]) => id === column.id),
  );
}

/** The columns the picker should list for these sources (see the file comment for which). */
export function listColumnsByWalkingAllRuns(
  db: Database,
  sources: readonly string[],
): ColumnInfo[] {
  const seen = new Map<string, Seen>();
  // The kept built-ins are listed even when no run has a value for them.
  if (sources.length > 0) {
    for (const [id] of BUILTINS_KEPT) {
      seen.set(id, {
        path: [id],
        group: 'builtin',
        kinds: new Set(),
        values: new Set(),
        present: 0,
      });
    }
  }
  const metricDistinct = new Map<string, number>();
  for (const source of sources) {
    const runs = db
      .prepare(
        `SELECT run_id, tags, ${DOCUMENTS.map(([, column]) => column).join(', ')}
         FROM runs WHERE source = ?`,
      )
      .all(source) as Record<string, string | null>[];
    for (const run of runs) {
      const runId = run.run_id as string;
      const documents = new Map<Group, unknown>();
      for (const [group, column] of DOCUMENTS) {
        const text = run[column];
        const document: unknown = text === null || text === undefined ? null : JSON.parse(text);
        documents.set(group, document);
        if (document !== null && typeof document === 'object' && !Array.isArray(document)) {
          const found: [string[], unknown][] = [];
          leaves(document as Record<string, unknown>, [group], found);
          for (const [path, value] of found) note(seen, path, group, value);
        }
      }
      // The built-ins as documented in BUILTIN_COLUMNS: a null result is no result; tags are
      // the run's tags and then config.tags, the strings of each, once; comment is
      // meta.comment. A null built-in value is present but not one of its distinct values.
      const result = documents.get('result');
      if (result !== null) note(seen, ['result'], 'builtin', result, true);
      const tags: string[] = [];
      const config = documents.get('config') as Record<string, unknown> | null;
      for (const list of [JSON.parse(run.tags ?? '[]') as unknown, config?.['tags']]) {
        if (!Array.isArray(list)) continue;
        for (const tag of list) if (typeof tag === 'string' && !tags.includes(tag)) tags.push(tag);
      }
      note(seen, ['tags'], 'builtin', tags, true);
      const meta = documents.get('meta') as Record<string, unknown> | null;
      if (meta !== null && typeof meta === 'object' && Object.hasOwn(meta, 'comment')) {
        note(seen, ['comment'], 'builtin', meta['comment'], true);
      }
      const count = (table: string): number =>
        db
          .prepare(`SELECT count(*) FROM ${table} WHERE source = ? AND run_id = ?`)
          .pluck()
          .get(source, runId) as number;
      note(seen, ['artifacts'], 'builtin', count('artifacts'), true);
      note(seen, ['metrics'], 'builtin', count('metrics'), true);
    }

    // A metric's summaries: the runs that logged it, and (summed over sources, an upper bound
    // of the true count) the distinct values of each summary.
    const metrics = db
      .prepare(
        'SELECT name, last_value, min_value, max_value, mean_value, count FROM metrics WHERE source = ?',
      )
      .raw()
      .all(source) as [string, ...unknown[]][];
    const byName = new Map<string, { runs: number; values: Set<unknown>[] }>();
    for (const [name, ...summaries] of metrics) {
      const entry = byName.get(name) ?? {
        runs: 0,
        values: METRIC_SUMMARIES.map(() => new Set<unknown>()),
      };
      entry.runs++;
      summaries.forEach((value, k) => {
        if (value !== null) entry.values[k]?.add(value);
      });
      byName.set(name, entry);
    }
    for (const [name, { runs, values }] of byName) {
      for (const [k, summary] of METRIC_SUMMARIES.entries()) {
        const path = ['metrics', name, summary];
        const id = formatColumnPath(path);
        metricDistinct.set(id, (metricDistinct.get(id) ?? 0) + (values[k]?.size ?? 0));
        const entry = seen.get(id) ?? {
          path,
          group: 'metrics' as Group,
          kinds: new Set<Kind>(['number']),
          values: new Set(),
          present: 0,
        };
        entry.present += runs;
        seen.set(id, entry);
      }
    }
  }
  for (const entry of seen.values()) {
    if (entry.group === 'metrics')
      entry.summedDistinct = metricDistinct.get(formatColumnPath(entry.path));
  }

  const labels = new Map<string, string>();
  for (const source of sources) {
    const rows = db
      .prepare('SELECT column_id, label FROM omniboard_columns WHERE source = ?')
      .raw()
      .all(source) as [string, string][];
    for (const [id, label] of rows) if (!labels.has(id)) labels.set(id, label);
  }

  const columns: ColumnInfo[] = [];
  for (const [id, entry] of seen) {
    const distinct = entry.summedDistinct ?? entry.values.size;
    const label = labels.get(id) ?? null;
    columns.push({
      id,
      path: entry.path,
      group: entry.group,
      type: typeOf(entry.kinds, BUILTINS_KEPT.find(([builtin]) => builtin === id)?.[1] ?? null),
      distinct: Math.min(distinct, CAP),
      distinctCapped: distinct > CAP,
      present: entry.present,
      suggested: label !== null,
      label,
    });
  }
  for (const [id, label] of labels) {
    if (seen.has(id)) continue;
    const parsed = parseColumnId(id);
    if (!parsed.ok) continue;
    const path = parsed.path;
    const root = (path[0] === 'metrics' ? 'metrics' : path[0]) as Group;
    columns.push({
      id,
      path,
      group: root,
      type: 'null',
      distinct: 0,
      distinctCapped: false,
      present: 0,
      suggested: true,
      label,
    });
  }
  const builtinAt = (id: string): number => BUILTINS_KEPT.findIndex(([builtin]) => builtin === id);
  return columns.sort(
    (a, b) =>
      GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) ||
      (a.group === 'builtin'
        ? builtinAt(a.id) - builtinAt(b.id)
        : a.id < b.id
          ? -1
          : a.id > b.id
            ? 1
            : 0),
  );
}
