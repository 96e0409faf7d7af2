// The sort-key builds reuse scratch arrays (scratch-array.ts) instead of fresh ones per build,
// so that `serve` does not pile up dead ArrayBuffers (issue 13's RSS row). What a user would
// see if that went wrong: a sort order kept for paging changed by the next sort, or a sort of
// a small column right after a big one reading the big one's leftovers.
import { describe, expect, it } from 'vitest';
import { Column } from '../../main/core/query/column';
import { sharedSortRanks, sortByRanks, sortRankOf } from '../../main/core/query/column-sort-rank';
import { ScratchArray } from '../../main/core/query/scratch-array';
import { fillSortKey, newSortKey, sortByKeys } from '../../main/core/query/sort-rows';
import { SeededRandom } from '../../main/core/demo/seeded-random';

function numbers(random: SeededRandom, length: number): Column {
  const column = new Column(length);
  for (let row = 0; row < length; row++) {
    if (random.int(0, 9) === 0) continue; // missing
    column.setNumber(row, random.int(-50, 50));
  }
  return column;
}

/** The ascending order of one column by a plain comparison sort (missing last, stable). */
function expectedOrder(column: Column): number[] {
  const rows = Array.from({ length: column.length }, (_, row) => row);
  const value = (row: number): number =>
    column.kinds[row] === 0 ? Number.POSITIVE_INFINITY : (column.nums[row] as number);
  return rows.sort((a, b) => value(a) - value(b) || a - b);
}

function orderOfAll(column: Column): Uint32Array {
  const n = column.length;
  const rows = Uint32Array.from({ length: n }, (_, row) => row);
  return sortByRanks([column], sharedSortRanks([column]), new Uint16Array(n), rows, false);
}

describe('sorts built one after another', () => {
  it('keep every earlier order as it was, big and small columns in turn', () => {
    const random = new SeededRandom(7);
    const columns = [3000, 20, 0, 1, 5000, 300].map((length) => numbers(random, length));
    const orders = columns.map(orderOfAll);
    const copies = orders.map((order) => Array.from(order));
    columns.forEach((column, k) => {
      expect(copies[k], `column ${k}`).toEqual(expectedOrder(column));
      expect(Array.from(orders[k] as Uint32Array), `column ${k} after the others`).toEqual(
        copies[k],
      );
    });
  });

  it('give each column its own ranks, not a later build’s', () => {
    const random = new SeededRandom(8);
    const big = numbers(random, 4000);
    const rank = sortRankOf(big);
    const copy = [rank.rankOf, rank.group, rank.hi, rank.lo, rank.row].map((a) => Array.from(a));
    const small = new Column(3);
    small.setString(0, 'z');
    small.setNumber(1, 1e9);
    sortRankOf(small);
    const after = sortRankOf(big);
    expect(
      [after.rankOf, after.group, after.hi, after.lo, after.row].map((a) => Array.from(a)),
    ).toEqual(copy);
  });

  it('return a radix order that a later radix sort does not overwrite', () => {
    const random = new SeededRandom(9);
    const sortedBy = (column: Column): Uint32Array => {
      const n = column.length;
      const key = newSortKey(n);
      const rows = Uint32Array.from({ length: n }, (_, row) => row);
      fillSortKey(key, 0, column, rows, n, false, null);
      return sortByKeys([key], n);
    };
    const first = numbers(random, 2000);
    const order = sortedBy(first);
    const copy = Array.from(order);
    expect(copy).toEqual(expectedOrder(first));
    sortedBy(numbers(random, 1500));
    expect(Array.from(order)).toEqual(copy);
  });
});

describe('a scratch array', () => {
  it('keeps the largest buffer asked and gives views of the length asked', () => {
    const scratch = new ScratchArray();
    expect(scratch.uint32(100).length).toBe(100);
    expect(scratch.heldBytes).toBe(400);
    const small = scratch.uint8(10);
    expect(small.length).toBe(10);
    expect(scratch.heldBytes).toBe(400);
    expect(scratch.uint32(200).length).toBe(200);
    expect(scratch.heldBytes).toBe(800);
  });
});
