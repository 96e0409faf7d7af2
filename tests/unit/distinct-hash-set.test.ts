// The column catalog counts a column's distinct values past the ones it tracks as hashes
// (issue 13: as a Set of the values they were the peak of serve's memory). The counts must be
// those of a JS Set of the same values.
import { describe, expect, it } from 'vitest';
import { ColumnCatalog } from '../../main/core/query/column-catalog';
import { DistinctHashSet } from '../../main/core/query/distinct-hash-set';
import { SeededRandom } from '../../main/core/demo/seeded-random';

type Value = number | string | boolean | null;

function countBoth(values: readonly Value[]): [number, number] {
  const hashed = new DistinctHashSet();
  for (const value of values) hashed.add(value);
  return [hashed.size, new Set(values).size];
}

describe('DistinctHashSet', () => {
  it('counts values as a Set does: NaN once, -0 as 0, a number apart from its text', () => {
    const values: Value[] = [NaN, NaN, 0, -0, 1, '1', 1.5, '1.5', true, 'true', false, null];
    values.push('null', '', ' ', Infinity, -Infinity, 'Infinity', 2 ** 53, 2 ** 53 + 2);
    expect(countBoth(values)).toEqual([new Set(values).size, new Set(values).size]);
    expect(new Set(values).size).toBe(values.length - 2);
  });

  it('counts tens of thousands of near-identical values exactly while it grows', () => {
    const random = new SeededRandom(5);
    const values: Value[] = [];
    for (let i = 0; i < 40_000; i++) {
      values.push(`run-${random.int(0, 30_000)}`, random.int(0, 20_000) / 8, i * 0.1);
    }
    const [hashed, set] = countBoth(values);
    expect(hashed).toBe(set);
  });
});

describe('the column catalog past its tracked values', () => {
  it('stores how many distinct values a column had, up to what a build counts', () => {
    const catalog = ColumnCatalog.building();
    for (let i = 0; i < 6000; i++) {
      catalog.addDocument('config', { id: `r${i}`, half: i % 3000, few: i % 7 }, 1);
    }
    catalog.finishBuild();
    const stored = JSON.parse(catalog.toJson()) as { entries: unknown[][] };
    const atLeast = new Map(
      stored.entries.map((entry) => [(entry[0] as string[]).join('.'), entry]),
    );
    // [path, group, present, kinds, values (null past the tracked ones), atLeast]
    expect(atLeast.get('config.id')?.[4]).toBeNull();
    expect(atLeast.get('config.id')?.[5]).toBe(6000);
    expect(atLeast.get('config.half')?.[5]).toBe(3000);
    expect(atLeast.get('config.few')?.[4]).toHaveLength(7);
  });
});
