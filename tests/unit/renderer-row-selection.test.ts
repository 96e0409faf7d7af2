import { describe, expect, it } from 'vitest';
import {
  clearSelection,
  emptySelection,
  isSelected,
  moveFocus,
  rangeBounds,
  selectAll,
  selectOnly,
  selectRange,
  selectedAmong,
  selectedCount,
  toggleRow,
} from '../../renderer/src/model/row-selection';

const keys = ['a\u00001', 'a\u00002', 'b\u00001', 'b\u00002', 'b\u00003'];

describe('row selection', () => {
  it('a plain click selects only that row and anchors there', () => {
    const sel = selectOnly(2, keys[2]!);
    expect(selectedAmong(sel, keys)).toEqual([keys[2]]);
    expect(sel.anchor).toBe(2);
    const next = selectOnly(4, keys[4]!);
    expect(selectedAmong(next, keys)).toEqual([keys[4]]);
  });

  it('ctrl-click toggles one row and keeps the others', () => {
    let sel = selectOnly(0, keys[0]!);
    sel = toggleRow(sel, 3, keys[3]!);
    expect(selectedAmong(sel, keys)).toEqual([keys[0], keys[3]]);
    sel = toggleRow(sel, 0, keys[0]!);
    expect(selectedAmong(sel, keys)).toEqual([keys[3]]);
    expect(sel.anchor).toBe(0);
  });

  it('shift-click selects from the anchor in either direction and redraws from the same anchor', () => {
    const sel = selectOnly(3, keys[3]!);
    expect(rangeBounds(sel, 1)).toEqual([1, 3]);
    expect(rangeBounds(sel, 4)).toEqual([3, 4]);
    const up = selectRange(sel, 1, keys.slice(1, 4));
    expect(selectedAmong(up, keys)).toEqual(keys.slice(1, 4));
    expect(up.anchor).toBe(3);
    // A second shift-click replaces the first range rather than growing it.
    const down = selectRange(up, 4, keys.slice(3, 5));
    expect(selectedAmong(down, keys)).toEqual(keys.slice(3, 5));
  });

  it('ctrl+shift-click adds a range to what is selected', () => {
    let sel = selectOnly(0, keys[0]!);
    sel = toggleRow(sel, 3, keys[3]!);
    sel = selectRange(sel, 4, keys.slice(3, 5), true);
    expect(selectedAmong(sel, keys)).toEqual([keys[0], keys[3], keys[4]]);
  });

  it('shift-click without an anchor starts the range at the clicked row', () => {
    expect(rangeBounds(emptySelection, 2)).toEqual([2, 2]);
  });

  it('select all covers rows not fetched yet, and ctrl-click takes single rows out', () => {
    let sel = selectAll(selectOnly(1, keys[1]!));
    expect(selectedCount(sel, 100_000)).toBe(100_000);
    expect(isSelected(sel, 'zzz\u000099999')).toBe(true);
    sel = toggleRow(sel, 2, keys[2]!);
    expect(selectedCount(sel, 100_000)).toBe(99_999);
    expect(isSelected(sel, keys[2]!)).toBe(false);
    sel = toggleRow(sel, 2, keys[2]!);
    expect(isSelected(sel, keys[2]!)).toBe(true);
  });

  it('arrow keys stay inside the result', () => {
    expect(moveFocus(null, 1, 5)).toBe(0);
    expect(moveFocus(null, -1, 5)).toBe(4);
    expect(moveFocus(4, 1, 5)).toBe(4);
    expect(moveFocus(0, -20, 5)).toBe(0);
    expect(moveFocus(2, 20, 5)).toBe(4);
    expect(moveFocus(2, 1, 0)).toBeNull();
  });

  it('escape clears a selection, even select-all, and keeps the focused row', () => {
    const sel = toggleRow(selectAll(selectOnly(3, keys[3]!)), 0, keys[0]!);
    expect(selectedCount(sel, 5)).toBe(4);
    const cleared = clearSelection(sel);
    expect(selectedCount(cleared, 5)).toBe(0);
    expect(keys.some((key) => isSelected(cleared, key))).toBe(false);
    expect(cleared.focus).toBe(0);
  });
});
