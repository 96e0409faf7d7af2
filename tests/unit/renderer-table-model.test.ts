import { describe, expect, it } from 'vitest';
import type { View } from '../../shared/contract';
import { makeLayout, resizeColumn, togglePin } from '../../renderer/src/model/column-layout';
import {
  pageOf,
  pageOverlaps,
  pagesForRange,
  pagesToEvict,
} from '../../renderer/src/model/page-window';
import { columnDisplay, rowsToTsv } from '../../renderer/src/model/table-columns';
import {
  defaultTableState,
  differsFromView,
  stateFromView,
  viewFieldsFromState,
} from '../../renderer/src/model/view-state';

describe('page window', () => {
  it('tells whether a page holds any of the rows shown', () => {
    expect(pageOverlaps(0, 0, 33, 200)).toBe(true);
    expect(pageOverlaps(1, 0, 33, 200)).toBe(false);
    expect(pageOverlaps(1, 190, 210, 200)).toBe(true);
    expect(pageOverlaps(0, 190, 210, 200)).toBe(true);
    expect(pageOverlaps(2, 190, 399, 200)).toBe(false);
    expect(pageOverlaps(0, 10, 5, 200)).toBe(false);
  });

  it('asks for the pages on screen and those within half a page of it, nearest first', () => {
    expect(pagesForRange(450, 480, 100_000, 200)).toEqual([2, 1]);
    expect(pagesForRange(450, 520, 100_000, 200)).toEqual([2, 1, 3]);
    expect(pagesForRange(520, 560, 100_000, 200)).toEqual([2, 3]);
    expect(pagesForRange(410, 430, 100_000, 200)).toEqual([2, 1]);
    // The first screen needs the first page only.
    expect(pagesForRange(0, 33, null, 200)).toEqual([0]);
    expect(pagesForRange(0, 150, null, 200)).toEqual([0, 1]);
  });

  it('never asks past the end of the result, and asks page 0 of an empty one', () => {
    expect(pagesForRange(390, 420, 410, 200)).toEqual([1, 2]);
    expect(pagesForRange(5000, 5010, 5020, 200)).toEqual([25, 24]);
    expect(pagesForRange(5000, 5010, 5000, 200)).toEqual([24]);
    expect(pagesForRange(0, 10, 150, 200)).toEqual([0]);
    expect(pagesForRange(0, 10, 0, 200)).toEqual([0]);
    expect(pagesForRange(10, 5, 100, 200)).toEqual([]);
  });

  it('drops the pages farthest from the view first', () => {
    expect(pagesToEvict([0, 1, 2, 50, 51, 99], 50, 4)).toEqual([0, 99]);
    expect(pagesToEvict([1, 2], 0, 4)).toEqual([]);
    expect(pageOf(401, 200)).toEqual({ page: 2, offset: 1 });
  });
});

function view(partial: Partial<View>): View {
  return {
    id: 'v1',
    name: 'Mine',
    columns: ['id', 'config.lr'],
    filter: 'config.lr > 0.1',
    sort: [{ column: 'config.lr', desc: true }],
    sources: null,
    isDefault: true,
    layout: {},
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
    ...partial,
  };
}

describe('views and table state', () => {
  it('restores columns, widths, pins, sort, filter and sources from a view', () => {
    const state = stateFromView(
      view({
        layout: { widths: { 'config.lr': 222, id: 'wide' }, pinned: ['config.lr', 7] },
        sources: ['lab', 'gone'],
      }),
      ['lab', 'other'],
    );
    expect(state.layout.columns).toEqual(['config.lr', 'id']);
    expect(state.layout.pinned).toEqual(['config.lr']);
    expect(state.layout.widths).toEqual({ 'config.lr': 222 });
    expect(state.sort).toEqual([{ column: 'config.lr', desc: true }]);
    expect(state.filterText).toBe('config.lr > 0.1');
    expect(state.sources).toEqual(['lab']);
  });

  it('falls back to every source and the default columns', () => {
    const state = stateFromView(view({ sources: ['gone'], columns: [] }), ['lab']);
    expect(state.sources).toBeNull();
    expect(state.layout.columns).toEqual(defaultTableState.layout.columns);
  });

  it('saves what it restores and notices a change', () => {
    const saved = view({});
    const state = stateFromView(saved, []);
    expect(differsFromView(state, saved, [])).toBe(false);
    const wider = { ...state, layout: resizeColumn(state.layout, 'id', 300) };
    expect(differsFromView(wider, saved, [])).toBe(true);
    const fields = viewFieldsFromState({
      ...state,
      layout: togglePin(makeLayout(['a', 'b']), 'b'),
    });
    expect(fields.columns).toEqual(['b', 'a']);
    expect(fields.layout).toEqual({ widths: {}, pinned: ['b'] });
    expect(stateFromView(view({ ...fields }), []).layout.pinned).toEqual(['b']);
  });
});

describe('column display and TSV', () => {
  it('names built-ins, paths and metric summaries readably', () => {
    expect(columnDisplay('start_time').header).toBe('Started');
    expect(columnDisplay('start_time').type).toBe('date');
    expect(columnDisplay('config.optimizer.lr').header).toBe('optimizer.lr');
    expect(columnDisplay('metrics.loss.last').header).toBe('loss (last)');
    expect(columnDisplay('config."a.b"').path).toEqual(['config', 'a.b']);
  });

  it('copies rows as tab-separated text with lists as JSON and missing values empty', () => {
    const tsv = rowsToTsv(
      ['id', 'tags', 'notes', 'config.lr'],
      [
        { values: { id: '1', tags: ['a', 'b'], notes: 'line\tone\nline two', 'config.lr': 0.1 } },
        { values: { id: '2', 'config.lr': null } },
      ],
    );
    expect(tsv).toBe('id\ttags\tnotes\tconfig.lr\n1\t["a","b"]\tline one line two\t0.1\n2\t\t\t\n');
  });
});
