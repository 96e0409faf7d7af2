/**
 * How many points each trace of a metric plot asks for (issue 13). A line two points per pixel
 * column of the plotting area (its min and max) shows all a screen can; more only costs the
 * server, the wire and plotly's drawing. A figure of many traces shares a budget of ten such
 * lines: plotly's time to draw and redraw a figure grows with all its points (at half the
 * points the page's CPU from a 20-run zoom's mouse-up to its refined figure fell by about a
 * quarter), and where 20 lines cross each other a sub-pixel detail of one is not seen. A trace
 * never gets fewer than one point per pixel: the server keeps each bucket's min and max, so a
 * bucket two pixels wide still shows every spike.
 */

/** The plot's left and right margins (plot-traces.ts' layout): no point is drawn there. */
export const PLOT_MARGINS_PX = 84;
const MIN_POINTS = 200;
const MAX_POINTS = 4000;
/** One trace alone: the min and max of each pixel column. */
const TRACE_POINTS_PER_PX = 2;
/** All traces of a figure together: ten traces at two points a pixel. */
const FIGURE_POINTS_PER_PX = 20;
/** The least a trace gets: the min and max of each two pixel columns. */
const LEAST_TRACE_POINTS_PER_PX = 1;
/** A new width whose budget is within this share of the current one keeps the current one. */
const KEEP_WITHIN = 0.15;

/**
 * Points per trace, in hundreds, for `traces` traces in an element `width` pixels wide: two
 * per pixel of the plotting area up to ten traces, then the figure's twenty per pixel shared,
 * never under one per pixel.
 */
export function pointBudget(width: number, traces = 1): number {
  const plotted = Math.max(0, width - PLOT_MARGINS_PX);
  const perPixel = Math.min(
    TRACE_POINTS_PER_PX,
    Math.max(LEAST_TRACE_POINTS_PER_PX, FIGURE_POINTS_PER_PX / Math.max(1, traces)),
  );
  return Math.min(MAX_POINTS, Math.max(MIN_POINTS, Math.round((perPixel * plotted) / 100) * 100));
}

/**
 * The budget after the plot's element is measured `width` pixels wide or its trace count
 * changes, given the one its points were asked with (null: none asked yet). A small change (a
 * scroll bar appearing, one run hidden of twenty) keeps the current budget: a new one asks
 * every trace again.
 */
export function nextPointBudget(current: number | null, width: number, traces = 1): number {
  const next = pointBudget(width, traces);
  if (current === null) return next;
  return Math.abs(next - current) <= KEEP_WITHIN * current ? current : next;
}
