import { useRef } from 'react';
import { usePlotlyFigure, type PlotlyElement } from '../../hooks/use-plotly-figure';

interface Props {
  traces: object[];
  layout: Record<string, unknown>;
  /** Plotly events to pass on (e.g. plotly_restyle, plotly_selected, plotly_deselect). */
  onEvent: (name: string, data: unknown) => void;
  events: readonly string[];
  testId: string;
}

/** A plotly figure of the compare view that reports brushing and selection events. */
export function CompareChart({ traces, layout, onEvent, events, testId }: Props) {
  const ref = useRef<PlotlyElement>(null);
  const failure = usePlotlyFigure(ref, {
    traces,
    layout,
    uirevision: 'compare',
    config: {},
    events: Object.fromEntries(
      events.map((name) => [name, (data: unknown) => onEvent(name, data)]),
    ),
  });

  return (
    <>
      {failure !== null && (
        <div className="detail-error" role="alert">
          The plot could not be drawn: {failure}
        </div>
      )}
      <div ref={ref} className="compare-chart" data-testid={testId} />
    </>
  );
}
