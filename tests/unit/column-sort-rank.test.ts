// A recomputed single-column sort goes through ranks kept per column (column-sort-rank.ts).
// It must give exactly the order of the 64-bit radix sort it replaces (sort-rows.ts): the same
// type groups, NaN then null/missing last in both directions, ties in candidate order, and
// values equal across sources ranked equal.
import { describe, expect, it } from 'vitest';
import { Column } from '../../main/core/query/column';
import { sharedSortRanks, sortByRanks, sortRankOf } from '../../main/core/query/column-sort-rank';
import { sharedRanks } from '../../main/core/query/shared-ranks';
import { fillSortKey, newSortKey, sortByKeys } from '../../main/core/query/sort-rows';
import { SeededRandom } from '../../main/core/demo/seeded-random';

const POOL: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  2.5,
  1e300,
  -1e-300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  'a',
  'B',
  'b',
  '',
  '10',
  '9',
  'été',
  [1, 2],
  [],
  { x: 1 },
];

/** A column of `length` runs drawing from the pool, some missing, some dates. */
function randomColumn(random: SeededRandom, length: number): Column {
  const column = new Column(length);
  for (let row = 0; row < length; row++) {
    const roll = random.int(0, 9);
    if (roll === 0) continue; // missing
    if (roll === 1) column.setDate(row, Date.UTC(2024, random.int(0, 3), 1));
    else column.setValue(row, random.pick(POOL));
  }
  return column;
}

/** The radix sort of sort-rows.ts over the same candidates: the order this must match. */
function radixOrder(
  columns: Column[],
  segOf: Uint16Array,
  rowOf: Uint32Array,
  desc: boolean,
): Uint32Array {
  const n = segOf.length;
  const key = newSortKey(n);
  const ranks = sharedRanks(columns);
  for (let k = 0; k < n; k++) {
    const s = segOf[k] as number;
    fillSortKey(key, k, columns[s] as Column, rowOf.subarray(k, k + 1), 1, desc, ranks[s] ?? null);
  }
  return sortByKeys([key], n);
}

function candidates(random: SeededRandom, columns: Column[]) {
  const segOf: number[] = [];
  const rowOf: number[] = [];
  columns.forEach((column, s) => {
    for (let row = 0; row < column.length; row++) {
      if (random.int(0, 3) === 0) continue; // filtered out
      segOf.push(s);
      rowOf.push(row);
    }
  });
  return { segOf: Uint16Array.from(segOf), rowOf: Uint32Array.from(rowOf) };
}

describe('sort ranks kept per column', () => {
  it('orders like the radix sort, across sources, both ways, on random subsets', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = new SeededRandom(seed);
      const columns = Array.from({ length: random.int(1, 3) }, () =>
        randomColumn(random, random.int(0, 60)),
      );
      const shared = sharedSortRanks(columns);
      const { segOf, rowOf } = candidates(random, columns);
      for (const desc of [false, true]) {
        const expected = Array.from(radixOrder(columns, segOf, rowOf, desc));
        const actual = Array.from(sortByRanks(columns, shared, segOf, rowOf, desc));
        expect(actual, `seed ${seed}, desc ${desc}`).toEqual(expected);
      }
    }
  });

  it('gives equal values one rank and keeps it while the column lives', () => {
    const column = new Column(5);
    column.setNumber(0, 3);
    column.setNumber(1, 1);
    column.setNumber(2, 3);
    column.setString(3, 'x');
    const rank = sortRankOf(column);
    expect(Array.from(rank.rankOf)).toEqual([1, 0, 1, 2, 3]);
    expect(rank.valueRanks).toBe(3);
    expect(sortRankOf(column)).toBe(rank);
  });

  it('puts NaN and then missing values last when descending too', () => {
    const column = new Column(4);
    column.setNumber(0, Number.NaN);
    column.setNumber(1, 1);
    column.setNumber(2, 2);
    const shared = sharedSortRanks([column]);
    const rows = Uint32Array.from([0, 1, 2, 3]);
    const segs = new Uint16Array(4);
    expect(Array.from(sortByRanks([column], shared, segs, rows, true))).toEqual([2, 1, 0, 3]);
    expect(Array.from(sortByRanks([column], shared, segs, rows, false))).toEqual([1, 2, 0, 3]);
  });
});
