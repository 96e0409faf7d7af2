import type { ColumnInfo } from '../../../shared/contract';
import { formatColumnPath } from '../../../shared/filter';
import type { ColumnType } from '../../../shared/filter';
import { Kind, isoDateMs } from './column';
import type { Column } from './column';
import { RUN_JSON_ROOTS } from '../cache/run-json-roots';
import { DistinctHashSet } from './distinct-hash-set';

type Group = ColumnInfo['group'];
export type DistinctValue = number | string | boolean | null;

export const KINDS: readonly ColumnType[] = [
  'null',
  'bool',
  'number',
  'date',
  'string',
  'list',
  'object',
];
const KIND_AT = Object.fromEntries(KINDS.map((kind, k) => [kind, k])) as Record<ColumnType, number>;

/** Distinct values are counted up to this many per column; past it the count says "at least". */
export const DISTINCT_CAP = 1000;
/**
 * Distinct values kept with their run counts (so a removed run can be taken out exactly),
 * beyond the cap so that a column just over it does not need a recount at every change.
 */
const TRACKED = 2 * DISTINCT_CAP;
/** A full count goes this far to know how many removals a column past TRACKED can take. */
const COUNTED_AT_BUILD = 16 * DISTINCT_CAP;

/**
 * The distinct values of one column in one source, kept so that a run can be added or taken
 * out. Values are primitives (lists and objects as JSON text), equal as in a JS Set.
 */
export interface Tally {
  present: number;
  /** Runs per kind, in the order of KINDS. */
  kinds: number[];
  /** Value → runs holding it, while there are at most TRACKED of them. */
  values: Map<DistinctValue, number> | null;
  /** With `values` null: there are at least this many distinct values. */
  atLeast: number;
}

export interface CatalogEntry extends Tally {
  path: string[];
  group: Group;
}

/** The metric summaries the column picker offers, each with its own distinct count. */
export const METRIC_SUMMARIES_SHOWN = ['last', 'min', 'max', 'mean', 'count'] as const;
export type ShownSummary = (typeof METRIC_SUMMARIES_SHOWN)[number];

/** One run's metric: the value of each shown summary (null: none, e.g. no finite point). */
export type MetricSummaryValues = Record<ShownSummary, DistinctValue>;

/** Built-ins whose columns are costly to load; the others come from the loaded segment. */
export const CATALOG_BUILTINS = ['result', 'tags', 'comment', 'artifacts', 'metrics'] as const;

/** JSON roots whose leaf paths are columns: group and column of `runs`. */
export const JSON_ROOTS: ReadonlyArray<readonly [Group, string]> = RUN_JSON_ROOTS;

/**
 * What the column picker knows about one source: every leaf path under the JSON roots, the
 * costly built-ins, and per metric name the runs having it and the distinct values of each
 * summary the picker shows.
 */
export class ColumnCatalog {
  readonly entries = new Map<string, CatalogEntry>();
  /** Per metric name, a tally per shown summary (all with the same presence). */
  readonly metrics = new Map<string, Record<ShownSummary, Tally>>();
  /** A column lost values past what it tracks: only a full count can tell its distinct count. */
  needsRecount = false;
  /** While building: the values seen past TRACKED (as hashes), to know how far they go. */
  private counting: Map<Tally, DistinctHashSet> | null = null;
  /** Paths seen under each root: each made and formatted once. */
  private readonly trie = new Map<string, TrieNode>();

  static building(): ColumnCatalog {
    const catalog = new ColumnCatalog();
    catalog.counting = new Map();
    return catalog;
  }

  finishBuild(): void {
    for (const [tally, seen] of this.counting ?? [])
      tally.atLeast = Math.max(tally.atLeast, seen.size);
    this.counting = null;
  }

  entry(path: string[], group: Group, id = formatColumnPath(path)): CatalogEntry {
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { path, group, ...newTally() };
      this.entries.set(id, entry);
    }
    return entry;
  }

  /** `weight` runs (negative: taken out) hold `key` (undefined: no value counted) of `kind`. */
  count(tally: Tally, kind: ColumnType, key: DistinctValue | undefined, weight: number): void {
    tally.present += weight;
    const at = KIND_AT[kind];
    tally.kinds[at] = (tally.kinds[at] as number) + weight;
    if (key === undefined) return;
    if (tally.values !== null) {
      const runs = (tally.values.get(key) ?? 0) + weight;
      if (runs > 0) tally.values.set(key, runs);
      else tally.values.delete(key);
      if (tally.values.size <= TRACKED) return;
      if (this.counting !== null) {
        const seen = new DistinctHashSet(tally.values.size);
        for (const value of tally.values.keys()) seen.add(value);
        this.counting.set(tally, seen);
      }
      tally.values = null;
      tally.atLeast = TRACKED + 1;
      return;
    }
    if (weight < 0) {
      tally.atLeast += weight;
      if (tally.atLeast <= DISTINCT_CAP) this.needsRecount = true;
      return;
    }
    const seen = this.counting?.get(tally);
    if (seen !== undefined && seen.size < COUNTED_AT_BUILD) seen.add(key);
  }

  /** The leaves of one JSON document of `group` (objects expanded, lists are leaves). */
  addDocument(group: Group, value: unknown, weight: number): void {
    if (!isPlainObject(value)) return;
    let root = this.trie.get(group);
    if (root === undefined) {
      root = { path: [group], id: null, children: new Map() };
      this.trie.set(group, root);
    }
    this.walk(root, group, value, weight);
  }

  private walk(node: TrieNode, group: Group, value: Record<string, unknown>, weight: number): void {
    // for-in, not Object.keys: no array of keys per object (a catalog build walks every run's
    // documents, and those arrays were ~170 MB of garbage at 100k runs).
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const child = value[key];
      let next = node.children.get(key);
      if (next === undefined) {
        next = { path: [...node.path, key], id: null, children: new Map() };
        node.children.set(key, next);
      }
      if (isPlainObject(child) && hasOwnKey(child)) {
        this.walk(next, group, child, weight);
        continue;
      }
      const id = (next.id ??= formatColumnPath(next.path));
      this.countLeaf(this.entries.get(id) ?? this.entry(next.path, group, id), child, weight);
    }
  }

  /** One leaf value of a JSON document: its kind and its distinct value. */
  countLeaf(tally: Tally, value: unknown, weight: number): void {
    const distinct = value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
    this.count(tally, typeOfValue(value), distinct as DistinctValue, weight);
  }

  /** Row `row` of a built-in column: its kind and (but for null) its distinct value. */
  countColumnRow(tally: Tally, column: Column, row: number, weight: number): void {
    const kind = column.kinds[row];
    if (kind === Kind.Missing || kind === undefined) return;
    if (kind === Kind.Null) {
      this.count(tally, 'null', undefined, weight);
      return;
    }
    const type = KIND_TYPES[kind] as ColumnType;
    const numeric = kind === Kind.Bool || kind === Kind.Number || kind === Kind.Date;
    const key = numeric ? (column.nums[row] as number) : (column.dict[column.code(row)] as string);
    this.count(tally, type, key, weight);
  }

  /** One metric of a run: the value of each shown summary (`summaries` is only read). */
  addMetric(name: string, summaries: MetricSummaryValues, weight: number): void {
    let tallies = this.metrics.get(name);
    if (tallies === undefined) {
      tallies = newSummaryTallies();
      this.metrics.set(name, tallies);
    }
    for (const summary of METRIC_SUMMARIES_SHOWN) {
      const value = summaries[summary];
      this.count(tallies[summary], 'number', value === null ? undefined : value, weight);
    }
  }

  /** Drops what no run holds any more (a path present in no run is no column). */
  prune(): void {
    const builtins = new Set<string>(CATALOG_BUILTINS);
    for (const [id, entry] of this.entries) {
      if (entry.present <= 0 && !builtins.has(id)) this.entries.delete(id);
    }
    for (const [name, tallies] of this.metrics) {
      if (tallies.last.present <= 0) this.metrics.delete(name);
    }
  }

  toJson(): string {
    const tally = (t: Tally): unknown[] => [
      t.present,
      t.kinds,
      t.values === null ? null : [...t.values].map(([value, runs]) => [toJsonValue(value), runs]),
      t.atLeast,
    ];
    return JSON.stringify({
      format: FORMAT,
      entries: [...this.entries.values()].map((entry) => [
        entry.path,
        entry.group,
        ...tally(entry),
      ]),
      metrics: [...this.metrics].map(([name, tallies]) => [
        name,
        ...METRIC_SUMMARIES_SHOWN.map((summary) => tally(tallies[summary])),
      ]),
    });
  }

  /** The catalog stored by toJson, or null when the text is not one (corrupt, other format). */
  static fromJson(text: string): ColumnCatalog | null {
    try {
      const body = JSON.parse(text) as {
        format?: unknown;
        entries?: unknown[][];
        metrics?: unknown[][];
      };
      if (body.format !== FORMAT || !Array.isArray(body.entries) || !Array.isArray(body.metrics)) {
        return null;
      }
      const tally = (fields: unknown[]): Tally => {
        const [present, kinds, values, atLeast] = fields as [
          number,
          number[],
          [unknown, number][] | null,
          number,
        ];
        if (typeof present !== 'number' || typeof atLeast !== 'number') throw new Error('tally');
        if (!Array.isArray(kinds) || kinds.length !== KINDS.length) throw new Error('kinds');
        return {
          present,
          kinds,
          values:
            values === null
              ? null
              : new Map(values.map(([value, runs]) => [fromJsonValue(value), runs])),
          atLeast,
        };
      };
      const catalog = new ColumnCatalog();
      for (const [path, group, ...rest] of body.entries) {
        if (!Array.isArray(path) || typeof group !== 'string') return null;
        catalog.entries.set(formatColumnPath(path as string[]), {
          path: path as string[],
          group: group as Group,
          ...tally(rest),
        });
      }
      for (const [name, ...rest] of body.metrics) {
        if (typeof name !== 'string' || rest.length !== METRIC_SUMMARIES_SHOWN.length) return null;
        const tallies = newSummaryTallies();
        METRIC_SUMMARIES_SHOWN.forEach((summary, k) => {
          tallies[summary] = tally(rest[k] as unknown[]);
        });
        catalog.metrics.set(name, tallies);
      }
      return catalog;
    } catch {
      return null;
    }
  }
}

/** 2: a tally per metric summary (1 had the last values only). */
const FORMAT = 2;

interface TrieNode {
  path: string[];
  id: string | null;
  children: Map<string, TrieNode>;
}

function newTally(): Tally {
  return { present: 0, kinds: KINDS.map(() => 0), values: new Map(), atLeast: 0 };
}

function newSummaryTallies(): Record<ShownSummary, Tally> {
  return {
    last: newTally(),
    min: newTally(),
    max: newTally(),
    mean: newTally(),
    count: newTally(),
  };
}

/** JSON has no NaN nor infinities: those numbers are written as {"number": "NaN"}. */
function toJsonValue(value: DistinctValue): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { number: String(value) } : value;
}

function fromJsonValue(value: unknown): DistinctValue {
  if (value !== null && typeof value === 'object') {
    return Number((value as { number: string }).number);
  }
  if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) {
    return value as DistinctValue;
  }
  throw new Error('not a distinct value');
}

const KIND_TYPES: Record<number, ColumnType> = {
  [Kind.Null]: 'null',
  [Kind.Bool]: 'bool',
  [Kind.Number]: 'number',
  [Kind.Date]: 'date',
  [Kind.String]: 'string',
  [Kind.List]: 'list',
  [Kind.Object]: 'object',
};

/** Whether an object has a key of its own (Object.keys(value).length > 0 without the array). */
function hasOwnKey(value: Record<string, unknown>): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function typeOfValue(value: unknown): ColumnType {
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
