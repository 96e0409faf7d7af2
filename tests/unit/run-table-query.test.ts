import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import { QueryEngine } from '../../main/core/query/query-engine';
import { formatFilter, formatColumnPath, parseColumnId } from '../../shared/filter';
import type { ColumnPath, FilterNode, FilterValue, SortSpec } from '../../shared/filter';
import { isProbablyDead } from '../../shared/probably-dead';
import { generateRun, writeRunTableData } from '../support/run-table-data';

/**
 * The engine against a brute-force oracle: every run read back from the cache as plain
 * objects, every filter and sort applied by the simplest code that states the semantics.
 */
const NOW = Date.UTC(2025, 0, 1);
let dir: string;
let store: CacheStore;
let engine: QueryEngine;

type Value =
  | { kind: 'missing' }
  | { kind: 'null' }
  | { kind: 'bool'; v: boolean }
  | { kind: 'number'; v: number }
  | { kind: 'date'; v: number; text: string }
  | { kind: 'string'; v: string }
  | { kind: 'list'; v: unknown[] }
  | { kind: 'object'; v: object };

interface OracleRun {
  source: string;
  id: string;
  get(path: ColumnPath): Value;
}

const MISSING: Value = { kind: 'missing' };
const ISO =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$/u;

function dateMs(text: string): number {
  if (!ISO.test(text)) return NaN;
  const zoned = !text.includes('T') || /(Z|[+-][0-9]{2}:?[0-9]{2})$/u.test(text);
  return Date.parse(zoned ? text : `${text}Z`);
}

function fromJson(value: unknown): Value {
  if (value === undefined) return MISSING;
  if (value === null) return { kind: 'null' };
  if (typeof value === 'boolean') return { kind: 'bool', v: value };
  if (typeof value === 'number') return { kind: 'number', v: value };
  if (typeof value === 'string') return { kind: 'string', v: value };
  if (Array.isArray(value)) return { kind: 'list', v: value };
  return { kind: 'object', v: value };
}

/**
 * Every node of a JSON document by its key path (object keys, list indexes as digits), found
 * by visiting the whole document: a different method from the engine's walk down one path.
 */
function flatten(
  value: unknown,
  prefix: readonly string[] = [],
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  out.set(JSON.stringify(prefix), value);
  if (Array.isArray(value)) value.forEach((item, i) => flatten(item, [...prefix, String(i)], out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flatten(item, [...prefix, key], out);
  }
  return out;
}

function date(text: string | null): Value {
  if (text === null) return MISSING;
  const ms = dateMs(text);
  return Number.isNaN(ms) ? { kind: 'string', v: text } : { kind: 'date', v: ms, text };
}

function oracleRuns(): OracleRun[] {
  const runs: OracleRun[] = [];
  for (const source of store.listSources().map((s) => s.name)) {
    const page = store.listRuns(source, null, 0);
    for (const summary of page.rows) {
      const row = store.getRun(source, summary.run_id)!;
      const metrics = store.metricsOfRun(source, row.run_id);
      const artifacts = store.artifactsOfRun(source, row.run_id);
      const roots: Record<string, unknown> = {
        config: JSON.parse(row.config),
        info: JSON.parse(row.info),
        host: JSON.parse(row.host_info),
        meta: JSON.parse(row.meta),
        experiment: JSON.parse(row.experiment_info),
        result: JSON.parse(row.result),
      };
      const nodes = new Map(Object.entries(roots).map(([root, doc]) => [root, flatten(doc)]));
      const at = (root: string, keys: readonly string[]): unknown =>
        nodes.get(root)?.get(JSON.stringify(keys));
      const tags = new Set<string>();
      for (const list of [
        JSON.parse(row.tags),
        (roots['config'] as Record<string, unknown>)['tags'],
      ]) {
        if (Array.isArray(list)) for (const tag of list) if (typeof tag === 'string') tags.add(tag);
      }
      const start = date(row.start_time);
      const end = row.stop_time !== null ? date(row.stop_time) : date(row.heartbeat);
      const builtins: Record<string, Value> = {
        source: { kind: 'string', v: source },
        id: { kind: 'string', v: row.run_id },
        experiment: row.experiment === null ? MISSING : { kind: 'string', v: row.experiment },
        command: row.command === null ? MISSING : { kind: 'string', v: row.command },
        status: { kind: 'string', v: row.status },
        start_time: start,
        stop_time: date(row.stop_time),
        heartbeat: date(row.heartbeat),
        duration:
          start.kind === 'date' && end.kind === 'date'
            ? { kind: 'number', v: (end.v - start.v) / 1000 }
            : MISSING,
        host: row.hostname === null ? MISSING : { kind: 'string', v: row.hostname },
        result: roots['result'] === null ? MISSING : fromJson(roots['result']),
        tags: { kind: 'list', v: [...tags] },
        notes: row.comment === null ? MISSING : { kind: 'string', v: row.comment },
        comment: fromJson(at('meta', ['comment'])),
        artifacts: { kind: 'number', v: artifacts.length },
        metrics: { kind: 'number', v: metrics.length },
        dead: {
          kind: 'bool',
          v: isProbablyDead(
            {
              status: row.status,
              heartbeat: row.heartbeat,
              startTime: row.start_time,
              beatIntervalS: row.beat_interval,
            },
            NOW,
          ),
        },
      };
      runs.push({
        source,
        id: row.run_id,
        get(path) {
          const [root, ...keys] = path as [string, ...string[]];
          if (keys.length === 0) return builtins[root] ?? MISSING;
          if (root === 'metrics') {
            const [name, aggregate] = keys as [string, string];
            const metric = metrics.find((m) => m.name === name);
            if (metric === undefined) return MISSING;
            const pick: Record<string, unknown> = {
              count: metric.count,
              first: metric.first_value,
              last: metric.last_value,
              min: metric.min_value,
              max: metric.max_value,
            };
            if (aggregate in pick) {
              const v = pick[aggregate];
              return v === null ? MISSING : { kind: 'number', v: Number(v) };
            }
            const points = store.getMetricPoints(source, row.run_id, name)!;
            const n =
              aggregate === 'mean'
                ? points.count
                : Math.min(points.count, Number(aggregate.slice(4)));
            const tail = [...points.values.subarray(points.count - n)].filter(
              (v) => !Number.isNaN(v),
            );
            return tail.length === 0
              ? MISSING
              : { kind: 'number', v: tail.reduce((a, b) => a + b, 0) / tail.length };
          }
          return fromJson(at(root, keys));
        },
      });
    }
  }
  return runs;
}

function textOf(value: Value): string | null {
  return value.kind === 'string' ? value.v : value.kind === 'date' ? value.text : null;
}

function sign(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
}

function holds(op: string, s: number): boolean {
  return op === '='
    ? s === 0
    : op === '<'
      ? s < 0
      : op === '<='
        ? s <= 0
        : op === '>'
          ? s > 0
          : s >= 0;
}

function equalsOrCompares(v: Value, op: string, lit: FilterValue): boolean {
  if (op === '!=') return !equalsOrCompares(v, '=', lit);
  switch (lit.type) {
    case 'null':
      return op === '=' && (v.kind === 'null' || v.kind === 'missing');
    case 'number':
      return v.kind === 'number' && holds(op, sign(v.v, lit.value));
    case 'bool':
      return v.kind === 'bool' && holds(op, sign(Number(v.v), Number(lit.value)));
    case 'string':
      if (v.kind === 'string') return holds(op, v.v < lit.value ? -1 : v.v > lit.value ? 1 : 0);
      if (v.kind === 'date') return holds(op, sign(v.v, dateMs(lit.value)));
      return false;
    case 'date':
      if (v.kind === 'date') return holds(op, sign(v.v, dateMs(lit.value)));
      if (v.kind === 'string') return holds(op, sign(dateMs(v.v), dateMs(lit.value)));
      return false;
  }
}

function literalText(lit: FilterValue): string {
  return lit.type === 'null' ? 'null' : String(lit.value);
}

function matches(run: OracleRun, node: FilterNode): boolean {
  switch (node.type) {
    case 'and':
      return node.items.every((item) => matches(run, item));
    case 'or':
      return node.items.some((item) => matches(run, item));
    case 'not':
      return !matches(run, node.item);
    case 'compare':
      return equalsOrCompares(run.get(node.path), node.op, node.value);
    case 'in':
      return node.values.some((lit) => equalsOrCompares(run.get(node.path), '=', lit));
    case 'exists':
      return run.get(node.path).kind !== 'missing';
    case 'missing':
      return run.get(node.path).kind === 'missing';
    case 'text':
      return textSearch(run, (t) => t.toLowerCase().includes(node.value.toLowerCase()));
    case 'contains': {
      const needle = literalText(node.value).toLowerCase();
      if (node.path[0] === 'text') return textSearch(run, (t) => t.toLowerCase().includes(needle));
      const v = run.get(node.path);
      const text = textOf(v);
      if (text !== null) return text.toLowerCase().includes(needle);
      if (v.kind !== 'list') return false;
      return v.v.some((item) =>
        node.value.type === 'null'
          ? item === null
          : node.value.type === 'date'
            ? typeof item === 'string' && dateMs(item) === dateMs(node.value.value)
            : item === node.value.value,
      );
    }
    case 'matches': {
      const re = new RegExp(node.pattern, node.flags);
      if (node.path[0] === 'text') return textSearch(run, (t) => re.test(t));
      const v = run.get(node.path);
      const text = textOf(v);
      if (text !== null) return re.test(text);
      return v.kind === 'list' && v.v.some((item) => typeof item === 'string' && re.test(item));
    }
  }
}

function textSearch(run: OracleRun, test: (text: string) => boolean): boolean {
  for (const name of ['experiment', 'notes', 'comment']) {
    const text = textOf(run.get([name]));
    if (text !== null && test(text)) return true;
  }
  const tags = run.get(['tags']);
  return tags.kind === 'list' && tags.v.some((tag) => typeof tag === 'string' && test(tag));
}

/** [group, key] of the documented order: bool < number < date < string < list/object; NaN, then missing last. */
function sortKey(v: Value): [number, number | string] {
  switch (v.kind) {
    case 'bool':
      return [1, Number(v.v)];
    case 'number':
      return Number.isNaN(v.v) ? [6, 0] : [2, v.v === 0 ? 0 : v.v];
    case 'date':
      return [3, v.v];
    case 'string':
      return [4, v.v];
    case 'list':
    case 'object':
      return [5, JSON.stringify(v.v)];
    default:
      return [7, 0];
  }
}

function compareBy(a: OracleRun, b: OracleRun, sort: SortSpec[]): number {
  for (const spec of sort) {
    const path = (parseColumnId(spec.column) as { path: string[] }).path;
    const isId = path.length === 1 && path[0] === 'id';
    const [ga0, ka] = isId ? oracleIdKey(a.id) : sortKey(a.get(path));
    const [gb0, kb] = isId ? oracleIdKey(b.id) : sortKey(b.get(path));
    let ga = ga0;
    let gb = gb0;
    let c: number;
    if (spec.desc === true) {
      if (ga <= 5) ga = 6 - ga;
      if (gb <= 5) gb = 6 - gb;
      c = ga - gb || (ga <= 5 ? (kb < ka ? -1 : kb > ka ? 1 : 0) : 0);
    } else c = ga - gb || (ga <= 5 ? (ka < kb ? -1 : ka > kb ? 1 : 0) : 0);
    if (c !== 0) return c;
  }
  return 0;
}

/** The default listing order: source, newest start first, numeric ids descending. */
function baseCompare(a: OracleRun, b: OracleRun): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  const sa = a.get(['start_time']);
  const sb = b.get(['start_time']);
  const ta = sa.kind === 'date' ? sa.v : -Infinity;
  const tb = sb.kind === 'date' ? sb.v : -Infinity;
  if (ta !== tb) return tb - ta;
  // Number ids (no leading zeros, as documented) before the others, each kind newest first.
  const [ka, va] = oracleIdKey(a.id);
  const [kb, vb] = oracleIdKey(b.id);
  if (ka !== kb) return ka - kb;
  return va < vb ? 1 : va > vb ? -1 : 0;
}

/** [group, key] of a run id, groups as sortKey's (1..5): numbers, then text, then ObjectIds. */
function oracleIdKey(id: string): [number, number | string] {
  if (id === '0' || (/^[1-9][0-9]*$/u.test(id) && id.length <= 15)) return [1, Number(id)];
  return /^[0-9a-f]{24}$/u.test(id) ? [3, id] : [2, id];
}

function oracleQuery(runs: OracleRun[], where: FilterNode | null, sort: SortSpec[]): OracleRun[] {
  return runs
    .filter((run) => where === null || matches(run, where))
    .sort(baseCompare)
    .sort((a, b) => compareBy(a, b, sort));
}

function jsonOf(v: Value): unknown {
  switch (v.kind) {
    case 'missing':
      return undefined;
    case 'null':
      return null;
    case 'number':
      return Number.isFinite(v.v) ? v.v : String(v.v);
    case 'date':
      return v.text;
    default:
      return v.v;
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-query-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  writeRunTableData(store, 'b-lab', {
    runs: 160,
    seed: 5,
    configKeys: 30,
    nowMs: NOW,
    pointsPerMetric: 6,
  });
  writeRunTableData(store, 'a-lab', {
    runs: 240,
    seed: 6,
    configKeys: 30,
    nowMs: NOW,
    pointsPerMetric: 6,
  });
  // Ids that are not numbers, equal start times, a run with nothing but a status.
  const random = new SeededRandom(9);
  for (const id of ['run_x', 'run_y', '007']) {
    const run = generateRun(id, random, { runs: 1, nowMs: NOW });
    run.startTime = '2024-12-01T00:00:00.000Z';
    run.config = { ...run.config, 'a.b': { c: id }, seed: id === 'run_x' ? 'not a number' : 3 };
    store.writeRun('a-lab', { id, dir: null, fingerprint: 'f' }, run);
  }
  store.writeRun(
    'a-lab',
    { id: 'bare', dir: null, fingerprint: 'f' },
    emptyParsedRun('bare', 'QUEUED'),
  );
  engine = new QueryEngine(store.database, () => NOW);
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function engineKeys(
  where: string | FilterNode | undefined,
  sort: SortSpec[] | undefined,
  columns: string[] = [],
) {
  const result = engine.query({ where, sort, columns, limit: 1_000_000 });
  return result;
}

describe('queryRuns against a brute-force oracle', () => {
  const paths = [
    'config.seed',
    'config.optimizer.lr',
    'config.optimizer.name',
    'config.name',
    'config.flag',
    'config.maybe',
    'config.when',
    'config.model."drop.out"',
    'config.data."$ref"',
    'config."a.b".c',
    'config.layers',
    'config.layers.1',
    'config.tags',
    'config.g0.p1',
    'config.g1.p3',
    'status',
    'dead',
    'start_time',
    'stop_time',
    'duration',
    'host',
    'result',
    'result.acc',
    'tags',
    'notes',
    'comment',
    'artifacts',
    'metrics',
    'metrics.metric_0.last',
    'metrics."val.loss".min',
    'metrics.metric_2.mean',
    'metrics.metric_3.last3',
    'metrics.metric_4.count',
    'experiment',
    'id',
    'source',
    'info."a.b"',
    'info.best_epoch',
    'host.gpus.count',
    'meta.options."--beat-interval"',
  ];

  it('answers 300 random filters and sorts exactly like the oracle', () => {
    const runs = oracleRuns();
    const random = new SeededRandom(2024);
    const pathOf = (id: string): ColumnPath => (parseColumnId(id) as { path: string[] }).path;
    const sampleValue = (id: string): FilterValue => {
      const run = random.pick(runs);
      const v = run.get(pathOf(id));
      switch (v.kind) {
        case 'number':
          return Number.isFinite(v.v)
            ? { type: 'number', value: v.v }
            : { type: 'number', value: 0.5 };
        case 'string':
          return { type: 'string', value: v.v };
        case 'bool':
          return { type: 'bool', value: v.v };
        case 'date':
          return random.chance(0.5)
            ? { type: 'date', value: v.text.slice(0, 10) }
            : { type: 'string', value: v.text };
        case 'list':
          return v.v.length > 0 && typeof v.v[0] !== 'object'
            ? fromLiteral(v.v[0])
            : { type: 'null' };
        default:
          return random.pick<FilterValue>([
            { type: 'null' },
            { type: 'number', value: random.int(-5, 5) },
            { type: 'string', value: 'COMPLETED' },
          ]);
      }
    };
    const leaf = (): FilterNode => {
      const id = random.pick(paths);
      const path = pathOf(id);
      return random.pick<() => FilterNode>([
        () => ({
          type: 'compare',
          path,
          op: random.pick(['=', '!=', '<', '<=', '>', '>='] as const),
          value: sampleValue(id),
        }),
        () => ({ type: 'in', path, values: [sampleValue(id), sampleValue(id)] }),
        () => ({ type: 'contains', path, value: sampleValue(id) }),
        () => ({
          type: 'matches',
          path,
          pattern: random.pick(['^a', 'o', 'E', '[0-9]$', 'best|paper']),
          flags: random.pick(['', 'i']),
        }),
        () => ({ type: 'exists', path }),
        () => ({ type: 'missing', path }),
        () => ({ type: 'text', value: random.pick(['res', 'GOOD', 'best', 'e', 'zzz']) }),
        () => ({
          type: 'contains',
          path: ['text'],
          value: { type: 'string', value: random.pick(['lr', 'Paper']) },
        }),
      ])();
    };
    const tree = (depth: number): FilterNode => {
      if (depth === 0 || random.chance(0.5)) return leaf();
      const kind = random.pick(['and', 'or', 'not'] as const);
      if (kind === 'not') return { type: 'not', item: tree(depth - 1) };
      return { type: kind, items: [tree(depth - 1), tree(depth - 1)] };
    };
    let nonTrivial = 0;
    for (let i = 0; i < 300; i++) {
      const where = random.chance(0.1) ? null : tree(3);
      const sort: SortSpec[] | undefined = random.chance(0.1)
        ? undefined
        : Array.from({ length: random.int(1, 2) }, () => ({
            column: random.pick(paths),
            desc: random.chance(0.5),
          }));
      const columns = [random.pick(paths), random.pick(paths)];
      // Half as text, half as the tree: both doors must give the same answer.
      const asText = i % 2 === 0 && where !== null;
      const result = engineKeys(asText ? formatFilter(where) : (where ?? undefined), sort, columns);
      const expected = oracleQuery(runs, where, sort ?? [{ column: 'start_time', desc: true }]);
      const label = `${where === null ? '' : formatFilter(where)} | sort ${JSON.stringify(sort)}`;
      expect(result.total, label).toBe(expected.length);
      expect(
        result.rows.map((row) => `${row.source}/${row.id}`),
        label,
      ).toEqual(expected.map((run) => `${run.source}/${run.id}`));
      for (const [k, run] of expected.entries()) {
        for (const column of result.columns) {
          expect(result.rows[k]?.values[column], `${label} ${column}`).toEqual(
            jsonOf(run.get(pathOf(column))),
          );
        }
      }
      if (expected.length > 0 && expected.length < runs.length) nonTrivial++;
    }
    // The generator must produce filters that select something but not everything.
    expect(nonTrivial).toBeGreaterThan(100);
  });

  it('sorts numbers numerically and puts missing values last in both directions', () => {
    const asc = engine.query({
      sort: [{ column: 'config.seed' }],
      columns: ['config.seed'],
      limit: 1000,
    });
    const seeds = asc.rows.map((row) => row.values['config.seed']);
    const numbers = seeds.filter((v) => typeof v === 'number') as number[];
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(seeds.at(-1)).toBeUndefined(); // "bare" has no config
    expect(seeds).toContain('not a number');
    expect(seeds.indexOf('not a number')).toBeGreaterThan(seeds.lastIndexOf(numbers.at(-1)));
    const desc = engine.query({
      sort: [{ column: 'config.seed', desc: true }],
      columns: ['config.seed'],
      limit: 1000,
    });
    expect(desc.rows.at(-1)?.values['config.seed']).toBeUndefined();
    expect(desc.rows[0]?.values['config.seed']).toBe('not a number');
  });

  it('pages through one order with offset and limit', () => {
    const all = engine.query({
      where: 'status = COMPLETED',
      sort: [{ column: 'config.g0.p1' }],
      limit: 1000,
    });
    const pages = [0, 50, 100, 150, 200].flatMap(
      (offset) =>
        engine.query({
          where: 'status = COMPLETED',
          sort: [{ column: 'config.g0.p1' }],
          offset,
          limit: 50,
        }).rows,
    );
    expect(pages.map((row) => row.id)).toEqual(all.rows.map((row) => row.id));
  });

  it('pages through the default order (merged across sources as far as asked)', () => {
    const all = engine.query({ limit: 1000 });
    const first = engine.query({ limit: 7 });
    expect(first.total).toBe(all.total);
    const pages = [0, 7, 200, 7].map((offset) => engine.query({ offset, limit: 7 }).rows);
    expect(pages.map((page) => page.map((row) => row.id))).toEqual(
      [0, 7, 200, 7].map((offset) => all.rows.slice(offset, offset + 7).map((row) => row.id)),
    );
    expect(first.rows.map((row) => row.id)).toEqual(all.rows.slice(0, 7).map((row) => row.id));
  });

  it('rejects bad filters, columns and sources with the reason', () => {
    expect(() => engine.query({ where: 'config.lr >=' })).toThrow(
      /where: expected a value after ">=".*at column 13/u,
    );
    expect(() => engine.query({ columns: ['bogus.x'] })).toThrow(/unknown column "bogus"/u);
    expect(() => engine.query({ sort: [{ column: 'text' }] })).toThrow(/free-text search/u);
    expect(() => engine.query({ sources: ['nope'] })).toThrow(/no source named "nope"/u);
  });
});

describe('the in-memory columns follow the cache', () => {
  it('sees a run written, rewritten and deleted after the columns were built', () => {
    const where = 'config.name = "brand new"';
    expect(engine.query({ where }).total).toBe(0);
    const run = emptyParsedRun('fresh', 'COMPLETED');
    run.config = { name: 'brand new' };
    store.writeRun('b-lab', { id: 'fresh', dir: null, fingerprint: 'f' }, run);
    expect(engine.query({ where }).rows.map((row) => row.id)).toEqual(['fresh']);
    run.config = { name: 'renamed' };
    store.writeRun('b-lab', { id: 'fresh', dir: null, fingerprint: 'g' }, run);
    expect(engine.query({ where }).total).toBe(0);
    expect(engine.query({ where: 'config.name = renamed' }).total).toBe(1);
    store.deleteRun('b-lab', 'fresh');
    expect(engine.query({ where: 'config.name = renamed' }).total).toBe(0);
  });

  it('sees writes made through another connection to the same file (another process)', () => {
    const other = CacheStore.open(join(dir, 'cache.sqlite'));
    try {
      const before = engine.query({
        sources: ['a-lab'],
        where: 'metrics.metric_0.last > 1000',
      }).total;
      const run = emptyParsedRun('other', 'FAILED');
      run.metrics.push({
        name: 'metric_0',
        steps: new Float64Array([0]),
        values: new Float64Array([5000]),
        timestamps: new Float64Array([NaN]),
      });
      other.writeRun('a-lab', { id: 'other', dir: null, fingerprint: 'f' }, run);
      expect(
        engine.query({ sources: ['a-lab'], where: 'metrics.metric_0.last > 1000' }).total,
      ).toBe(before + 1);
      other.deleteRun('a-lab', 'other');
      expect(
        engine.query({ sources: ['a-lab'], where: 'metrics.metric_0.last > 1000' }).total,
      ).toBe(before);
    } finally {
      other.close();
    }
  });

  it('drops a removed source and lists a new one', () => {
    store.addSource({
      name: 'c-lab',
      kind: 'folder',
      location: '/x',
      createdAt: '2025-01-01T00:00:00Z',
    });
    store.writeRun(
      'c-lab',
      { id: '1', dir: null, fingerprint: 'f' },
      emptyParsedRun('1', 'RUNNING'),
    );
    expect(engine.query({ where: 'source = c-lab' }).total).toBe(1);
    store.removeSource('c-lab');
    expect(engine.query({ where: 'source = c-lab' }).total).toBe(0);
    expect(() => engine.query({ sources: ['c-lab'] })).toThrow(/no source/u);
  });
});

function fromLiteral(value: unknown): FilterValue {
  if (typeof value === 'number') return { type: 'number', value };
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'string') return { type: 'string', value };
  return { type: 'null' };
}

void formatColumnPath;
