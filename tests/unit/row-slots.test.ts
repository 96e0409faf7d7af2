import { describe, expect, it } from 'vitest';
import { assignSlots } from '../../renderer/src/model/row-slots';
import type { SlotAssignment } from '../../renderer/src/model/row-slots';

function range(first: number, last: number): number[] {
  const out: number[] = [];
  for (let index = first; index <= last; index++) out.push(index);
  return out;
}

/** The slots (React keys) of rows first..last, in row order. */
function slotsOf(assignment: SlotAssignment, first: number, last: number): (number | undefined)[] {
  return range(first, last).map((index) => assignment.get(index));
}

describe('row slots (the run table reuses row elements while scrolling)', () => {
  it('gives every row shown its own slot among as many slots as rows, anywhere in 100k rows', () => {
    for (const [first, count] of [
      [0, 1],
      [17, 29],
      [99_937, 37],
      [500, 130],
    ] as const) {
      const assignment = assignSlots(new Map(), range(first, first + count - 1));
      const slots = slotsOf(assignment, first, first + count - 1);
      expect(new Set(slots).size).toBe(count);
      expect(Math.min(...(slots as number[]))).toBe(0);
      expect(Math.max(...(slots as number[]))).toBe(count - 1);
    }
  });

  it('keeps a row that stays on screen in its slot when the table scrolls', () => {
    const before = assignSlots(new Map(), range(1000, 1036));
    const after = assignSlots(before, range(1003, 1039));
    // Rows 1003..1036 are on screen both times: same element, not rebuilt.
    expect(slotsOf(after, 1003, 1036)).toEqual(slotsOf(before, 1003, 1036));
    // The three rows scrolled in take the three slots the rows scrolled out left.
    expect(new Set(slotsOf(after, 1037, 1039))).toEqual(new Set(slotsOf(before, 1000, 1002)));
  });

  it('gives a fling that jumps a whole screen every slot of the rows it took away', () => {
    // ~100 rows a frame, 29 to 37 rows shown: no row stays, every element is reused.
    let assignment = assignSlots(new Map(), range(0, 36));
    for (let first = 100; first < 1000; first += 100) {
      const next = assignSlots(assignment, range(first, first + 36));
      expect(new Set(next.values())).toEqual(new Set(assignment.values()));
      assignment = next;
    }
  });

  it('gives the same slots for the same rows again (a render repeated)', () => {
    const before = assignSlots(new Map(), range(40, 76));
    const after = assignSlots(before, range(60, 96));
    expect(assignSlots(after, range(60, 96))).toEqual(after);
  });

  it('moves only the rows whose slot is gone when fewer rows are shown', () => {
    const before = assignSlots(new Map(), range(0, 36));
    const after = assignSlots(before, range(0, 28));
    expect(new Set(after.values())).toEqual(new Set(range(0, 28)));
    for (const index of range(0, 28)) {
      const slot = before.get(index) ?? -1;
      if (slot < 29) expect(after.get(index)).toBe(slot);
    }
  });
});
