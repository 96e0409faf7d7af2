// Issue 11 "Done when": a bounded fuzz test of every contract method. Hundreds of random
// argument shapes per method (well-formed, half-right, hostile, nonsense) go through the
// direct core and the HTTP door; every answer must be a result the contract allows or a
// refusal with a code the contract names: never INTERNAL, never a 5xx other than the
// documented 502/503/504 of unreachable servers, never a hang.
//
// Paths, hosts and sizes come from pools that stay inside the test's own folder and on
// closed loopback ports: the fuzzer must not write over /etc (CI runs as root), scan the
// whole disk or wait on DNS. ALTAR_FUZZ_RUNS scales the tries, ALTAR_FUZZ_SEED replays a run.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/client-api';
import { methodNames, methods } from '../../shared/contract';
import type { MethodName } from '../../shared/contract';
import { toErrorPayload } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';
import type { CompareOp, FilterNode } from '../../shared/filter';
import { encodeWire, decodeWire } from '../../shared/wire-codec';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';
import { closedPort } from '../support/closed-port';
import { hostileFilterTexts } from '../support/hostile-filters';
import { makeWorkspace } from './doors';
import type { Workspace } from './doors';

const RUNS = Number(process.env.ALTAR_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.ALTAR_FUZZ_SEED ?? 20261204);
/** A call that takes longer than this counts as a hang. */
const HANG_MS = 20_000;
/** Server errors the contract documents: a server we depend on is unreachable or slow. */
const DOCUMENTED_5XX = new Set([502, 503, 504]);
/** Codes a call may fail with; INTERNAL is a bug. */
const ALLOWED_CODES = new Set<ErrorCode>([
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'SOURCE_UNAVAILABLE',
  'SYNC_IN_PROGRESS',
  'FORBIDDEN',
  'CONNECTION_FAILED',
  'AUTH_FAILED',
  'TIMEOUT',
  'CANCELLED',
  'PASSWORD_REQUIRED',
  'READ_ONLY',
  'CONFLICT',
]);

let workspace: Workspace;
let core: AltarCore;
let host: HttpHost;
const SOURCE = 'lab';

/** Tries per method and door, and what each door answered, for the summary. */
const tally = new Map<string, { tries: number; ok: number; refused: number }>();

// --- Pools: the only values that reach keys naming files, folders, hosts or sizes. ---

let paths: string[] = [];
// Filled in beforeAll around a port the OS handed out and took back, so nothing answers there.
let uris: string[] = [];
let endpoints: (string | null)[] = [];
let hostEntries: string[] = [];

function addressPools(port: number) {
  const at = `127.0.0.1:${port}`;
  uris = [
    `mongodb://${at}/sacred?serverSelectionTimeoutMS=100&connectTimeoutMS=100`,
    `mongodb://user:pw@${at}/sacred?serverSelectionTimeoutMS=100`,
    'mongodb+srv://127.0.0.1/x',
    'mongodb://',
    'mongodb://[::1',
    `http://${at}`,
    'not a uri',
    '',
  ];
  endpoints = [
    `http://${at}`,
    `https://${at}`,
    `http://AK:secret-in-url@${at}`,
    'http://127.0.0.1:99999',
    `ftp://${at}`,
    at,
    '',
    null,
  ];
  hostEntries = [at, `[::1]:${port}`, `localhost:${port}`, '', ':', '127.0.0.1:99999', 'a b'];
}

const shortFilters = hostileFilterTexts()
  .filter((entry) => entry.text.length < 2000)
  .map((entry) => entry.text);

const validFilters = [
  '',
  'status = COMPLETED',
  'config.seed > 1 and not status in (FAILED, RUNNING)',
  'experiment ~ /exp/i',
  '"my"',
  'metrics.train.loss.last < 10 or dead = true',
  'id >= 1',
];

const filterTree: fc.Arbitrary<FilterNode> = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      type: fc.constant('exists' as const),
      path: fc.constantFrom<string[]>(['status'], ['config', 'seed'], ['metrics', 'loss', 'last']),
    }),
    fc.record({
      type: fc.constant('compare' as const),
      path: fc.constantFrom<string[]>(['status'], ['config', 'seed'], ['id'], ['text'], ['dead']),
      op: fc.constantFrom<CompareOp>('=', '!=', '<', '<=', '>', '>='),
      value: fc.oneof(
        fc.record({ type: fc.constant('number' as const), value: fc.double() }),
        fc.record({ type: fc.constant('string' as const), value: fc.string({ maxLength: 20 }) }),
        fc.record({ type: fc.constant('null' as const) }),
        fc.record({ type: fc.constant('date' as const), value: fc.constant('2024-05-01') }),
      ),
    }),
    fc.record({
      type: fc.constant('matches' as const),
      path: fc.constantFrom<string[]>(['experiment'], ['text'], ['config', 'seed']),
      pattern: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('(.*.*.*.*)*!', '(a)\\1')),
      flags: fc.constantFrom('', 'i', 'msu', 'g'),
    }),
    fc.record({ type: fc.constant('not' as const), item: tie('node') }),
    fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      items: fc.array(tie('node'), { maxLength: 3 }),
    }),
  ),
})).node;

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    SOURCE,
    'demo',
    'nope',
    '1',
    'myrun7',
    'train.loss',
    '../../../../etc/passwd',
    '/etc/shadow',
    '\u0000',
    '😀',
    '__proto__',
    'constructor',
    'x'.repeat(5000),
    -1,
    0,
    1,
    2 ** 31,
    2 ** 53,
    1e308,
    0.5,
    true,
    false,
    null,
    [],
    {},
    [SOURCE],
    [''],
    JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const columnIds = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'status',
      'id',
      'config.seed',
      'metrics.train.loss.last',
      'experiment',
      'start_time',
      'dead',
      'source',
      'config."a.b"',
    ),
    weight: 9,
  },
  {
    arbitrary: fc.constantFrom('', '..', 'config.', 'text', 'metrics.loss.lastN', 'x'.repeat(300)),
    weight: 1,
  },
);

/**
 * Values a well-meaning caller could send for an argument of this name (so that calls get
 * past the schema and into the core), or null when only the pools below apply.
 */
function plausibleFor(method: MethodName, key: string): fc.Arbitrary<unknown> | null {
  const small = fc.integer({ min: 0, max: 50 });
  if (key === 'name' && method === 'getMetric') return fc.constantFrom('train.loss', 'nope');
  if (key === 'traces') {
    const trace = fc.record(
      {
        // Mostly readable traces, so that most calls reach the core; now and then one that
        // fails alone (unknown run or source) or refuses the whole call (a bad name, no id).
        source: fc.constantFrom(SOURCE, SOURCE, SOURCE, SOURCE, SOURCE, 'nope', 'bad name!'),
        id: fc.constantFrom('1', '1', '1', '1', '1', 'nope', ''),
        name: fc.constantFrom('train.loss', 'val.acc', 'nope'),
        xMin: fc.double({ min: -10, max: 10, noNaN: true }),
        xMax: fc.double({ min: -10, max: 10, noNaN: true }),
      },
      { requiredKeys: ['source', 'id', 'name'] },
    );
    return fc.array(trace, { maxLength: 4 });
  }
  if (key === 'name' && method === 'getSourceFile') {
    return fc.constantFrom('my_exp.py', 'helper.py', '../run.json', '/etc/hostname');
  }
  switch (key) {
    case 'source':
      return fc.constantFrom(SOURCE, SOURCE, SOURCE, 'demo', 'nope');
    case 'name':
      return fc.constantFrom(SOURCE, 'fuzz-src', 'train.loss', 'my_exp.py', 'helper.py', 'v');
    case 'sources':
    case 'names':
      return fc.constantFrom([SOURCE], [SOURCE, 'demo'], [], ['nope']);
    case 'id':
      return fc.constantFrom('1', '1', '1', 'myrun7', 'nope', undefined);
    case 'ids':
      return fc.constantFrom(['1'], ['1', 'nope'], []);
    case 'limit':
    case 'offset':
    case 'maxBytes':
    case 'fromByte':
      return small;
    case 'maxPoints':
      return fc.integer({ min: 1, max: 1000 });
    case 'xMin':
    case 'xMax':
      return fc.double({ min: -10, max: 10, noNaN: true });
    case 'format':
      return fc.constantFrom('csv', 'json', 'csv', 'json', 'xml');
    case 'layout':
      return fc.constantFrom('steps-as-rows', 'steps-as-columns', { widths: { id: 80 } }, {}, 'x');
    case 'metrics':
      return fc.constantFrom(['train.loss'], ['train.loss', 'nope'], []);
    case 'stem':
    case 'bucket':
    case 'database':
    case 'prefix':
    case 'search':
    case 'region':
    case 'accessKeyId':
    case 'secretAccessKey':
    case 'password':
      return fc.oneof(
        fc.constantFrom('sacred', 'us-east-1', 'AK', 'x', null),
        fc.string({ maxLength: 12 }),
      );
    case 'profileId':
    case 'operationId':
      return fc.constantFrom('p1', 'op-1', 'nope');
    case 'download':
    case 'isDefault':
    case 'pathStyle':
    case 'rememberPassword':
    case 'rememberPasswordsOnWeakKeystore':
      return fc.boolean();
    case 'artifactCacheBytes':
      return fc.constantFrom(64 * 1024 * 1024, 2 ** 31, 1);
    case 'backgroundSyncMinutes':
      return fc.integer({ min: -1, max: 1500 });
    case 'liveRefreshSeconds':
      return fc.integer({ min: 0, max: 4000 });
    default:
      return null;
  }
}

/** The arbitrary for one argument, by its name: mostly plausible, sometimes hostile. */
function valueFor(method: MethodName, key: string): fc.Arbitrary<unknown> {
  switch (key) {
    case 'path':
    case 'tlsCAFile':
      return fc.oneof(
        { arbitrary: fc.constantFrom(...paths), weight: 9 },
        { arbitrary: anyValue.filter((v) => typeof v !== 'string'), weight: 1 },
      );
    case 'localRoots':
    case 'add':
    case 'remove':
      return fc.oneof(fc.array(fc.constantFrom(...paths), { maxLength: 3 }), fc.constant('x'));
    case 'to':
    case 'from':
      // A backup's folder comes from the pool: a random absolute path would put a dump in `/`.
      if (
        method === 'exportBackup' ||
        ((method === 'importBackup' || method === 'inspectBackup') && key === 'from')
      ) {
        return fc.constantFrom(...paths);
      }
      return fc.oneof(
        { arbitrary: fc.constantFrom(SOURCE, 'nope'), weight: 9 },
        { arbitrary: anyValue, weight: 1 },
      );
    case 'uri':
      return fc.constantFrom(...uris);
    case 'endpoint':
      return fc.constantFrom(...endpoints);
    case 'fields':
      return fc.oneof(
        fc.record(
          {
            hosts: fc.array(fc.constantFrom(...hostEntries), { maxLength: 3 }),
            user: fc.string({ maxLength: 10 }),
            tls: fc.boolean(),
            tlsCAFile: fc.constantFrom(...paths),
            replicaSet: fc.string({ maxLength: 5 }),
            directConnection: fc.boolean(),
            database: fc.string({ maxLength: 10 }),
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom(null, 'fields', []),
      );
    case 'runs':
      return fc.constantFrom(1, 1, 1, 2, 0, -3, 1.5, 100_001, '2', null);
    case 'timeoutMs':
      return fc.constantFrom(100, 150, 99, 120_001, -1, 'soon');
    case 'where':
      return fc.oneof(
        { arbitrary: fc.constantFrom(...validFilters), weight: 4 },
        { arbitrary: fc.constantFrom(...shortFilters), weight: 2 },
        { arbitrary: filterTree, weight: 3 },
        { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
        { arbitrary: anyValue, weight: 1 },
      );
    case 'filter':
      return fc.oneof(
        { arbitrary: fc.constantFrom(...validFilters), weight: 4 },
        { arbitrary: fc.constantFrom(...shortFilters), weight: 2 },
        { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
      );
    case 'sort':
      return fc.oneof(
        {
          arbitrary: fc.array(
            fc.record({ column: columnIds, desc: fc.boolean() }, { requiredKeys: ['column'] }),
            { maxLength: 3 },
          ),
          weight: 9,
        },
        { arbitrary: anyValue, weight: 1 },
      );
    case 'columns':
      return fc.oneof(
        { arbitrary: fc.array(columnIds, { maxLength: 4 }), weight: 9 },
        { arbitrary: anyValue, weight: 1 },
      );
    case 'column':
      return fc.oneof({ arbitrary: columnIds, weight: 9 }, { arbitrary: anyValue, weight: 1 });
    default: {
      const plausible = plausibleFor(method, key);
      return plausible === null
        ? anyValue
        : fc.oneof({ arbitrary: plausible, weight: 9 }, { arbitrary: anyValue, weight: 1 });
    }
  }
}

/** Methods whose every call is slow (a demo folder is written anew): fewer tries. */
const SLOW_METHODS: Partial<Record<MethodName, number>> = { createDemo: 20 };

function argsFor(method: MethodName): fc.Arbitrary<unknown> {
  const schema = methods[method].args as unknown as { shape?: Record<string, unknown> };
  const keys = Object.keys(schema.shape ?? {});
  const model = Object.fromEntries(keys.map((key) => [key, valueFor(method, key)]));
  // Every key given (most calls reach the core), or any subset of them.
  const record = fc.oneof(
    { arbitrary: fc.record(model), weight: 3 },
    { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 },
  );
  if (method === 'createDemo') {
    // Without `runs` a demo has 200 runs: seconds per call, and nothing more to learn.
    const demo = record.map((args) => ({ runs: 1, ...args }));
    return fc.oneof(demo, fc.constantFrom({ runs: 'x' }, { runs: 1, extra: true }, []));
  }
  const shaped = record;
  return fc.oneof(
    { arbitrary: shaped, weight: 8 },
    {
      arbitrary: fc
        .tuple(shaped, fc.string({ maxLength: 8 }), anyValue)
        .map(([args, key, value]) => (keys.includes(key) ? args : { ...args, [key]: value })),
      weight: 1,
    },
    {
      // Nonsense shapes; any key naming a file or a host gets a pooled value.
      arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => sanitize(value)),
      weight: 1,
    },
    { arbitrary: fc.constantFrom(undefined, null, [], 'args', 0), weight: 1 },
  );
}

/** Keeps nonsense from naming a real file or host: those keys only take pooled values. */
function sanitize(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out = { ...(value as Record<string, unknown>) };
  for (const key of [
    'path',
    'tlsCAFile',
    'localRoots',
    'add',
    'remove',
    'uri',
    'endpoint',
    'fields',
    'to',
    'from',
  ]) {
    if (key in out) delete out[key];
  }
  return out;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung for ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

async function callDirect(method: MethodName, args: unknown): Promise<Envelope<unknown>> {
  const fn = core[method] as (a: unknown) => Promise<unknown>;
  try {
    return { ok: true, result: await fn.call(core, args) };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  }
}

async function callHttp(
  method: MethodName,
  args: unknown,
): Promise<{ status: number; envelope: Envelope<unknown>; body: string }> {
  const response = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
    body: encodeWire(args) ?? '',
  });
  const body = await response.text();
  return { status: response.status, envelope: decodeWire(body) as Envelope<unknown>, body };
}

function check(method: MethodName, door: string, args: unknown, envelope: Envelope<unknown>): void {
  const label = `${method} via ${door} with ${JSON.stringify(args)?.slice(0, 300)}`;
  const count = tally.get(`${method} ${door}`) ?? { tries: 0, ok: 0, refused: 0 };
  count.tries++;
  tally.set(`${method} ${door}`, count);
  if (envelope.ok) {
    count.ok++;
    const parsed = methods[method].result.safeParse(envelope.result);
    expect(parsed.success, `${label}: result outside the contract`).toBe(true);
    return;
  }
  count.refused++;
  expect(
    ALLOWED_CODES.has(envelope.error.code),
    `${label}: ${envelope.error.code} ${envelope.error.message}`,
  ).toBe(true);
  expect(envelope.error.message, label).not.toMatch(/call stack|\bat .*\.[jt]s:\d+/u);
}

beforeAll(async () => {
  addressPools(await closedPort());
  workspace = makeWorkspace();
  const files = path.join(workspace.root, 'fuzz-files');
  mkdirSync(path.join(files, 'folder'), { recursive: true });
  writeFileSync(path.join(files, 'a-file.txt'), 'not a folder');
  paths = [
    workspace.runFolder,
    path.join(files, 'folder'),
    path.join(files, 'a-file.txt'),
    path.join(files, 'out.csv'),
    path.join(files, 'missing', 'deeper', 'out.json'),
    path.join(files, 'no-such-folder'),
    'relative/path.csv',
    '',
    '\u0000',
  ];
  core = createAltarCore({ dataDir: workspace.dataDir('fuzz'), door: 'http' });
  host = await startHttpHost(core, { rendererDir: workspace.rendererDir });
});

beforeEach(async () => {
  // Each method starts from a source with runs, whatever the previous one removed.
  const sources = await core.listSources({});
  if (!sources.some((source) => source.name === SOURCE)) {
    await core.addFolderSource({ name: SOURCE, path: workspace.runFolder });
  }
  await core.syncSources({ names: [SOURCE] });
});

afterAll(async () => {
  const lines = [...tally.entries()].map(
    ([key, count]) => `${key}: ${count.tries} tries, ${count.ok} ok, ${count.refused} refused`,
  );
  const total = [...tally.values()].reduce((sum, count) => sum + count.tries, 0);
  console.info(`contract fuzz: ${total} calls (seed ${SEED})\n${lines.join('\n')}`);
  await host?.close();
  await core?.close();
  if (workspace !== undefined && existsSync(workspace.root)) workspace.remove();
});

describe('every contract method under random arguments', () => {
  it('covers every method of the contract', () => {
    expect(methodNames.length).toBeGreaterThan(30);
  });

  // Found by this fuzzer: sorting by a text column over no source at all was INTERNAL.
  it('sorts an empty selection of sources', async () => {
    const reply = await callDirect('queryRuns', {
      sources: [],
      sort: [{ column: 'status' }, { column: 'id', desc: true }],
    });
    expect(reply).toMatchObject({ ok: true, result: { total: 0, rows: [] } });
  });

  // Found by this fuzzer: an export to a path that is a folder was INTERNAL (EISDIR).
  it('refuses to export onto a folder, leaving nothing behind', async () => {
    const folder = paths[1] as string;
    const reply = await callDirect('exportRuns', { format: 'csv', path: folder });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('it is a folder') },
    });
    expect(existsSync(`${folder}.partial-${process.pid}`)).toBe(false);
  });

  it.each(methodNames)(
    '%s: a contract result or a named refusal, on both doors',
    async (method) => {
      await fc.assert(
        fc.asyncProperty(argsFor(method), async (args) => {
          const direct = await withTimeout(callDirect(method, args), `${method} (direct)`);
          check(method, 'direct', args, direct);
          const http = await withTimeout(callHttp(method, args), `${method} (HTTP)`);
          check(method, 'http', args, http.envelope);
          const status = http.status;
          expect(
            status < 500 || DOCUMENTED_5XX.has(status),
            `${method} via HTTP answered ${status}: ${http.body.slice(0, 300)}`,
          ).toBe(true);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        {
          numRuns: Math.ceil(RUNS / (SLOW_METHODS[method] ?? 1)),
          seed: SEED + methodNames.indexOf(method),
          endOnFailure: true,
        },
      );
    },
    240_000,
  );
});
