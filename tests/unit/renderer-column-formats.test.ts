// The run table's one number format per column (renderer/src/model/column-formats.ts), chosen
// over the pages of rows in memory as they arrive during a scroll.
import { describe, expect, it } from 'vitest';
import type { QueryRow } from '../../shared/contract';
import { columnFormats } from '../../renderer/src/model/column-formats';
import { chooseNumberFormat, formatWith } from '../../renderer/src/model/column-number-format';

const page = (lrs: (number | string | null)[], losses: number[]): QueryRow[] =>
  lrs.map((lr, i) => ({
    source: 'lab',
    id: String(i),
    status: 'COMPLETED',
    probablyDead: false,
    values: { 'config.lr': lr, 'metrics.loss.last': losses[i] ?? 0 },
  }));

const COLUMNS = ['config.lr', 'metrics.loss.last'];

describe('number formats over the loaded pages', () => {
  it('are those of all loaded rows together, as if chosen over one list', () => {
    const pages = [page([0.5, 'n/a'], [1.25, 2]), page([0.1, null], [0.5, 3.125])];
    const formats = columnFormats(pages, COLUMNS, null);
    const all = pages.flat();
    for (const column of COLUMNS) {
      expect(formats.get(column)).toEqual(chooseNumberFormat(all.map((r) => r.values[column])));
    }
    expect(formatWith(formats.get('metrics.loss.last')!, 2)).toBe('2.000');
  });

  it('stay the same object when a new page changes no column format (rows shown are not redrawn)', () => {
    const first = [page([0.5, 0.25], [1.5, 2.5])];
    const before = columnFormats(first, COLUMNS, null);
    const after = columnFormats([...first, page([0.75, 0.125], [3.5, 4.5])], COLUMNS, before);
    // 0.125 needs three decimals where 0.25 needed two: the lr column changed, a new map.
    expect(after).not.toBe(before);
    const again = columnFormats(
      [...first, page([0.75, 0.125], [3.5, 4.5]), page([0.5], [1.5])],
      COLUMNS,
      after,
    );
    expect(again).toBe(after);
  });

  it('change when a page far down brings a value that needs another format', () => {
    const top = [page([0.5, 0.1], [1, 2])];
    const shown = columnFormats(top, COLUMNS, null);
    expect(formatWith(shown.get('config.lr')!, 0.5)).toBe('0.5');
    const withTiny = columnFormats([...top, page([0.0001], [3])], COLUMNS, shown);
    expect(formatWith(withTiny.get('config.lr')!, 0.5)).toBe('5.000e-1');
  });

  it('read a page again after it was dropped and loaded anew (a new array)', () => {
    const rows = page([0.5], [1]);
    const shown = columnFormats([rows], COLUMNS, null);
    const reloaded = page([0.0001], [1]);
    expect(columnFormats([reloaded], COLUMNS, shown).get('config.lr')).toEqual({
      kind: 'scientific',
      digits: 3,
    });
  });
});
