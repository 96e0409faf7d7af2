import { describe, expect, it } from 'vitest';
import type { ColumnInfo, JsonObject } from '../../shared/contract';
import { DEFAULT_COLUMNS } from '../../shared/filter';
import {
  hasOnlyStartColumns,
  informativeColumns,
  withInformativeColumns,
} from '../../shared/default-table-columns';
import {
  configKeyStats,
  informativeConfigKeys,
  rankInformativeKeys,
} from '../../shared/informative-keys';

/** A sweep over tau × N with Sacred's random seed and a constant lr, `repeats` runs each. */
function sweep(repeats: number): JsonObject[] {
  const configs: JsonObject[] = [];
  let seed = 1000;
  for (const tau of [0.5, 1, 2])
    for (const N of [100, 1000])
      for (let r = 0; r < repeats; r++)
        configs.push({ tau, N, lr: 0.01, seed: seed++, model: { depth: 3 } });
  return configs;
}

function column(
  id: string,
  group: ColumnInfo['group'],
  distinct: number,
  present: number,
  type: ColumnInfo['type'] = 'number',
  path = id.split('.'),
): ColumnInfo {
  return {
    id,
    path,
    group,
    type,
    distinct,
    distinctCapped: false,
    present,
    suggested: false,
    label: null,
  };
}

describe('the keys that tell runs apart', () => {
  it('names the swept keys, leaves out the per-run seed and the constant keys', () => {
    const keys = informativeConfigKeys(sweep(2));
    // tau has 3 values (more information than N's 2); seed is new in every run.
    expect(keys).toEqual(['tau', 'N']);
    expect(keys).not.toContain('lr');
    expect(keys).not.toContain('model.depth');
  });

  it('with a few hand-picked runs every key is per run: Sacred’s seed is still left out', () => {
    const configs = [
      { seed: 5, tau: 1 },
      { seed: 9, tau: 2 },
      { seed: 3, tau: 3 },
    ];
    expect(informativeConfigKeys(configs)).toEqual(['tau']);
    // Unless nothing else differs: replicates are told apart by their seed.
    expect(informativeConfigKeys(configs.map(({ seed }) => ({ seed, tau: 1 })))).toEqual(['seed']);
  });

  it('a seed swept on purpose (replicates 0, 1, 2) is a swept key like any other', () => {
    const configs = [0, 1, 2].flatMap((seed) => [
      { seed, tau: 1 },
      { seed, tau: 1 },
    ]);
    expect(informativeConfigKeys(configs)).toEqual(['seed']);
  });

  it('a key set in some runs only varies by its presence', () => {
    const configs: JsonObject[] = [{ a: 1 }, { a: 1, extra: true }, { a: 1 }];
    expect(informativeConfigKeys(configs)).toEqual(['extra']);
    const [extra] = configKeyStats(configs).filter((s) => s.path === 'extra');
    expect(extra?.present).toBe(1);
    expect(extra?.entropy).toBeGreaterThan(0.9);
  });

  it('ranks by entropy: a balanced key before a lopsided one with as many values', () => {
    const configs = Array.from({ length: 8 }, (_, i) => ({
      balanced: i % 2,
      lopsided: i === 0 ? 1 : 0,
    }));
    expect(informativeConfigKeys(configs)).toEqual(['balanced', 'lopsided']);
  });

  it('leaves out keys held by too few runs and honours the limit', () => {
    const stats = [
      { path: 'config.rare', distinct: 2, present: 3 },
      { path: 'config.a', distinct: 2, present: 10 },
      { path: 'config.b', distinct: 4, present: 10 },
    ];
    expect(rankInformativeKeys(stats, 10, { minCoverage: 0.5 })).toEqual(['config.b', 'config.a']);
    expect(rankInformativeKeys(stats, 10, { limit: 1 })).toEqual(['config.b']);
    expect(rankInformativeKeys(stats, 1)).toEqual([]);
  });

  it('keys new in every run are kept only when nothing is swept, the seed only alone', () => {
    const perRun = [
      { path: 'seed', distinct: 12, present: 12 },
      { path: 'lr', distinct: 12, present: 12 },
      { path: 'out_dir', distinct: 12, present: 12 },
    ];
    expect(rankInformativeKeys(perRun, 12)).toEqual(['lr', 'out_dir']);
    expect(rankInformativeKeys(perRun.slice(0, 1), 12)).toEqual(['seed']);
    expect(rankInformativeKeys([...perRun, { path: 'tau', distinct: 2, present: 12 }], 12)).toEqual(
      ['tau'],
    );
  });

  it('among a few runs a key new in each is no evidence of a per-run value', () => {
    const configs = [
      { tau: 0.5, N: 1000, seed: 1 },
      { tau: 1, N: 100, seed: 2 },
      { tau: 2, N: 1000, seed: 3 },
    ];
    expect(informativeConfigKeys(configs)).toEqual(['tau', 'N']);
  });
});

describe('the default run table', () => {
  const catalog: ColumnInfo[] = [
    column('id', 'builtin', 60, 60, 'string'),
    column('config.seed', 'config', 60, 60),
    column('config.tau', 'config', 3, 60),
    column('config.N', 'config', 2, 60),
    column('config.lr', 'config', 1, 60),
    column('config.run_dir', 'config', 60, 60, 'string'),
    column('config.layers', 'config', 4, 60, 'list'),
    column('config.only_some', 'config', 5, 10),
    column('metrics."train.loss".last', 'metrics', 60, 60, 'number', [
      'metrics',
      'train.loss',
      'last',
    ]),
    column('metrics."train.loss".min', 'metrics', 60, 60, 'number', [
      'metrics',
      'train.loss',
      'min',
    ]),
    column('metrics.rare.last', 'metrics', 5, 5),
    column('metrics.acc.last', 'metrics', 60, 58),
  ];

  it('adds the swept config keys (not per-run ones) and the last value of shared metrics', () => {
    expect(informativeColumns(catalog)).toEqual([
      'config.tau',
      'config.N',
      'metrics."train.loss".last',
      'metrics.acc.last',
    ]);
  });

  it('adds nothing to a view of the user’s own, and nothing before the catalog is there', () => {
    expect(hasOnlyStartColumns([...DEFAULT_COLUMNS])).toBe(true);
    expect(hasOnlyStartColumns([...DEFAULT_COLUMNS, 'config.tau'])).toBe(false);
    expect(hasOnlyStartColumns(['id', 'status'])).toBe(false);
    expect(withInformativeColumns(['id'], null)).toEqual(['id']);
    expect(withInformativeColumns(['id', 'config.tau'], catalog)).toEqual([
      'id',
      'config.tau',
      'config.N',
      'metrics."train.loss".last',
      'metrics.acc.last',
    ]);
  });

  it('an empty cache gets no extra columns', () => {
    expect(informativeColumns([column('id', 'builtin', 0, 0, 'string')])).toEqual([]);
  });
});
