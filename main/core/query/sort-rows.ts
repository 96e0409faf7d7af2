import { Kind } from './column';
import type { Column } from './column';
import { ScratchArray } from './scratch-array';

/**
 * Stable sorting of candidate rows by typed keys with LSD radix passes (16 bits at a time):
 * sorting by the last key first and the first key last gives a multi-column order in a few
 * linear passes, with ties left in the order the candidates came in.
 */
export interface SortKey {
  /** Major order: the type group (see groupOf), so missing values stay last either way. */
  group: Uint8Array;
  hi: Uint32Array;
  lo: Uint32Array;
}

const MISSING_GROUP = 7;
const NAN_GROUP = 6;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** bool < number < date < string < list/object; NaN after them, null and missing last. */
export function groupOf(kind: number, value: number): number {
  switch (kind) {
    case Kind.Bool:
      return 1;
    case Kind.Number:
      return Number.isNaN(value) ? NAN_GROUP : 2;
    case Kind.Date:
      return 3;
    case Kind.String:
      return 4;
    case Kind.List:
    case Kind.Object:
      return 5;
    default:
      return MISSING_GROUP;
  }
}

/**
 * Fills `key` at positions [from, from + rows.length) with the sort key of those rows of
 * `column`. Numbers become their IEEE bits flipped into unsigned order; strings, lists and
 * objects their rank among the dictionaries of every source sorted together.
 */
export function fillSortKey(
  key: SortKey,
  from: number,
  column: Column,
  rows: Uint32Array,
  count: number,
  desc: boolean,
  /** Dictionary ranks valid across every source of the sort (see shared-ranks.ts). */
  ranks: Int32Array | null,
): void {
  const { kinds } = column;
  const nums = column.numsIfAny();
  const codes = column.codes;
  for (let k = 0; k < count; k++) {
    const row = rows[k] as number;
    const kind = kinds[row] as number;
    const value = nums === null ? 0 : (nums[row] as number);
    let group = groupOf(kind, value);
    let hi = 0;
    let lo = 0;
    if (group === 1 || group === 2 || group === 3) {
      f64[0] = value === 0 ? 0 : value; // -0 sorts as 0
      lo = u32[0] as number;
      hi = u32[1] as number;
      if (hi & 0x80000000) {
        hi = ~hi >>> 0;
        lo = ~lo >>> 0;
      } else hi = (hi | 0x80000000) >>> 0;
    } else if ((group === 4 || group === 5) && ranks !== null && codes !== null) {
      lo = ranks[codes[row] as number] as number;
    }
    if (desc && group <= 5) {
      group = 6 - group;
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    }
    key.group[from + k] = group;
    key.hi[from + k] = hi;
    key.lo[from + k] = lo;
  }
}

export function newSortKey(length: number): SortKey {
  return {
    group: new Uint8Array(length),
    hi: new Uint32Array(length),
    lo: new Uint32Array(length),
  };
}

/** A sort key in scratch arrays (see scratch-array.ts): valid until the next call. */
export function scratchSortKey(length: number): SortKey {
  return {
    group: keyScratch.group.uint8(length),
    hi: keyScratch.hi.uint32(length),
    lo: keyScratch.lo.uint32(length),
  };
}
const keyScratch = { group: new ScratchArray(), hi: new ScratchArray(), lo: new ScratchArray() };

const permScratch = new ScratchArray();
const tmpScratch = new ScratchArray();
const counts = new Uint32Array(65536);

/**
 * Candidate positions 0..n-1 ordered by the keys, first key most significant; stable. With
 * `kept` false the order is in a scratch array, valid until the next call (a caller that
 * only reads it once: no array left for the GC).
 */
export function sortByKeys(keys: readonly SortKey[], n: number, kept = true): Uint32Array {
  const result = kept ? new Uint32Array(n) : permScratch.uint32(n);
  let perm = result;
  for (let i = 0; i < n; i++) perm[i] = i;
  if (n < 2) return perm;
  let tmp = tmpScratch.uint32(n);
  const pass = (key: Uint32Array | Uint8Array, shift: number, buckets: number): void => {
    counts.fill(0, 0, buckets);
    const mask = buckets - 1;
    for (let i = 0; i < n; i++) {
      const d = ((key[perm[i] as number] as number) >>> shift) & mask;
      counts[d] = (counts[d] as number) + 1;
    }
    if (counts[((key[perm[0] as number] as number) >>> shift) & mask] === n) return;
    let sum = 0;
    for (let d = 0; d < buckets; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const p = perm[i] as number;
      const d = ((key[p] as number) >>> shift) & mask;
      tmp[counts[d] as number] = p;
      counts[d] = (counts[d] as number) + 1;
    }
    [perm, tmp] = [tmp, perm];
  };
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k] as SortKey;
    pass(key.lo, 0, 65536);
    pass(key.lo, 16, 65536);
    pass(key.hi, 0, 65536);
    pass(key.hi, 16, 65536);
    pass(key.group, 0, 8);
  }
  // An odd number of passes left the order in the scratch array.
  if (perm !== result) result.set(perm);
  return result;
}
