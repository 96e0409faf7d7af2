import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodeJsonpickleTree,
  describeJsonpickle,
  isJsonpickleNode,
} from '../../shared/jsonpickle';

const samples = fileURLToPath(new URL('../fixtures/sacred-samples/', import.meta.url));

function readJson(relative: string): Record<string, unknown> {
  // Sacred writes bare NaN/Infinity; this fixture has none, so plain JSON.parse is enough.
  return JSON.parse(readFileSync(`${samples}${relative}`, 'utf8')) as Record<string, unknown>;
}

describe('describeJsonpickle on real Sacred output', () => {
  const info = readJson('filestorage_completed/1/info.json');
  const custom = info.custom as Record<string, unknown>;

  it('decodes the 10-byte datetime state', () => {
    expect(describeJsonpickle(custom.when)).toBe('datetime 2024-01-02 00:00:00');
  });

  it('describes a small numpy array with dtype, shape and values', () => {
    expect(describeJsonpickle(custom.arr)).toBe('ndarray float64 [2] = [1, 1]');
  });

  it('decodes nodes everywhere in a tree and keeps plain values', () => {
    const decoded = decodeJsonpickleTree(info) as {
      custom: Record<string, unknown>;
      metrics: unknown;
    };
    expect(decoded.custom.when).toBe('datetime 2024-01-02 00:00:00');
    expect(decoded.custom['json://1']).toBe('intkey');
    expect(decoded.metrics).toEqual(info.metrics);
  });
});

describe('describeJsonpickle', () => {
  it('returns null for values that are not jsonpickle nodes', () => {
    expect(describeJsonpickle(3)).toBeNull();
    expect(describeJsonpickle('py/tuple')).toBeNull();
    expect(describeJsonpickle([1, 2])).toBeNull();
    expect(describeJsonpickle({ lr: 0.1 })).toBeNull();
    expect(describeJsonpickle(null)).toBeNull();
    expect(isJsonpickleNode({ 'py/object': 'x.Y' })).toBe(true);
  });

  it('describes an int64 array as in a Sacred config', () => {
    expect(
      describeJsonpickle({ 'py/object': 'numpy.ndarray', dtype: 'int64', values: [0, 1, 2] }),
    ).toBe('ndarray int64 [3] = [0, 1, 2]');
  });

  it('gives the shape of nested and of compressed arrays', () => {
    expect(
      describeJsonpickle({
        'py/object': 'numpy.ndarray',
        dtype: 'float32',
        values: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      }),
    ).toBe('ndarray float32 [2, 3] = [[1, 2, 3], [4, 5, 6]]');
    expect(
      describeJsonpickle({
        'py/object': 'numpy.ndarray',
        dtype: 'float64',
        byteorder: '<',
        shape: { 'py/tuple': [100, 3] },
        values: 'eJzt0DENAAAAwqD1T20ND6AAAAAAAAAAAAAAAAB4GwBOAAE=',
      }),
    ).toBe('ndarray float64 [100, 3]');
  });

  it('describes tuples, sets and bytes', () => {
    expect(describeJsonpickle({ 'py/tuple': [1, 'a', null] })).toBe('tuple (1, "a", None)');
    expect(describeJsonpickle({ 'py/tuple': [7] })).toBe('tuple (7,)');
    expect(describeJsonpickle({ 'py/set': [1, 2] })).toBe('set {1, 2}');
    expect(describeJsonpickle({ 'py/b64': 'AAEC' })).toBe('bytes (3 B)');
  });

  it('describes numpy scalars with their value', () => {
    expect(describeJsonpickle({ 'py/object': 'numpy.float64', dtype: 'float64', value: 1.5 })).toBe(
      'numpy.float64 1.5',
    );
    expect(
      describeJsonpickle({ 'py/object': 'numpy.float64', dtype: 'float64', value: 'NaN' }),
    ).toBe('numpy.float64 NaN');
  });

  it('decodes microseconds, dates and the py/b64 form of the state', () => {
    // 2023-12-31 23:59:58.000123
    const bytes = [0x07, 0xe7, 12, 31, 23, 59, 58, 0x00, 0x00, 0x7b];
    const b64 = btoa(String.fromCharCode(...bytes));
    const node = (state: unknown) => ({
      'py/object': 'datetime.datetime',
      __reduce__: [{ 'py/type': 'datetime.datetime' }, [state]],
    });
    expect(describeJsonpickle(node(b64))).toBe('datetime 2023-12-31 23:59:58.000123');
    expect(describeJsonpickle(node({ 'py/b64': b64 }))).toBe('datetime 2023-12-31 23:59:58.000123');
    const date = btoa(String.fromCharCode(0x07, 0xe8, 2, 29));
    expect(
      describeJsonpickle({
        'py/object': 'datetime.date',
        __reduce__: [{ 'py/type': 'datetime.date' }, [date]],
      }),
    ).toBe('date 2024-02-29');
  });

  it('falls back to the class name when a datetime state is broken', () => {
    const broken = {
      'py/object': 'datetime.datetime',
      __reduce__: [{ 'py/type': 'datetime.datetime' }, ['not base64!']],
    };
    expect(describeJsonpickle(broken)).toBe('datetime.datetime("not base64!")');
  });

  it('describes reduce nodes (Path, Enum) with their arguments and plain objects by class', () => {
    expect(
      describeJsonpickle({
        'py/reduce': [{ 'py/type': 'pathlib.PosixPath' }, { 'py/tuple': ['/data', 'x.csv'] }],
      }),
    ).toBe('pathlib.PosixPath("/data", "x.csv")');
    expect(describeJsonpickle({ 'py/object': 'mymod.Thing', a: 1 })).toBe('<mymod.Thing>');
    expect(describeJsonpickle({ 'py/type': 'mymod.Thing' })).toBe('<class mymod.Thing>');
    expect(describeJsonpickle({ 'py/id': 3 })).toBe('<reference to object #3>');
  });

  it('describes complex numbers', () => {
    expect(
      describeJsonpickle({
        'py/object': 'builtins.complex',
        'py/newargs': { 'py/tuple': [1, -2] },
      }),
    ).toBe('complex (1-2j)');
  });

  it('keeps huge values to one short line', () => {
    const long = describeJsonpickle({
      'py/tuple': Array.from({ length: 1000 }, (_, i) => `item-${i}`),
    });
    expect(long).not.toBeNull();
    expect((long as string).length).toBeLessThanOrEqual(200);
  });
});

/** Every node shape of SACRED_FORMAT.md §0 "Value encoding", one line each. */
describe('describeJsonpickle for every node type Sacred writes', () => {
  const datetimeNode = (bytes: number[], tz?: unknown) => ({
    'py/object': 'datetime.datetime',
    __reduce__: [
      { 'py/type': 'datetime.datetime' },
      tz === undefined
        ? [btoa(String.fromCharCode(...bytes))]
        : [btoa(String.fromCharCode(...bytes)), tz],
    ],
  });

  it.each([
    ['tuple (outside config)', { 'py/tuple': [1, 2] }, 'tuple (1, 2)'],
    ['set', { 'py/set': ['a'] }, 'set {"a"}'],
    ['bytes', { 'py/b64': 'aGk=' }, 'bytes (2 B)'],
    [
      'numpy array 0.8.1+, small',
      { 'py/object': 'numpy.ndarray', dtype: 'int64', values: [[1], [2]] },
      'ndarray int64 [2, 1] = [[1], [2]]',
    ],
    [
      'numpy array 0.7-0.8.0 (no dtype first)',
      { 'py/object': 'numpy.ndarray', values: [1.5], dtype: 'float64' },
      'ndarray float64 [1] = [1.5]',
    ],
    [
      'numpy scalar in info',
      { 'py/object': 'numpy.int64', dtype: 'int64', value: 7 },
      'numpy.int64 7',
    ],
    [
      'pandas DataFrame 0.7-0.8.0',
      {
        'py/object': 'pandas.core.frame.DataFrame',
        values: { a: { '0': 1, '1': 2 }, b: { '0': 3, '1': 4 } },
        dtypes: {},
      },
      'DataFrame 2 rows × 2 columns (a, b)',
    ],
    ['arbitrary object', { 'py/object': 'lab.Config', 'py/state': { a: 1 } }, '<lab.Config>'],
    ['Enum', { 'py/reduce': [{ 'py/type': 'lab.Color' }, { 'py/tuple': [2] }] }, 'lab.Color(2)'],
    [
      'Decimal',
      { 'py/reduce': [{ 'py/type': 'decimal.Decimal' }, { 'py/tuple': ['0.1'] }] },
      'decimal.Decimal("0.1")',
    ],
    [
      'OrderedDict',
      {
        'py/reduce': [
          { 'py/type': 'collections.OrderedDict' },
          { 'py/tuple': [] },
          null,
          null,
          { 'py/tuple': [{ 'py/tuple': ['a', 1] }, { 'py/tuple': ['b', 'x'] }] },
        ],
      },
      'collections.OrderedDict({"a": 1, "b": "x"})',
    ],
    [
      'complex',
      { 'py/object': 'builtins.complex', 'py/newargs': { 'py/tuple': [0.5, 2] } },
      'complex (0.5+2j)',
    ],
    ['repeated reference (jsonpickle 3)', { 'py/id': 2 }, '<reference to object #2>'],
    ['repeated reference (old jsonpickle)', { 'py/ref': '/a' }, '<reference "/a">'],
    ['function', { 'py/function': 'lab.make_model' }, '<function lab.make_model>'],
    ['class', { 'py/type': 'lab.Model' }, '<class lab.Model>'],
    [
      'timedelta',
      { 'py/reduce': [{ 'py/type': 'datetime.timedelta' }, { 'py/tuple': [1, 30, 0] }] },
      'timedelta 1 days, 30 s, 0 µs',
    ],
    [
      'time',
      {
        'py/object': 'datetime.time',
        __reduce__: [
          { 'py/type': 'datetime.time' },
          [btoa(String.fromCharCode(13, 4, 5, 0, 0, 0))],
        ],
      },
      'time 13:04:05',
    ],
  ])('%s', (_label, node, expected) => {
    expect(isJsonpickleNode(node)).toBe(true);
    expect(describeJsonpickle(node)).toBe(expected);
  });

  it('decodes a datetime with a UTC or offset timezone', () => {
    const tz = (seconds: number) => ({
      'py/reduce': [
        { 'py/function': 'datetime.timezone' },
        {
          'py/tuple': [
            { 'py/reduce': [{ 'py/type': 'datetime.timedelta' }, { 'py/tuple': [0, seconds, 0] }] },
          ],
        },
      ],
    });
    const bytes = [0x07, 0xe8, 1, 2, 3, 4, 5, 0, 0, 0];
    expect(describeJsonpickle(datetimeNode(bytes, tz(0)))).toBe('datetime 2024-01-02 03:04:05 UTC');
    expect(describeJsonpickle(datetimeNode(bytes, tz(3600)))).toBe(
      'datetime 2024-01-02 03:04:05 UTC+01:00',
    );
  });

  it('decodes nested nodes inside plain containers and keeps json:// keys as stored', () => {
    const tree = decodeJsonpickleTree({
      'json://1': { 'py/tuple': [1] },
      list: [{ 'py/set': [3] }, 4],
    }) as Record<string, unknown>;
    expect(tree['json://1']).toBe('tuple (1,)');
    expect(tree.list).toEqual(['set {3}', 4]);
  });
});
