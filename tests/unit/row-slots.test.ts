import { describe, expect, it } from 'vitest';
import { rowSlot, slotCountFor } from '../../renderer/src/model/row-slots';

/** The keys the table gives rows first..last (the virtualizer's window) with `slots`. */
function keys(first: number, last: number, slots: number): number[] {
  const out: number[] = [];
  for (let index = first; index <= last; index++) out.push(rowSlot(index, slots));
  return out;
}

describe('row slots (the run table reuses row elements while scrolling)', () => {
  it('gives every row shown at once its own key, anywhere in a 100k-row table', () => {
    for (const shown of [1, 40, 64, 65, 130, 300]) {
      const slots = slotCountFor(shown);
      expect(slots).toBeGreaterThanOrEqual(shown);
      for (const first of [0, 17, 63, 64, 99_937]) {
        const shownKeys = keys(first, first + shown - 1, slots);
        expect(new Set(shownKeys).size).toBe(shown);
      }
    }
  });

  it('keeps a row that stays on screen in its slot when the table scrolls', () => {
    const slots = slotCountFor(57);
    const before = keys(1000, 1056, slots);
    const after = keys(1003, 1059, slots);
    // Rows 1003..1056 are on screen both times: same element, not rebuilt.
    expect(after.slice(0, 54)).toEqual(before.slice(3));
  });

  it('gives the rows a fling brings the slots of the rows it took away', () => {
    const slots = slotCountFor(57);
    const before = new Set(keys(0, 56, slots));
    const after = new Set(keys(100, 156, slots));
    // A whole new screen of rows reuses (mostly) the same keys: updated, not mounted.
    const reused = [...after].filter((key) => before.has(key)).length;
    expect(reused).toBeGreaterThanOrEqual(50);
  });

  it('grows in powers of two so a row more or less does not reshuffle every slot', () => {
    expect(slotCountFor(0)).toBe(64);
    expect(slotCountFor(64)).toBe(64);
    expect(slotCountFor(65)).toBe(128);
    expect(slotCountFor(63)).toBe(slotCountFor(40));
  });
});
