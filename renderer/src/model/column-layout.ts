/**
 * The run table's column arrangement: which columns show, in which order, how wide, which are
 * pinned to the left, and the sort. Column ids are opaque here (see table-columns.ts). Every
 * function returns a new layout; pinned columns always come first in `columns`.
 */
export interface ColumnLayout {
  columns: readonly string[];
  /** Widths the user dragged; other columns use their default width. */
  widths: Readonly<Record<string, number>>;
  /** Ids of pinned columns (a prefix of `columns`). */
  pinned: readonly string[];
}

export interface SortKey {
  column: string;
  desc: boolean;
}

export const MIN_COLUMN_WIDTH = 40;
export const MAX_COLUMN_WIDTH = 1200;

/** Restores the invariant: known ids only once each, pinned ones first in their order. */
function normalized(columns: readonly string[], pinned: readonly string[]): readonly string[] {
  const unique = [...new Set(columns)];
  const pinnedSet = new Set(pinned);
  return [
    ...unique.filter((id) => pinnedSet.has(id)),
    ...unique.filter((id) => !pinnedSet.has(id)),
  ];
}

export function makeLayout(
  columns: readonly string[],
  widths: Readonly<Record<string, number>> = {},
  pinned: readonly string[] = [],
): ColumnLayout {
  const unique = [...new Set(columns)];
  const keptPinned = pinned.filter((id) => unique.includes(id));
  return { columns: normalized(unique, keptPinned), widths: { ...widths }, pinned: keptPinned };
}

export function isPinned(layout: ColumnLayout, id: string): boolean {
  return layout.pinned.includes(id);
}

/** Shows a column: at the end, or right after `afterId` when given and shown. */
export function addColumn(layout: ColumnLayout, id: string, afterId?: string): ColumnLayout {
  if (layout.columns.includes(id)) return layout;
  const columns = [...layout.columns];
  const at = afterId === undefined ? -1 : columns.indexOf(afterId);
  if (at < 0) columns.push(id);
  else columns.splice(at + 1, 0, id);
  return { ...layout, columns: normalized(columns, layout.pinned) };
}

export function removeColumn(layout: ColumnLayout, id: string): ColumnLayout {
  if (!layout.columns.includes(id)) return layout;
  return {
    ...layout,
    columns: layout.columns.filter((c) => c !== id),
    pinned: layout.pinned.filter((c) => c !== id),
  };
}

/**
 * Moves a column one place left (-1) or right (+1) within its group: a pinned column never
 * slides into the scrolling part by a move button (unpinning does that).
 */
export function moveColumn(layout: ColumnLayout, id: string, delta: -1 | 1): ColumnLayout {
  const from = layout.columns.indexOf(id);
  if (from < 0) return layout;
  const to = from + delta;
  const pinned = isPinned(layout, id);
  const groupStart = pinned ? 0 : layout.pinned.length;
  const groupEnd = pinned ? layout.pinned.length - 1 : layout.columns.length - 1;
  if (to < groupStart || to > groupEnd) return layout;
  const columns = [...layout.columns];
  columns.splice(from, 1);
  columns.splice(to, 0, id);
  const pinnedOrder = columns.filter((c) => layout.pinned.includes(c));
  return { ...layout, columns, pinned: pinnedOrder };
}

/**
 * Drag and drop of a header: `id` lands before (or after) `targetId` and takes the target's
 * pin state, so dragging a column into the pinned area pins it.
 */
export function moveColumnTo(
  layout: ColumnLayout,
  id: string,
  targetId: string,
  side: 'before' | 'after',
): ColumnLayout {
  if (id === targetId || !layout.columns.includes(id) || !layout.columns.includes(targetId)) {
    return layout;
  }
  const columns = layout.columns.filter((c) => c !== id);
  const at = columns.indexOf(targetId) + (side === 'after' ? 1 : 0);
  columns.splice(at, 0, id);
  const targetPinned = isPinned(layout, targetId);
  const pinnedSet = new Set(layout.pinned);
  if (targetPinned) pinnedSet.add(id);
  else pinnedSet.delete(id);
  const pinned = columns.filter((c) => pinnedSet.has(c));
  return { ...layout, columns: normalized(columns, pinned), pinned };
}

export function resizeColumn(layout: ColumnLayout, id: string, width: number): ColumnLayout {
  if (!Number.isFinite(width)) return layout;
  const clamped = Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
  return { ...layout, widths: { ...layout.widths, [id]: clamped } };
}

/** Pins a column (it joins the end of the pinned group) or unpins it (first of the rest). */
export function togglePin(layout: ColumnLayout, id: string): ColumnLayout {
  if (!layout.columns.includes(id)) return layout;
  if (isPinned(layout, id)) {
    const pinned = layout.pinned.filter((c) => c !== id);
    const rest = layout.columns.filter((c) => !pinned.includes(c) && c !== id);
    return { ...layout, columns: [...pinned, id, ...rest], pinned };
  }
  const pinned = [...layout.pinned, id];
  return { ...layout, columns: normalized(layout.columns, pinned), pinned };
}

export function columnWidth(layout: ColumnLayout, id: string, fallback: number): number {
  return layout.widths[id] ?? fallback;
}

/**
 * A header click. Plain: sort by this column alone, flipping the direction when it already is
 * the only sort. Shift: add it as the next sort key; on a key already there, flip it, and
 * drop it on the third click (asc → desc → gone).
 */
export function clickSort(sort: readonly SortKey[], column: string, shift: boolean): SortKey[] {
  const at = sort.findIndex((key) => key.column === column);
  if (!shift) {
    const only = sort.length === 1 && at === 0 ? sort[0] : undefined;
    return [{ column, desc: only === undefined ? false : !only.desc }];
  }
  if (at < 0) return [...sort, { column, desc: false }];
  const current = sort[at];
  if (current === undefined) return [...sort];
  if (!current.desc) return sort.map((key, i) => (i === at ? { column, desc: true } : key));
  return sort.filter((_, i) => i !== at);
}

/** Drops sort keys for columns that are no longer known (a view from another data set). */
export function sortKnown(sort: readonly SortKey[], known: (column: string) => boolean): SortKey[] {
  return sort.filter((key) => known(key.column));
}
