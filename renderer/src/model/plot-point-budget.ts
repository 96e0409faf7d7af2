/**
 * How many points each trace of a metric plot asks for (issue 13): one per pixel column of the
 * plotting area. The server keeps each bucket's min and max (shared/downsample.ts), so every
 * two pixels still show the whole extent of their points and every spike; two points a pixel
 * looked the same and cost the server, the wire and plotly's drawing twice as much (a 20-run
 * zoom's refined redraw was most of its time).
 */

/** The plot's left and right margins (plot-traces.ts' layout): no point is drawn there. */
export const PLOT_MARGINS_PX = 84;
const MIN_POINTS = 200;
const MAX_POINTS = 4000;
/** A new width whose budget is within this share of the current one keeps the current one. */
const KEEP_WITHIN = 0.15;

/** One point per pixel of the plotting area in an element `width` pixels wide, in hundreds. */
export function pointBudget(width: number): number {
  const plotted = Math.max(0, width - PLOT_MARGINS_PX);
  return Math.min(MAX_POINTS, Math.max(MIN_POINTS, Math.round(plotted / 100) * 100));
}

/**
 * The budget after the plot's element is measured `width` pixels wide, given the one its
 * points were asked with (null: none asked yet). A small change (a scroll bar appearing, a
 * sidebar a few pixels wider) keeps the current budget: a new one asks every trace again.
 */
export function nextPointBudget(current: number | null, width: number): number {
  const next = pointBudget(width);
  if (current === null) return next;
  return Math.abs(next - current) <= KEEP_WITHIN * current ? current : next;
}
