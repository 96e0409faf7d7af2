import type { Column } from './column';
import { ScratchArray } from './scratch-array';
import { fillSortKey, scratchSortKey, sortByKeys } from './sort-rows';

/**
 * A column's sort key kept as one dense rank per run: runs with equal values share a rank, and
 * ranks ascend in the sort order of sort-rows.ts (bool < number < date < string < list/object,
 * then NaN, then null and missing). Built once per loaded column (one radix sort of its runs);
 * a sort recomputed later, in either direction and on any subset of runs, is then one counting
 * pass over the ranks instead of five radix passes over 64-bit keys.
 */
export interface ColumnSortRank {
  /** Run row → its rank, 0 ≤ rank < distinct. */
  readonly rankOf: Uint32Array;
  readonly distinct: number;
  /** Ranks below this are values (groups 1–5); at and above: NaN, then null/missing. */
  readonly valueRanks: number;
  /** Per rank, the key it stands for: group, and the 64-bit number bits or the text's row. */
  readonly group: Uint8Array;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  /** Per rank, a run holding it (to read a text value when merging with other sources). */
  readonly row: Uint32Array;
}

const kept = new WeakMap<Column, ColumnSortRank>();

/** The column's ranks, built on first use and kept as long as the column. */
export function sortRankOf(column: Column): ColumnSortRank {
  let rank = kept.get(column);
  if (rank === undefined) {
    rank = buildSortRank(column);
    kept.set(column, rank);
  }
  return rank;
}

/** Whether the column's ranks are built (the engine builds missing ones in idle time). */
export function hasSortRank(column: Column): boolean {
  return kept.has(column);
}

/** Drops the column's ranks (the benchmarks time a sort whose keys must be built again). */
export function forgetSortRank(column: Column): void {
  kept.delete(column);
}

/** The arrays a build only passes through (see scratch-array.ts). */
const scratch = {
  rows: new ScratchArray(),
  group: new ScratchArray(),
  hi: new ScratchArray(),
  lo: new ScratchArray(),
  row: new ScratchArray(),
  keys: new ScratchArray(),
  counts: new ScratchArray(),
};

function buildSortRank(column: Column): ColumnSortRank {
  const n = column.length;
  const rows = scratch.rows.uint32(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  const key = scratchSortKey(n);
  // The column's own dictionary ranks order its texts; merging across sources compares texts.
  fillSortKey(key, 0, column, rows, n, false, column.codes === null ? null : column.ranks());
  const order = sortByKeys([key], n, false);
  const rankOf = new Uint32Array(n);
  // At most n distinct keys: filled in place, copied out at `distinct` length at the end.
  const group = scratch.group.uint8(n);
  const hi = scratch.hi.uint32(n);
  const lo = scratch.lo.uint32(n);
  const row = scratch.row.uint32(n);
  let distinct = 0;
  let valueRanks = 0;
  for (let k = 0; k < n; k++) {
    const at = order[k] as number;
    const g = key.group[at] as number;
    const h = key.hi[at] as number;
    const l = key.lo[at] as number;
    const last = distinct - 1;
    if (last < 0 || group[last] !== g || hi[last] !== h || lo[last] !== l) {
      group[distinct] = g;
      hi[distinct] = h;
      lo[distinct] = l;
      row[distinct] = at;
      distinct++;
      if (g <= 5) valueRanks = distinct;
    }
    rankOf[at] = distinct - 1;
  }
  return {
    rankOf,
    distinct,
    valueRanks,
    group: group.slice(0, distinct),
    hi: hi.slice(0, distinct),
    lo: lo.slice(0, distinct),
    row: row.slice(0, distinct),
  };
}

/** Ranks of several sources' columns on one scale: per column, its rank → the shared rank. */
export interface SharedSortRanks {
  readonly toShared: Uint32Array[];
  readonly distinct: number;
  readonly valueRanks: number;
}

const TEXT_GROUPS = new Set([4, 5]);

/**
 * Merges the columns' sorted distinct keys (as sharedRanks does for dictionaries): numbers by
 * their bits, texts with the column's text order, equal keys (the same text) one rank.
 */
export function sharedSortRanks(columns: readonly Column[]): SharedSortRanks {
  const ranks = columns.map(sortRankOf);
  if (ranks.length === 1) {
    const only = ranks[0] as ColumnSortRank;
    const identity = new Uint32Array(only.distinct);
    for (let r = 0; r < only.distinct; r++) identity[r] = r;
    return { toShared: [identity], distinct: only.distinct, valueRanks: only.valueRanks };
  }
  const toShared = ranks.map((rank) => new Uint32Array(rank.distinct));
  const at = new Int32Array(ranks.length);
  const textOf = (c: number, r: number): string => {
    const column = columns[c] as Column;
    const rank = ranks[c] as ColumnSortRank;
    return column.dict[column.code(rank.row[r] as number)] ?? '';
  };
  const compare = (a: number, ra: number, b: number, rb: number): number => {
    const A = ranks[a] as ColumnSortRank;
    const B = ranks[b] as ColumnSortRank;
    const ga = A.group[ra] as number;
    const gb = B.group[rb] as number;
    if (ga !== gb) return ga - gb;
    if (TEXT_GROUPS.has(ga)) {
      const ta = textOf(a, ra);
      const tb = textOf(b, rb);
      return ta === tb ? 0 : (columns[0] as Column).textOrder(ta, tb) || (ta < tb ? -1 : 1);
    }
    const ha = A.hi[ra] as number;
    const hb = B.hi[rb] as number;
    if (ha !== hb) return ha < hb ? -1 : 1;
    const la = A.lo[ra] as number;
    const lb = B.lo[rb] as number;
    return la === lb ? 0 : la < lb ? -1 : 1;
  };
  let shared = -1;
  let valueRanks = 0;
  let previous = -1;
  let previousRank = 0;
  for (;;) {
    let best = -1;
    for (let c = 0; c < ranks.length; c++) {
      if ((at[c] as number) >= (ranks[c] as ColumnSortRank).distinct) continue;
      if (best < 0 || compare(c, at[c] as number, best, at[best] as number) < 0) best = c;
    }
    if (best < 0) break;
    const r = at[best] as number;
    if (previous < 0 || compare(best, r, previous, previousRank) !== 0) shared++;
    (toShared[best] as Uint32Array)[r] = shared;
    if (((ranks[best] as ColumnSortRank).group[r] as number) <= 5) valueRanks = shared + 1;
    previous = best;
    previousRank = r;
    at[best] = r + 1;
  }
  return { toShared, distinct: shared + 1, valueRanks };
}

/**
 * Candidates (segment, row) ordered by the shared ranks, ties in candidate order (stable): one
 * counting pass. Descending reverses the values but keeps NaN, then null/missing, last.
 */
export function sortByRanks(
  columns: readonly Column[],
  shared: SharedSortRanks,
  segOf: Uint16Array,
  rowOf: Uint32Array,
  desc: boolean,
): Uint32Array {
  const n = segOf.length;
  const keys = scratch.keys.uint32(n);
  const rankOf = columns.map((column) => sortRankOf(column).rankOf);
  const last = shared.valueRanks - 1;
  for (let k = 0; k < n; k++) {
    const s = segOf[k] as number;
    const local = (rankOf[s] as Uint32Array)[rowOf[k] as number] as number;
    let g = (shared.toShared[s] as Uint32Array)[local] as number;
    if (desc && g <= last) g = last - g;
    keys[k] = g;
  }
  const counts = scratch.counts.uint32(shared.distinct + 1).fill(0);
  for (let k = 0; k < n; k++) {
    const slot = (keys[k] as number) + 1;
    counts[slot] = (counts[slot] as number) + 1;
  }
  for (let g = 1; g <= shared.distinct; g++) {
    counts[g] = (counts[g] as number) + (counts[g - 1] as number);
  }
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const g = keys[k] as number;
    order[counts[g] as number] = k;
    counts[g] = (counts[g] as number) + 1;
  }
  return order;
}
