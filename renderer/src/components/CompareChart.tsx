import { useEffect, useRef, useState } from 'react';
import { loadPlotly } from './PlotCanvas';

interface PlotlyElement extends HTMLDivElement {
  on?: (event: string, listener: (data: unknown) => void) => void;
  removeAllListeners?: (event: string) => void;
}

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
  const [failure, setFailure] = useState<string | null>(null);
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  const eventList = events.join(',');

  useEffect(() => {
    let current = true;
    const element = ref.current;
    if (element === null) return undefined;
    loadPlotly()
      .then((Plotly) => {
        if (!current) return undefined;
        return Plotly.react(
          element,
          traces,
          { ...layout, uirevision: 'compare' },
          {
            displaylogo: false,
            responsive: true,
          },
        );
      })
      .then(
        () => {
          if (!current) return;
          setFailure(null);
          element.classList.add('drawn');
          if (element.dataset.listening !== 'yes' && element.on !== undefined) {
            element.dataset.listening = 'yes';
            for (const name of eventList.split(',')) {
              element.on(name, (data) => onEventRef.current(name, data));
            }
          }
        },
        (error: unknown) => {
          if (current) setFailure(error instanceof Error ? error.message : String(error));
        },
      );
    return () => {
      current = false;
    };
  }, [traces, layout, eventList]);

  useEffect(() => {
    const element = ref.current;
    return () => {
      if (element !== null) void loadPlotly().then((Plotly) => Plotly.purge(element));
    };
  }, []);

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
