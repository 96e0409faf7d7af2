import { describe, expect, it } from 'vitest';
import {
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  addColumn,
  clickSort,
  columnWidth,
  makeLayout,
  moveColumn,
  moveColumnTo,
  removeColumn,
  resizeColumn,
  togglePin,
} from '../../renderer/src/model/column-layout';

const base = makeLayout(['id', 'status', 'config.lr', 'metrics.loss.last']);

describe('column layout', () => {
  it('adds at the end or after a column, never twice, and removes', () => {
    expect(addColumn(base, 'host').columns).toEqual([...base.columns, 'host']);
    expect(addColumn(base, 'host', 'id').columns).toEqual([
      'id',
      'host',
      'status',
      'config.lr',
      'metrics.loss.last',
    ]);
    expect(addColumn(base, 'status')).toBe(base);
    expect(removeColumn(base, 'status').columns).toEqual(['id', 'config.lr', 'metrics.loss.last']);
  });

  it('moves left and right, and not past the ends', () => {
    expect(moveColumn(base, 'config.lr', -1).columns).toEqual([
      'id',
      'config.lr',
      'status',
      'metrics.loss.last',
    ]);
    expect(moveColumn(base, 'id', -1)).toBe(base);
    expect(moveColumn(base, 'metrics.loss.last', 1)).toBe(base);
  });

  it('pins columns to the left in pin order and unpins them back next to the pinned ones', () => {
    let layout = togglePin(base, 'config.lr');
    expect(layout.columns).toEqual(['config.lr', 'id', 'status', 'metrics.loss.last']);
    layout = togglePin(layout, 'status');
    expect(layout.pinned).toEqual(['config.lr', 'status']);
    expect(layout.columns.slice(0, 2)).toEqual(['config.lr', 'status']);
    // A pinned column's move buttons stay within the pinned group.
    expect(moveColumn(layout, 'status', 1)).toBe(layout);
    expect(moveColumn(layout, 'id', -1)).toBe(layout);
    layout = togglePin(layout, 'config.lr');
    expect(layout.pinned).toEqual(['status']);
    expect(layout.columns).toEqual(['status', 'config.lr', 'id', 'metrics.loss.last']);
  });

  it('drag and drop lands before or after the target and takes its pin state', () => {
    const layout = togglePin(base, 'id');
    const moved = moveColumnTo(layout, 'metrics.loss.last', 'status', 'before');
    expect(moved.columns).toEqual(['id', 'metrics.loss.last', 'status', 'config.lr']);
    const pinned = moveColumnTo(layout, 'config.lr', 'id', 'after');
    expect(pinned.pinned).toEqual(['id', 'config.lr']);
    expect(pinned.columns).toEqual(['id', 'config.lr', 'status', 'metrics.loss.last']);
    const unpinned = moveColumnTo(pinned, 'id', 'metrics.loss.last', 'after');
    expect(unpinned.pinned).toEqual(['config.lr']);
    expect(unpinned.columns).toEqual(['config.lr', 'status', 'metrics.loss.last', 'id']);
    expect(moveColumnTo(layout, 'id', 'id', 'after')).toBe(layout);
    expect(moveColumnTo(layout, 'nope', 'id', 'after')).toBe(layout);
  });

  it('clamps widths and keeps a default for untouched columns', () => {
    expect(columnWidth(resizeColumn(base, 'id', 5), 'id', 80)).toBe(MIN_COLUMN_WIDTH);
    expect(columnWidth(resizeColumn(base, 'id', 1e9), 'id', 80)).toBe(MAX_COLUMN_WIDTH);
    expect(columnWidth(resizeColumn(base, 'id', 123.4), 'id', 80)).toBe(123);
    expect(columnWidth(base, 'status', 130)).toBe(130);
    expect(resizeColumn(base, 'id', Number.NaN)).toBe(base);
  });

  it('makeLayout drops duplicates and pins of columns not shown', () => {
    const layout = makeLayout(['a', 'b', 'a', 'c'], { b: 200 }, ['c', 'zzz']);
    expect(layout.columns).toEqual(['c', 'a', 'b']);
    expect(layout.pinned).toEqual(['c']);
  });
});

describe('clickSort', () => {
  it('a click sorts by the column alone, a second click flips it', () => {
    let sort = clickSort([{ column: 'start_time', desc: true }], 'config.lr', false);
    expect(sort).toEqual([{ column: 'config.lr', desc: false }]);
    sort = clickSort(sort, 'config.lr', false);
    expect(sort).toEqual([{ column: 'config.lr', desc: true }]);
    sort = clickSort(sort, 'config.lr', false);
    expect(sort).toEqual([{ column: 'config.lr', desc: false }]);
  });

  it('shift-click adds a secondary key, flips it, then drops it', () => {
    let sort = clickSort([{ column: 'status', desc: false }], 'metrics.loss.last', true);
    expect(sort).toEqual([
      { column: 'status', desc: false },
      { column: 'metrics.loss.last', desc: false },
    ]);
    sort = clickSort(sort, 'metrics.loss.last', true);
    expect(sort[1]).toEqual({ column: 'metrics.loss.last', desc: true });
    sort = clickSort(sort, 'metrics.loss.last', true);
    expect(sort).toEqual([{ column: 'status', desc: false }]);
  });

  it('a plain click on a column of a multi-key sort makes it the only key', () => {
    const sort = clickSort(
      [
        { column: 'status', desc: false },
        { column: 'id', desc: true },
      ],
      'id',
      false,
    );
    expect(sort).toEqual([{ column: 'id', desc: false }]);
  });
});
