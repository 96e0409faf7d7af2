import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, placeWindow } from '../../main/electron/window-placement';

const laptop = { x: 0, y: 0, width: 1440, height: 860 };
const monitorRight = { x: 1440, y: 0, width: 2560, height: 1400 };

describe('where the window opens', () => {
  it('where it was, when that is still on a screen', () => {
    const saved = { x: 1600, y: 100, width: 1800, height: 1000 };
    expect(placeWindow(saved, [laptop, monitorRight])).toEqual(saved);
  });

  it('centred on the primary screen when its screen was unplugged', () => {
    const saved = { x: 1600, y: 100, width: 1800, height: 1000 };
    const placed = placeWindow(saved, [laptop]);
    expect(placed).toEqual({
      x: Math.round((1440 - DEFAULT_SIZE.width) / 2),
      y: 0,
      width: DEFAULT_SIZE.width,
      height: 860,
    });
  });

  it('moved and shrunk fully onto the screen that holds its title bar', () => {
    const saved = { x: 1300, y: -10, width: 2000, height: 1200 };
    expect(placeWindow(saved, [laptop])).toEqual({ x: 0, y: 0, width: 1440, height: 860 });
  });

  it('not kept when only a sliver of its title bar is on a screen', () => {
    const saved = { x: 1400, y: 100, width: 800, height: 600 };
    expect(placeWindow(saved, [laptop]).x).toBeLessThan(1400 - 800);
  });

  it('the default size when nothing was saved, never larger than the screen', () => {
    const small = { x: 0, y: 24, width: 1024, height: 700 };
    expect(placeWindow(null, [small])).toEqual({ x: 0, y: 24, width: 1024, height: 700 });
  });
});
