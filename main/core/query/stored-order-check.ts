import type { Column } from './column';
import type { ColumnOrder, RunLayout } from './column-order';
import { groupOf } from './sort-rows';

/** A sort key's arrays as the cache file keeps them (see column-order.ts ColumnOrder). */
export interface StoredOrder {
  readonly ascending: Uint32Array;
  readonly groupStarts: Uint32Array;
  readonly valueEnd: number;
}

/** Where the value of a layout position is read: a column and its row (null: not read). */
export interface PositionValues {
  column(position: number): Column | null;
  row(position: number): number;
}

/** Whether a key fits its columns (every segment's loaded) on checkedPairs. */
export function checksOutInFull(order: ColumnOrder): boolean {
  return valuesCheckOut(
    order,
    checkedPairs(order.ascending.length),
    loadedValues(order.columns, order.layout),
  );
}

/** The values of a key's columns, every segment's loaded (as a ColumnOrder holds them). */
function loadedValues(columns: ReadonlyArray<Column | null>, layout: RunLayout): PositionValues {
  return {
    column: (p) => columns[layout.segOf[p] as number] ?? null,
    row: (p) => layout.rowOf[p] as number,
  };
}

/** Adjacent pairs checked in full up to here, then one in CHECK_STRIDE (see checkedPairs). */
const CHECK_ALL_BELOW = 4096;
const CHECK_STRIDE = 8;
/**
 * Adjacent pairs a key read before its column is loaded is checked on (sampledPairs): their
 * runs are read one by one (page-column.ts, ~15 µs a run of a config path when the file is in
 * the OS cache, several times that when not), where the full check reads ~16k pairs of a loaded
 * column at 100k runs (as many run reads would cost more than loading the column).
 */
export const SAMPLED_PAIRS = 64;

const startsAt = (groupStarts: Uint32Array, k: number): boolean =>
  ((groupStarts[k >>> 5] as number) & (1 << (k & 31))) !== 0;

/**
 * The checks that need no value, over the whole key (one pass, ~1 ms at 100k runs): a
 * permutation of the n layout positions, `valueEnd` in range, a run of equal values starting
 * at 0, and ties in layout order (a sort key keeps equal values in the layout's order, so
 * positions ascend inside every run of equal values: a key reversed, or stored for another
 * layout of the runs, breaks that wherever values repeat).
 */
export function structureChecksOut(order: StoredOrder, n: number): boolean {
  const { ascending, groupStarts, valueEnd } = order;
  if (ascending.length !== n || valueEnd < 0 || valueEnd > n) return false;
  if (groupStarts.length !== (n >>> 5) + 1) return false;
  if (n > 0 && !startsAt(groupStarts, 0)) return false;
  const seen = new Uint8Array(n);
  let previous = -1;
  for (let k = 0; k < n; k++) {
    const p = ascending[k] as number;
    if (p >= n || seen[p] === 1) return false;
    seen[p] = 1;
    if (k > 0 && p < previous && !startsAt(groupStarts, k)) return false;
    previous = p;
  }
  return true;
}

/**
 * The pairs (k - 1, k) of ascending positions the full check compares, as k: every pair of
 * the first CHECK_ALL_BELOW, then one in CHECK_STRIDE (each pair reads two random places of
 * the columns: all of them took ~10 ms a column at 100k runs on the loaded machine).
 */
export function checkedPairs(n: number): Uint32Array {
  const out: number[] = [];
  for (let k = 1; k < n; k += k < CHECK_ALL_BELOW ? 1 : CHECK_STRIDE) out.push(k);
  return Uint32Array.from(out);
}

/**
 * SAMPLED_PAIRS pairs spread evenly over the key from a random start (another start at each
 * check, so no stored key passes by fitting a fixed sample), or every pair of a small key.
 */
export function sampledPairs(n: number, random: () => number = Math.random): Uint32Array {
  if (n <= 1) return new Uint32Array(0);
  if (n - 1 <= SAMPLED_PAIRS) return Uint32Array.from({ length: n - 1 }, (_, i) => i + 1);
  const step = (n - 1) / SAMPLED_PAIRS;
  const start = random() * step;
  return Uint32Array.from({ length: SAMPLED_PAIRS }, (_, i) =>
    Math.min(n - 1, 1 + Math.floor(start + i * step)),
  );
}

/** The ascending indexes whose values valuesCheckOut reads for these pairs. */
export function positionsRead(order: StoredOrder, pairs: Uint32Array): Set<number> {
  const n = order.ascending.length;
  const at = new Set<number>();
  for (const k of [order.valueEnd - 1, order.valueEnd]) if (k >= 0 && k < n) at.add(k);
  for (const k of pairs) {
    at.add(k - 1);
    at.add(k);
  }
  return new Set([...at].map((k) => order.ascending[k] as number));
}

/**
 * Whether the key fits the values on these pairs: value groups ascending (bool < number <
 * date < text < list/object, then NaN, then null/missing), values ascending inside a group
 * (bools, numbers and dates by value, texts and lists/objects by their text) with a new run of
 * equal values exactly where they change, and `valueEnd` where the values end. The stamps are
 * what keeps a key right; this catches a key stored for other values (a hole in the stamps, a
 * file edited by hand).
 */
export function valuesCheckOut(
  order: StoredOrder,
  pairs: Uint32Array,
  values: PositionValues,
): boolean {
  const { ascending, groupStarts, valueEnd } = order;
  const n = ascending.length;
  const keyAt = (k: number): { group: number; value: number; text: string | null } | null => {
    const p = ascending[k] as number;
    const column = values.column(p);
    if (column === null) return null;
    const row = values.row(p);
    const nums = column.numsIfAny();
    const value = nums === null ? 0 : (nums[row] as number);
    const group = groupOf(column.kinds[row] as number, value);
    const text = group === 4 || group === 5 ? (column.dict[column.code(row)] ?? null) : null;
    return { group, value, text };
  };
  // Values end where the first NaN or null/missing starts.
  for (const k of [valueEnd - 1, valueEnd]) {
    if (k < 0 || k >= n) continue;
    const key = keyAt(k);
    if (key === null || key.group >= 6 !== k >= valueEnd) return false;
  }
  for (const k of pairs) {
    const previous = keyAt(k - 1);
    const key = keyAt(k);
    if (previous === null || key === null || key.group < previous.group) return false;
    const starts = startsAt(groupStarts, k);
    if (key.group !== previous.group) {
      if (!starts) return false;
    } else if (key.group <= 3) {
      // Bools, numbers and dates by value; -0 sorts as 0 (sort-rows.ts), equal as numbers.
      if (key.value < previous.value || starts !== (key.value !== previous.value)) return false;
    } else if (key.group <= 5) {
      const a = previous.text ?? '';
      const b = key.text ?? '';
      const textOrder = (values.column(ascending[k] as number) as Column).textOrder;
      const compared = a === b ? 0 : textOrder(a, b) || (a < b ? -1 : 1);
      if (compared > 0 || starts !== (compared !== 0)) return false;
    } else if (starts) return false; // NaN, and null/missing: one run each.
  }
  return true;
}
