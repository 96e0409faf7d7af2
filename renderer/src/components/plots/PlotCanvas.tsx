import { startTransition, useEffect, useRef } from 'react';
import { usePlotlyFigure, type PlotlyElement } from '../../hooks/use-plotly-figure';
import type { PlotTrace } from '../../model/plot-traces';

/** The visible x range in the axis unit, or null when the plot shows everything again. */
export type XRange = { x0: unknown; x1: unknown } | null;

interface Props {
  traces: PlotTrace[];
  layout: Record<string, unknown>;
  /** Changes when the axes mean something else (x mode, metrics): the zoom is then reset. */
  revision: string;
  onXRange: (range: XRange) => void;
  /**
   * A drag's range at its mouse-up, before plotly draws it: for work that should start at
   * once without rendering (onXRange reports the same range once it is drawn).
   */
  onXRangeDragged: (range: { x0: unknown; x1: unknown }) => void;
  testId?: string;
}

/** The x range of a plotly_relayout event: a zoom, a pan, or a reset (autorange). */
export function xRangeOfRelayout(data: Record<string, unknown>): XRange | undefined {
  if (data['xaxis.autorange'] === true) return null;
  const pair = data['xaxis.range'];
  if (Array.isArray(pair) && pair.length === 2) return { x0: pair[0], x1: pair[1] };
  if ('xaxis.range[0]' in data && 'xaxis.range[1]' in data) {
    return { x0: data['xaxis.range[0]'], x1: data['xaxis.range[1]'] };
  }
  return undefined;
}

/** What plotly keeps on a figure to show its hover label again after each redraw. */
interface HoverMemory {
  _fullLayout?: { _rehover?: () => void };
}

/**
 * plotly redraws the hover label after every redraw (`_rehover`) at the last position the mouse
 * moved to over the plot. A drag does not update that position, so after a zoom or pan it put a
 * label at the drag's start, over another point, and searched the 20 traces of a 20-run plot
 * for it twice: in its own relayout and in the refined redraw (~15 % of each; issue 13). The
 * next mouse move over the plot brings the label back where the mouse is.
 */
function forgetPreDragHover(element: HTMLElement | null): void {
  const layout = (element as HoverMemory | null)?._fullLayout;
  if (layout !== undefined) layout._rehover = undefined;
}

/**
 * SVG `scatter` lines, never scattergl: measured here, 20 downsampled SVG traces draw in 0.4 s
 * against 5.6 s for WebGL on software GL. Zooms and pans are reported so the caller can fetch
 * the visible range at full resolution.
 */
export function PlotCanvas({
  traces,
  layout,
  revision,
  onXRange,
  onXRangeDragged,
  testId = 'metric-plot',
}: Props) {
  const ref = useRef<PlotlyElement>(null);
  // The x range a drag (zoom box or pan) would end on, as plotly reports it while dragging.
  const dragged = useRef<XRange | undefined>(undefined);
  const onDraggedRef = useRef(onXRangeDragged);
  onDraggedRef.current = onXRangeDragged;
  const failure = usePlotlyFigure(ref, {
    traces,
    layout,
    uirevision: revision,
    config: { modeBarButtonsToRemove: ['lasso2d', 'select2d'] },
    events: {
      plotly_relayouting: (data) => {
        dragged.current = xRangeOfRelayout(data);
      },
      plotly_relayout: (data) => {
        dragged.current = undefined;
        const range = xRangeOfRelayout(data);
        // plotly reports a zoom in its mouse-up, after drawing it and before the frame that
        // shows it: the app's render of the new range (a toolbar button, the status line, the
        // refine's effect) waits for that frame (issue 13).
        if (range !== undefined) startTransition(() => onXRange(range));
      },
    },
  });

  // A drag's range is known at mouse-up, before plotly redraws the figure for it and then
  // reports it (plotly_relayout; 57 ms for 20 traces on a free machine, several times that on
  // a busy one): passed on here first, so the refine request is on its way while plotly draws
  // (issue 13); nothing is rendered here, which would hold plotly's drawing back. A drag too
  // short to zoom reports no range while dragging, so nothing is sent for it.
  useEffect(() => {
    const up = (): void => {
      const range = dragged.current;
      dragged.current = undefined;
      if (range === undefined || range === null) return;
      forgetPreDragHover(ref.current);
      onDraggedRef.current(range);
    };
    window.addEventListener('mouseup', up, { capture: true });
    return () => window.removeEventListener('mouseup', up, { capture: true });
  }, []);

  return (
    <>
      {failure !== null && (
        <div className="detail-error" role="alert">
          The plot could not be drawn: {failure}
        </div>
      )}
      <div ref={ref} className="metric-plot" data-testid={testId} />
    </>
  );
}
