import { describe, expect, it } from 'vitest';
import { configDiff, visibleDiffRows } from '../../shared/config-diff';

function row(rows: ReturnType<typeof configDiff>, path: string) {
  const found = rows.find((r) => r.path === path);
  if (found === undefined) throw new Error(`no row ${path}`);
  return found;
}

describe('configDiff', () => {
  it('flattens nested keys to dotted paths and marks only differing leaves', () => {
    const rows = configDiff([
      { lr: 0.1, model: { depth: 4, act: 'relu' } },
      { lr: 0.01, model: { depth: 4, act: 'relu' } },
    ]);
    expect(rows.map((r) => r.path)).toEqual(['lr', 'model.depth', 'model.act']);
    expect(row(rows, 'lr').differs).toBe(true);
    expect(row(rows, 'model.depth').differs).toBe(false);
    expect(row(rows, 'model.act').cells.map((c) => c.text)).toEqual(['"relu"', '"relu"']);
  });

  it('counts a key missing from one run as a difference and keeps its path', () => {
    const rows = configDiff([{ a: 1, b: { c: 2 } }, { a: 1 }, { a: 1, d: true }]);
    const c = row(rows, 'b.c');
    expect(c.differs).toBe(true);
    expect(c.cells.map((cell) => cell.present)).toEqual([true, false, false]);
    expect(row(rows, 'd').cells.map((cell) => cell.text)).toEqual(['', '', 'true']);
    expect(row(rows, 'a').differs).toBe(false);
  });

  it('treats NaN strings as equal values and shows them bare', () => {
    const rows = configDiff([
      { x: 'NaN', y: 'Infinity', s: 'NaN' },
      { x: 'NaN', y: 1, s: 'nan' },
    ]);
    expect(row(rows, 'x').differs).toBe(false);
    expect(row(rows, 'x').cells[0]?.text).toBe('NaN');
    expect(row(rows, 'y').differs).toBe(true);
    expect(row(rows, 's').differs).toBe(true);
  });

  it('compares arrays as whole values, not as nested paths', () => {
    const rows = configDiff([
      { layers: [64, 64], mean: [0.5, 0.5] },
      { layers: [64, 128], mean: [0.5, 0.5] },
    ]);
    expect(rows.map((r) => r.path)).toEqual(['layers', 'mean']);
    expect(row(rows, 'layers').differs).toBe(true);
    expect(row(rows, 'layers').cells[1]?.text).toBe('[64,128]');
    expect(row(rows, 'mean').differs).toBe(false);
  });

  it('ignores key order inside values and decodes jsonpickle nodes as one leaf', () => {
    const tuple = { 'py/tuple': [1, 2] };
    const rows = configDiff([
      { shape: tuple, opts: [{ a: 1, b: 2 }] },
      { shape: { 'py/tuple': [1, 3] }, opts: [{ b: 2, a: 1 }] },
    ]);
    expect(row(rows, 'shape').differs).toBe(true);
    expect(row(rows, 'shape').cells[0]?.text).toBe('tuple (1, 2)');
    expect(row(rows, 'opts').differs).toBe(false);
  });

  it('keeps an empty dict as a leaf and handles empty configs', () => {
    const rows = configDiff([{ extra: {} }, {}]);
    expect(rows).toHaveLength(1);
    expect(row(rows, 'extra').differs).toBe(true);
    expect(configDiff([{}, {}])).toEqual([]);
  });

  it('the only-differences filter hides equal rows and shows all when off', () => {
    const rows = configDiff([
      { a: 1, b: 2 },
      { a: 1, b: 3 },
    ]);
    expect(visibleDiffRows(rows, true).map((r) => r.path)).toEqual(['b']);
    expect(visibleDiffRows(rows, false).map((r) => r.path)).toEqual(['a', 'b']);
  });
});
