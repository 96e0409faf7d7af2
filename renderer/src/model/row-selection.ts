/**
 * Which rows of the run table are selected. Rows are named by their key (source + id), so a
 * selection survives re-sorting and live refreshes; "select all" is a flag plus exceptions, so
 * selecting 100k filtered rows costs nothing until something needs the rows themselves.
 */
export interface RowSelection {
  /** 'some': exactly `keys`; 'all': every row of the current result except `keys`. */
  mode: 'some' | 'all';
  keys: ReadonlySet<string>;
  /** Row index a shift-click extends from (the last plain or ctrl click), or null. */
  anchor: number | null;
  /** Row index the keyboard moves from (the last clicked or moved-to row), or null. */
  focus: number | null;
}

export const emptySelection: RowSelection = {
  mode: 'some',
  keys: new Set(),
  anchor: null,
  focus: null,
};

export function isSelected(selection: RowSelection, key: string): boolean {
  return selection.mode === 'all' ? !selection.keys.has(key) : selection.keys.has(key);
}

/** How many rows are selected out of `total` in the current result. */
export function selectedCount(selection: RowSelection, total: number): number {
  return selection.mode === 'all' ? Math.max(0, total - selection.keys.size) : selection.keys.size;
}

/** A plain click (or arrow key): only this row, which becomes the anchor. */
export function selectOnly(index: number, key: string): RowSelection {
  return { mode: 'some', keys: new Set([key]), anchor: index, focus: index };
}

/** Ctrl/Cmd-click: flips one row and leaves the others; the row becomes the anchor. */
export function toggleRow(selection: RowSelection, index: number, key: string): RowSelection {
  const keys = new Set(selection.keys);
  if (keys.has(key)) keys.delete(key);
  else keys.add(key);
  return { mode: selection.mode, keys, anchor: index, focus: index };
}

/** The inclusive index range a shift-click on `index` covers: from the anchor (or row 0). */
export function rangeBounds(selection: RowSelection, index: number): [number, number] {
  const anchor = selection.anchor ?? index;
  return anchor <= index ? [anchor, index] : [index, anchor];
}

/**
 * Shift-click: the rows from the anchor to `index` (their keys in `rangeKeys`, in any order).
 * With `additive` (ctrl+shift) they join the current selection; otherwise they replace it.
 * The anchor stays, so a second shift-click re-draws the range from the same row.
 */
export function selectRange(
  selection: RowSelection,
  index: number,
  rangeKeys: readonly string[],
  additive = false,
): RowSelection {
  if (additive) {
    const keys = new Set(selection.keys);
    for (const key of rangeKeys) {
      if (selection.mode === 'all') keys.delete(key);
      else keys.add(key);
    }
    return { mode: selection.mode, keys, anchor: selection.anchor ?? index, focus: index };
  }
  return {
    mode: 'some',
    keys: new Set(rangeKeys),
    anchor: selection.anchor ?? index,
    focus: index,
  };
}

/** Ctrl+A: every row the filter lets through, including those not fetched yet. */
export function selectAll(selection: RowSelection): RowSelection {
  return { mode: 'all', keys: new Set(), anchor: selection.anchor, focus: selection.focus };
}

/**
 * The selected keys among `keys` (rows of the result in display order), for copying: in
 * 'all' mode the caller passes every row of the result.
 */
export function selectedAmong(selection: RowSelection, keys: readonly string[]): string[] {
  return keys.filter((key) => isSelected(selection, key));
}

/** The row the arrow keys land on, clamped to the result. */
export function moveFocus(current: number | null, delta: number, total: number): number | null {
  if (total <= 0) return null;
  if (current === null) return delta < 0 ? total - 1 : 0;
  return Math.min(total - 1, Math.max(0, current + delta));
}

/** Escape: nothing selected; the focused row stays, so the arrow keys go on from there. */
export function clearSelection(selection: RowSelection): RowSelection {
  return { mode: 'some', keys: new Set(), anchor: selection.focus, focus: selection.focus };
}
