import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../shared/contract';
import { compareValues, sortByValue } from '../../renderer/src/model/compare-values';
import { configLeaves, configValueAt } from '../../shared/config-leaves';
import { filterTree } from '../../renderer/src/model/filter-tree';
import { compactValue, formatDuration } from '../../renderer/src/model/format';
import { matchesQuickFilter, runDurationMs } from '../../renderer/src/model/run-values';
import { suggestSourceName } from '../../renderer/src/model/source-name';
import { varyingConfigKeys } from '../../renderer/src/model/varying-config-keys';
import { fakeRunSummary } from './fake-run-summary';

describe('varyingConfigKeys', () => {
  it('lists only the leaf paths whose values differ, nested paths dotted', () => {
    const configs: JsonObject[] = [
      { lr: 0.1, seed: 1, opt: { name: 'adam', betas: [0.9, 0.999] }, layers: [64, 32] },
      { lr: 0.2, seed: 2, opt: { name: 'sgd', betas: [0.9, 0.999] }, layers: [64, 32] },
    ];
    expect(varyingConfigKeys(configs)).toEqual(['lr', 'opt.name', 'seed']);
  });

  it('counts a key missing from some runs as varying', () => {
    expect(varyingConfigKeys([{ a: 1, b: 2 }, { a: 1 }])).toEqual(['b']);
  });

  it('compares arrays and jsonpickle nodes as whole values', () => {
    const arr = (values: number[]) => ({ 'py/object': 'numpy.ndarray', dtype: 'int64', values });
    expect(
      varyingConfigKeys([
        { w: arr([1, 2]), l: [1] },
        { w: arr([1, 3]), l: [1, 2] },
      ]),
    ).toEqual(['w', 'l']);
  });

  it('puts seed last and caps the number of columns', () => {
    const make = (i: number): JsonObject => {
      const config: JsonObject = { seed: i };
      for (let k = 0; k < 12; k++) config[`k${k}`] = i * k;
      return config;
    };
    const keys = varyingConfigKeys([make(1), make(2), make(3)], 8);
    expect(keys).toHaveLength(8);
    expect(keys).not.toContain('seed');
    expect(keys[0]).toBe('k1');
  });

  it('returns nothing for a single run or identical configs', () => {
    expect(varyingConfigKeys([{ a: 1 }])).toEqual([]);
    expect(varyingConfigKeys([{ a: { b: 1 } }, { a: { b: 1 } }])).toEqual([]);
  });
});

describe('config leaves', () => {
  it('walks objects and reads values back by path', () => {
    const config: JsonObject = { sub: { deep: { x: 1 } }, empty: {}, when: null };
    expect(configLeaves(config).map((leaf) => leaf.path)).toEqual(['sub.deep.x', 'empty', 'when']);
    expect(configValueAt(config, 'sub.deep.x')).toBe(1);
    expect(configValueAt(config, 'sub.nope')).toBeUndefined();
    expect(configValueAt(config, 'when')).toBeNull();
  });
});

describe('sortByValue', () => {
  const rows = [
    { v: 3 },
    { v: undefined },
    { v: 10 },
    { v: null },
    { v: 2 },
    { v: NaN },
    { v: '' },
  ];

  it('sorts numbers numerically with missing values last, ascending', () => {
    expect(sortByValue(rows, (r) => r.v, 'asc').map((r) => r.v)).toEqual([
      2,
      3,
      10,
      undefined,
      null,
      NaN,
      '',
    ]);
  });

  it('keeps missing values last when descending too', () => {
    expect(sortByValue(rows, (r) => r.v, 'desc').map((r) => r.v)).toEqual([
      10,
      3,
      2,
      undefined,
      null,
      NaN,
      '',
    ]);
  });

  it('orders numeric run ids numerically and names after numbers', () => {
    const ids = ['10', '9', 'myrun7', '100', 'abc'];
    expect(sortByValue(ids, (id) => id, 'asc')).toEqual(['9', '10', '100', 'abc', 'myrun7']);
  });

  it('does not mutate its input and is stable', () => {
    const input = [
      { k: 1, n: 'a' },
      { k: 0, n: 'b' },
      { k: 1, n: 'c' },
    ];
    const sorted = sortByValue(input, (r) => r.k, 'asc');
    expect(sorted.map((r) => r.n)).toEqual(['b', 'a', 'c']);
    expect(input.map((r) => r.n)).toEqual(['a', 'b', 'c']);
  });

  it('compares ISO times as text in time order', () => {
    expect(compareValues('2024-01-02T00:00:00Z', '2023-12-31T23:59:59Z')).toBe(1);
    expect(compareValues('Infinity', 5)).toBe(1);
  });
});

const run = fakeRunSummary;

describe('run values', () => {
  it('filters on id, experiment, status and comment, case-insensitively', () => {
    expect(matchesQuickFilter(run({ comment: 'Baseline LR' }), 'baseline')).toBe(true);
    expect(matchesQuickFilter(run({}), 'MNI')).toBe(true);
    expect(matchesQuickFilter(run({}), 'failed')).toBe(false);
    expect(matchesQuickFilter(run({ unreadable: 'run.json is empty' }), 'unreadable')).toBe(true);
    expect(matchesQuickFilter(run({}), '   ')).toBe(true);
  });

  it('measures duration to the stop time, else to the last heartbeat', () => {
    expect(runDurationMs(run({}))).toBe(65_000);
    expect(runDurationMs(run({ stop_time: null, heartbeat: '2024-01-02T00:00:30Z' }))).toBe(30_000);
    expect(runDurationMs(run({ start_time: null }))).toBeNull();
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(null)).toBe('');
  });

  it('shows results compactly', () => {
    expect(
      compactValue({
        acc: 0.934567891,
        arr: { 'py/object': 'numpy.ndarray', dtype: 'float64', values: [1.5] },
      }),
    ).toBe('{acc: 0.93457, arr: ndarray float64 [1] = [1.5]}');
    expect(compactValue('x'.repeat(100), 10)).toHaveLength(10);
  });
});

describe('filterTree', () => {
  const tree = { opt: { name: 'adam', lr: 0.1 }, layers: [64, 32], seed: 3 };

  it('keeps the leaves whose path matches, with their parents', () => {
    expect(filterTree(tree, 'opt.l')).toEqual({ opt: { lr: 0.1 } });
    expect(filterTree(tree, 'OPT')).toEqual({ opt: { name: 'adam', lr: 0.1 } });
    expect(filterTree(tree, 'layers')).toEqual({ layers: [64, 32] });
  });

  it('returns undefined when nothing matches and everything for an empty query', () => {
    expect(filterTree(tree, 'momentum')).toBeUndefined();
    expect(filterTree(tree, '')).toBe(tree);
  });
});

describe('suggestSourceName', () => {
  it('uses the folder basename, made into a valid source name', () => {
    expect(suggestSourceName('/home/alice/runs/')).toBe('runs');
    expect(suggestSourceName('C:\\Users\\bob\\my runs (old)')).toBe('my_runs_old');
    expect(suggestSourceName('')).toBe('');
  });
});

describe('filterTree with decoded values', () => {
  it('treats non-plain objects as leaves matched by their text', () => {
    class Decoded extends Date {
      override toString(): string {
        return 'ndarray int64 [3] = [0, 1, 2]';
      }
    }
    const leaf = new Decoded(0);
    expect(filterTree({ arr: leaf, lr: 1 }, 'arr')).toEqual({ arr: leaf });
    expect(filterTree({ arr: leaf, lr: 1 }, 'int64')).toEqual({ arr: leaf });
  });
});
