/**
 * The run table reuses its row elements: each row shown is drawn in one of as many slots as
 * rows are shown (its React key), and a row that scrolls in takes the slot of one that
 * scrolled out, so scrolling updates the rows' text in place instead of building a screen of
 * new rows every frame.
 *
 * Slots are handed out, not computed from the row's index: with `index % slots`, a scroll that
 * jumps by a number of rows that is not a multiple of the slot count (a fling moves ~100 rows
 * a frame) lands most rows on keys the last frame did not have, and React removes and builds
 * those row elements anew.
 */

/** Row index → slot, for the rows shown. */
export type SlotAssignment = ReadonlyMap<number, number>;

/**
 * The slots of the rows `shown` (row indexes, in any order) after `previous`: a row still
 * shown keeps its slot, the other rows take the slots left free, lowest first, in the order
 * given. Slots are 0 … shown.length − 1, so rendering them in slot order keeps every element
 * where it is in the DOM. The same `shown` again gives the same assignment.
 */
export function assignSlots(previous: SlotAssignment, shown: readonly number[]): SlotAssignment {
  const count = shown.length;
  const next = new Map<number, number>();
  const taken = new Array<boolean>(count).fill(false);
  for (const index of shown) {
    const slot = previous.get(index);
    if (slot !== undefined && slot < count && !taken[slot]) {
      next.set(index, slot);
      taken[slot] = true;
    }
  }
  let free = 0;
  for (const index of shown) {
    if (next.has(index)) continue;
    while (taken[free] === true) free++;
    next.set(index, free);
    taken[free] = true;
  }
  return next;
}
