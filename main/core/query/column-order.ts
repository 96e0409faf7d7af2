import type { Column } from './column';
import { forgetSortRank, sharedSortRanks, sortByRanks, sortRankOf } from './column-sort-rank';
import type { SourceSegment } from './source-segment';

/**
 * Every run of some segments laid out one after the other, each segment in its default order
 * (SourceSegment.baseOrder): position p is row rowOf[p] of segments[segOf[p]]. Sorted orders
 * are permutations of these positions; ties keep this layout's order.
 */
export interface RunLayout {
  /** The default orders it was made from (a refresh that moves no run keeps its segment's). */
  readonly baseOrders: readonly Uint32Array[];
  readonly segOf: Uint16Array;
  readonly rowOf: Uint32Array;
  /** Where each segment's runs start (segments.length + 1 entries). */
  readonly starts: Uint32Array;
}

export function runLayout(segments: readonly SourceSegment[]): RunLayout {
  const total = segments.reduce((sum, segment) => sum + segment.length, 0);
  const segOf = new Uint16Array(total);
  const rowOf = new Uint32Array(total);
  const starts = new Uint32Array(segments.length + 1);
  let at = 0;
  segments.forEach((segment, s) => {
    starts[s] = at;
    segOf.fill(s, at, at + segment.length);
    rowOf.set(segment.baseOrder, at);
    at += segment.length;
  });
  starts[segments.length] = at;
  return { baseOrders: segments.map((segment) => segment.baseOrder), segOf, rowOf, starts };
}

/**
 * Whether a layout still lays out these segments: made from their very default orders (a
 * segment's rows and its order stay the same while it keeps its baseOrder array).
 */
export function layoutFits(layout: RunLayout, segments: readonly SourceSegment[]): boolean {
  return (
    layout.baseOrders.length === segments.length &&
    layout.baseOrders.every((order, s) => order === segments[s]?.baseOrder)
  );
}

/**
 * One column's sort key over a layout, kept while neither the column of any segment nor a
 * segment's default order changes (a sync that rewrites a run's value of this column builds a
 * new Column, a reload new segments; see refresh-segment.ts): the layout's positions in
 * ascending order (sort-rows.ts's order: bool < number < date < string < list/object, then
 * NaN, then null/missing; ties in layout order) and where each run of equal values starts.
 * A sort by the column, either direction, over any subset of the runs, is then one
 * sequential pass over it instead of a sort.
 */
export interface ColumnOrder {
  /**
   * Per segment, the column it orders; null where the column was not loaded when the key was
   * read from the cache file (checked against sampled runs instead, see stored-order-check.ts):
   * the key then stands for `unloaded[s]` as long as it is the same object (any write to its
   * source makes a new one), and is checked in full once the column is loaded.
   */
  readonly columns: ReadonlyArray<Column | null>;
  /** The segment where `columns` is null, else null (a kept key holds no other segment). */
  readonly unloaded: ReadonlyArray<SourceSegment | null>;
  readonly layout: RunLayout;
  /** Layout positions, ascending. */
  readonly ascending: Uint32Array;
  /** Bit k set: ascending[k] holds a different value from ascending[k - 1] (k = 0 set). */
  readonly groupStarts: Uint32Array;
  /** Ascending positions below this hold values; from it on, NaN then null/missing. */
  readonly valueEnd: number;
}

export function buildColumnOrder(layout: RunLayout, columns: readonly Column[]): ColumnOrder {
  const shared = sharedSortRanks(columns);
  const { segOf, rowOf } = layout;
  const ascending = sortByRanks(columns, shared, segOf, rowOf, false);
  const n = ascending.length;
  const groupStarts = new Uint32Array((n >>> 5) + 1);
  // The shared rank of each position, as sortByRanks computes it: read once per position.
  const rankOf = columns.map((column, s) => {
    const toShared = shared.toShared[s] as Uint32Array;
    return { local: sortRankOf(column).rankOf, toShared };
  });
  let previous = -1;
  let valueEnd = n;
  for (let k = 0; k < n; k++) {
    const p = ascending[k] as number;
    const ranks = rankOf[segOf[p] as number] as { local: Uint32Array; toShared: Uint32Array };
    const rank = ranks.toShared[ranks.local[rowOf[p] as number] as number] as number;
    if (rank !== previous) {
      groupStarts[k >>> 5] = (groupStarts[k >>> 5] as number) | (1 << (k & 31));
      if (rank >= shared.valueRanks && valueEnd === n) valueEnd = k;
    }
    previous = rank;
  }
  // The order holds all a sort needs: the ranks (up to 17 bytes a run) are let go, to be
  // built again only if a sync replaces another source's column or the layout.
  columns.forEach(forgetSortRank);
  const unloaded = columns.map(() => null);
  return { columns, unloaded, layout, ascending, groupStarts, valueEnd };
}

/**
 * The order of a sort by the column over the runs `keep` lets through (a flag per layout
 * position; null: every run). Descending reverses the runs of values but keeps ties in layout
 * order and NaN, then null/missing, last. Ascending over every run is the kept array itself.
 */
export function orderOf(
  order: ColumnOrder,
  desc: boolean,
  keep: Uint8Array | null,
  count: number,
): Uint32Array {
  const { ascending, groupStarts, valueEnd } = order;
  const n = ascending.length;
  if (keep === null && !desc) return ascending;
  const out = new Uint32Array(keep === null ? n : count);
  let at = 0;
  if (!desc && keep !== null) {
    for (let k = 0; k < n; k++) {
      const p = ascending[k] as number;
      if (keep[p] === 1) out[at++] = p;
    }
    return out;
  }
  // Runs of equal values from the last to the first, each in its own (layout) order.
  let end = valueEnd;
  while (end > 0) {
    let start = end - 1;
    while (((groupStarts[start >>> 5] as number) & (1 << (start & 31))) === 0) start--;
    // A plain loop: most runs of equal values are one run long (a subarray each costs more).
    if (keep === null) {
      for (let k = start; k < end; k++) out[at++] = ascending[k] as number;
    } else {
      for (let k = start; k < end; k++) {
        const p = ascending[k] as number;
        if (keep[p] === 1) out[at++] = p;
      }
    }
    end = start;
  }
  for (let k = valueEnd; k < n; k++) {
    const p = ascending[k] as number;
    if (keep === null || keep[p] === 1) out[at++] = p;
  }
  return out;
}

/** A flag per layout position from per-segment row masks (null mask: every row). */
export function keptPositions(
  layout: RunLayout,
  masks: ReadonlyArray<Uint8Array | null>,
): Uint8Array {
  const keep = new Uint8Array(layout.rowOf.length);
  layout.baseOrders.forEach((_, s) => {
    const mask = masks[s] ?? null;
    const from = layout.starts[s] as number;
    const to = layout.starts[s + 1] as number;
    if (mask === null) {
      keep.fill(1, from, to);
      return;
    }
    for (let p = from; p < to; p++) keep[p] = mask[layout.rowOf[p] as number] as number;
  });
  return keep;
}
