/**
 * The run table reuses its row elements: each row shown is drawn in one of a few slots (its
 * React key), and a row that scrolls in takes the slot of one that scrolled out, so scrolling
 * updates the rows' text in place instead of building a screen of new rows every frame.
 */

/**
 * The React key of the row at `index` among `slots` reused row elements: rows shown at once are
 * consecutive and fewer than `slots`, so their keys differ.
 */
export function rowSlot(index: number, slots: number): number {
  return index % slots;
}

/**
 * Enough slots for `shown` rows, in powers of two from 64, so a window whose row count changes
 * by a row or two (a resize, the last rows) does not move every row to another slot.
 */
export function slotCountFor(shown: number): number {
  let slots = 64;
  while (slots < shown) slots *= 2;
  return slots;
}
