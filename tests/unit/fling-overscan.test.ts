import { describe, expect, it } from 'vitest';
import { OVERSCAN_ROWS, overscanFor } from '../../renderer/src/model/fling-overscan';

describe('run table overscan (rows built beyond the visible box)', () => {
  const viewport = 800;

  it('builds no extra rows while a scroll jumps more than a screen at a time (a fling)', () => {
    expect(overscanFor(2600, viewport, true)).toBe(0);
    expect(overscanFor(-2600, viewport, true)).toBe(0);
  });

  it('keeps a few extra rows for wheel steps, arrow keys and once the scroll stops', () => {
    expect(OVERSCAN_ROWS).toBeGreaterThan(0);
    expect(overscanFor(78, viewport, true)).toBe(OVERSCAN_ROWS);
    expect(overscanFor(viewport, viewport, true)).toBe(OVERSCAN_ROWS);
    // The fling's last step is far, but the scroll has ended: the edges are built again.
    expect(overscanFor(2600, viewport, false)).toBe(OVERSCAN_ROWS);
  });

  it('keeps the extra rows before the table knows its height', () => {
    expect(overscanFor(2600, 0, true)).toBe(OVERSCAN_ROWS);
  });
});
