/**
 * How many points each trace of a metric plot asks for (issue 13). A line two points per pixel
 * column of the plotting area (its min and max) shows all a screen can; more only costs the
 * server, the wire and plotly's drawing.
 */

/** The plot's left and right margins (plot-traces.ts' layout): no point is drawn there. */
export const PLOT_MARGINS_PX = 84;
const MIN_POINTS = 200;
const MAX_POINTS = 4000;
/** A new width whose budget is within this share of the current one keeps the current one. */
const KEEP_WITHIN = 0.15;

/** Two points per pixel of the plotting area in an element `width` pixels wide, in hundreds. */
export function pointBudget(width: number): number {
  const plotted = Math.max(0, width - PLOT_MARGINS_PX);
  return Math.min(MAX_POINTS, Math.max(MIN_POINTS, Math.round((2 * plotted) / 100) * 100));
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
