/**
 * How many rows the run table builds beyond its visible box. A few rows let a wheel step or an
 * arrow key meet rows already drawn; but when one scroll step jumps further than the box is
 * tall (a fling, dragging the scrollbar), every row shown is new and the extra rows would be
 * built, laid out and painted each frame for nothing: they are built once the scroll slows.
 */

/** Rows built above and below the visible ones while scrolling slowly or not at all. */
export const OVERSCAN_ROWS = 4;

/**
 * The overscan for a render: none while a scroll is jumping more than the viewport's height
 * (`jump`, px since the last rendered offset), else OVERSCAN_ROWS.
 */
export function overscanFor(jump: number, viewportHeight: number, scrolling: boolean): number {
  return scrolling && viewportHeight > 0 && Math.abs(jump) > viewportHeight ? 0 : OVERSCAN_ROWS;
}
