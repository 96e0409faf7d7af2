import type { Database } from 'better-sqlite3';
import { parseColumnId } from '../../../shared/filter';
import { Column } from './column';
import { loadColumn } from './column-loaders';
import { SourceSegment, compareDefaultOrder } from './source-segment';

/**
 * Past this share of a source's runs changed, reading them one by one costs about what a
 * reload costs: reload instead.
 */
const MOST_CHANGED = 1 / 8;

/**
 * The segment of `old.source` at `version`, given that only the runs `changed` (ids that may
 * since have been added, rewritten or deleted) differ from `old`: those runs are read again,
 * with every column `old` had built, and patched into copies of its columns. The result holds
 * what a full load at `version` would hold, row for row and code for code (dictionaries in the
 * order a load fills them). Null when so many runs changed that a full load is cheaper.
 * Throws StaleSegmentError when another process rewrote the runs while they were read.
 */
export function refreshSegment(
  db: Database,
  old: SourceSegment,
  changed: readonly string[],
  version: number,
): SourceSegment | null {
  const ids = [...new Set(changed)];
  if (ids.length > 16 && ids.length > old.length * MOST_CHANGED) return null;
  const fresh = SourceSegment.load(db, old.source, version, ids);
  // The columns the old segment built, for the changed runs (loaders read only those).
  const wanted: [string, Column][] = [];
  for (const [id, column] of old.columns) {
    if (id === 'id' || id === 'source') continue;
    const parsed = parseColumnId(id);
    if (!parsed.ok) continue;
    wanted.push([id, column]);
    loadColumn(db, fresh, id, parsed.path);
  }
  const layout = planLayout(old, fresh, ids);
  const merged = new Map<Column, Column>();
  const merge = (from: Column, patch: Column): Column => {
    let column = merged.get(from);
    if (column === undefined) {
      column = mergeColumn(from, patch, layout);
      merged.set(from, column);
    }
    return column;
  };
  const status = merge(old.status, fresh.status);
  const startTime = merge(old.startTime, fresh.startTime);
  const stopTime = merge(old.stopTime, fresh.stopTime);
  const heartbeat = merge(old.heartbeat, fresh.heartbeat);
  const storedTags = merge(old.storedTags, fresh.storedTags);
  const columns = new Map<string, Column>();
  for (const [id, column] of old.columns) {
    if (id === 'id') {
      columns.set(id, layout.same ? column : Column.ofRunIds(layout.ids));
    } else if (id === 'source') {
      columns.set(id, layout.same ? column : Column.ofConstant(layout.length, old.source));
    }
  }
  for (const [id, column] of wanted) {
    const patch = fresh.columns.get(id);
    if (patch !== undefined) columns.set(id, merge(column, patch));
  }
  const beatIntervalS = new Float64Array(layout.length);
  copyBlocks(old.beatIntervalS, beatIntervalS, layout.blocks);
  layout.freshRows.forEach((row, j) => {
    beatIntervalS[row] = fresh.beatIntervalS[j] as number;
  });
  const baseOrder =
    layout.same && startTime === old.startTime
      ? old.baseOrder
      : patchBaseOrder(old.baseOrder, layout, startTime);
  return new SourceSegment(old.source, version, {
    ids: layout.ids,
    status,
    startTime,
    stopTime,
    heartbeat,
    beatIntervalS,
    storedTags,
    columns,
    baseOrder,
    rowOfId: layout.same ? old.builtRowMap() : null,
  });
}

/** Where the rows of the refreshed segment come from. */
interface Layout {
  length: number;
  ids: string[];
  /** Every run kept its row (no run added or removed): only values changed. */
  same: boolean;
  /** Rows kept from the old segment: [new row, old row, count] triples. */
  blocks: number[];
  /** The new row of each row of the fresh (changed runs) segment. */
  freshRows: Int32Array;
  /** Old row → new row; -1 for a changed or removed run. */
  oldToNew: Int32Array | null;
}

function planLayout(old: SourceSegment, fresh: SourceSegment, changed: readonly string[]): Layout {
  const n = old.length;
  const removed: number[] = [];
  for (const id of changed) {
    const at = lowerBound(old.ids, id);
    if (at < n && old.ids[at] === id) removed.push(at);
  }
  removed.sort((a, b) => a - b);
  const insertAt = fresh.ids.map((id) => lowerBound(old.ids, id));
  const freshRows = new Int32Array(fresh.length);
  const same =
    removed.length === fresh.length &&
    insertAt.every((at, j) => at === removed[j] && old.ids[at] === fresh.ids[j]);
  if (same) {
    insertAt.forEach((at, j) => {
      freshRows[j] = at;
    });
    return { length: n, ids: old.ids, same, blocks: [0, 0, n], freshRows, oldToNew: null };
  }
  const length = n - removed.length + fresh.length;
  const ids = new Array<string>(length);
  const blocks: number[] = [];
  const oldToNew = new Int32Array(n).fill(-1);
  let out = 0;
  let next = 0;
  let cut = 0;
  let blockStart = -1;
  const close = (pos: number): void => {
    if (blockStart >= 0) blocks.push(out - (pos - blockStart), blockStart, pos - blockStart);
    blockStart = -1;
  };
  for (let pos = 0; pos <= n; pos++) {
    while (next < fresh.length && insertAt[next] === pos) {
      close(pos);
      freshRows[next] = out;
      ids[out++] = fresh.ids[next] as string;
      next++;
    }
    if (pos === n) break;
    if (cut < removed.length && removed[cut] === pos) {
      close(pos);
      cut++;
      continue;
    }
    if (blockStart < 0) blockStart = pos;
    oldToNew[pos] = out;
    ids[out++] = old.ids[pos] as string;
  }
  close(n);
  return { length, ids, same, blocks, freshRows, oldToNew };
}

/** First index whose id does not sort before `id`, in SQLite's order of run_id (UTF-8 bytes). */
function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRunIds(ids[mid] as string, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * SQLite orders text by its UTF-8 bytes, which is code point order; JavaScript compares
 * UTF-16 units, where characters above U+FFFF (surrogates) sort before U+E000..U+FFFF.
 */
export function compareRunIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

function copyBlocks<T extends Uint8Array | Float64Array | Int32Array>(
  from: T,
  to: T,
  blocks: readonly number[],
): void {
  for (let b = 0; b < blocks.length; b += 3) {
    const at = blocks[b] as number;
    const start = blocks[b + 1] as number;
    to.set(from.subarray(start, start + (blocks[b + 2] as number)), at);
  }
}

/**
 * `old` with the changed runs' values from `patch` (the same column loaded for those runs
 * only). When no run moved and every changed value is the same, `old` itself (its caches,
 * sorted ranks included, stay good).
 */
function mergeColumn(old: Column, patch: Column, layout: Layout): Column {
  const { freshRows } = layout;
  if (layout.same && sameValues(old, patch, freshRows)) return old;
  const n = layout.length;
  const kinds = new Uint8Array(n);
  copyBlocks(old.kinds, kinds, layout.blocks);
  // Text-only columns have no numbers: the merged column gets none either.
  const oldNums = old.numsIfAny();
  const patchNums = patch.numsIfAny();
  const nums = oldNums === null && patchNums === null ? null : new Float64Array(n);
  if (nums !== null && oldNums !== null) copyBlocks(oldNums, nums, layout.blocks);
  const hasCodes = old.codes !== null || patch.codes !== null;
  const codes = hasCodes ? new Int32Array(n) : null;
  const dict = old.dict.slice();
  if (codes !== null) {
    if (old.codes === null) codes.fill(-1);
    else copyBlocks(old.codes, codes, layout.blocks);
  }
  let codeOf: Map<string, number> | null = null;
  const codeFor = (text: string): number => {
    // A few changed runs: a scan of the dictionary beats building its map.
    let code = codeOf === null && freshRows.length <= 8 ? dict.indexOf(text) : -1;
    if (code < 0) {
      if (codeOf === null) {
        codeOf = new Map();
        for (let c = 0; c < dict.length; c++) codeOf.set(dict[c] as string, c);
      }
      code = codeOf.get(text) ?? -1;
    }
    if (code < 0) {
      code = dict.length;
      dict.push(text);
      codeOf?.set(text, code);
    }
    return code;
  };
  freshRows.forEach((row, j) => {
    kinds[row] = patch.kinds[j] as number;
    if (nums !== null) nums[row] = patchNums === null ? 0 : (patchNums[j] as number);
    if (codes === null) return;
    const code = patch.code(j);
    codes[row] = code < 0 ? -1 : codeFor(patch.dict[code] as string);
  });
  if (codes === null) return new Column(n, { kinds, nums, codes, dict });
  return new Column(n, { kinds, nums, codes, dict: renumber(codes, dict) });
}

function sameValues(old: Column, patch: Column, freshRows: Int32Array): boolean {
  const oldNums = old.numsIfAny();
  const patchNums = patch.numsIfAny();
  for (let j = 0; j < freshRows.length; j++) {
    const row = freshRows[j] as number;
    if (old.kinds[row] !== patch.kinds[j]) return false;
    if (!Object.is(oldNums === null ? 0 : oldNums[row], patchNums === null ? 0 : patchNums[j])) {
      return false;
    }
    const a = old.code(row);
    const b = patch.code(j);
    if (a < 0 !== b < 0) return false;
    if (a >= 0 && old.dict[a] !== patch.dict[b]) return false;
  }
  return true;
}

/**
 * Codes renumbered in order of first use by the rows, unused entries dropped: the dictionary
 * a load of these rows builds (a changed value may have left an entry no run uses).
 */
function renumber(codes: Int32Array, dict: string[]): string[] {
  const to = new Int32Array(dict.length).fill(-1);
  let used = 0;
  let moved = false;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code < 0) continue;
    let to_ = to[code] as number;
    if (to_ < 0) {
      to_ = used++;
      to[code] = to_;
      if (to_ !== code) moved = true;
    }
    codes[i] = to_;
  }
  if (!moved && used === dict.length) return dict;
  const out = new Array<string>(used);
  for (let code = 0; code < dict.length; code++) {
    const at = to[code] as number;
    if (at >= 0) out[at] = dict[code] as string;
  }
  return out;
}

/**
 * The default order with the changed runs taken out and put back where their start time
 * and id now place them: the order a sort of every row gives, for a few binary searches.
 */
function patchBaseOrder(order: Uint32Array, layout: Layout, startTime: Column): Uint32Array {
  const { ids, freshRows, oldToNew } = layout;
  const isFresh = new Uint8Array(layout.length);
  for (const row of freshRows) isFresh[row] = 1;
  const kept = new Uint32Array(layout.length - freshRows.length);
  let k = 0;
  for (let i = 0; i < order.length; i++) {
    const oldRow = order[i] as number;
    const row = oldToNew === null ? oldRow : (oldToNew[oldRow] as number);
    if (row < 0 || isFresh[row] === 1) continue;
    kept[k++] = row;
  }
  const compare = (a: number, b: number): number => compareDefaultOrder(ids, startTime, a, b);
  const inserted = [...freshRows].sort(compare);
  const out = new Uint32Array(layout.length);
  let at = 0;
  let from = 0;
  for (const row of inserted) {
    // First kept row that comes after this one.
    let lo = from;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(kept[mid] as number, row) < 0) lo = mid + 1;
      else hi = mid;
    }
    out.set(kept.subarray(from, lo), at);
    at += lo - from;
    from = lo;
    out[at++] = row;
  }
  out.set(kept.subarray(from), at);
  return out;
}
