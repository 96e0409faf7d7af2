import { useEffect, useRef, useState } from 'react';
import type { PlotlyStatic } from 'plotly.js-dist-min';
import type { MetricSeries } from '../../../shared/contract';
import { metricTrace } from '../model/metric-trace';
import type { XMode } from '../model/metric-trace';

interface Props {
  series: MetricSeries[];
  xMode: XMode;
  logY: boolean;
  startMs: number;
}

let plotlyPromise: Promise<PlotlyStatic> | null = null;

/** plotly is big; it is loaded the first time a plot is shown, not with the app. */
function loadPlotly(): Promise<PlotlyStatic> {
  plotlyPromise ??= import('plotly.js-dist-min').then((module) => module.default);
  return plotlyPromise;
}

const axisTitle: Record<XMode, string> = {
  step: 'step',
  relative: 'seconds since start',
  wall: 'time (local)',
};

/** SVG line plot (not scattergl: downsampled SVG lines draw faster on software GL). */
export function MetricPlot({ series, xMode, logY, startMs }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const element = ref.current;
    if (element === null) return;
    // classList, not className: plotly adds its own classes to this div, and a React
    // className change would wipe them (and with them plotly's modebar styles).
    element.classList.remove('drawn');
    loadPlotly()
      .then((Plotly) => {
        if (!current) return undefined;
        const traces = series.map((s) => metricTrace(s, xMode, startMs));
        return Plotly.react(
          element,
          traces,
          {
            autosize: true,
            height: 420,
            margin: { l: 60, r: 20, t: 30, b: 50 },
            font: { family: 'system-ui, sans-serif', size: 12 },
            showlegend: true,
            legend: { orientation: 'h', y: 1.08 },
            hovermode: 'closest',
            xaxis: {
              title: { text: axisTitle[xMode] },
              type: xMode === 'wall' ? 'date' : 'linear',
              zeroline: false,
            },
            yaxis: { type: logY ? 'log' : 'linear', zeroline: false },
            paper_bgcolor: '#ffffff',
            plot_bgcolor: '#ffffff',
          },
          { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['lasso2d', 'select2d'] },
        );
      })
      .then(
        () => {
          if (current) element.classList.add('drawn');
        },
        (error: unknown) =>
          current && setFailure(error instanceof Error ? error.message : String(error)),
      );
    return () => {
      current = false;
    };
  }, [series, xMode, logY, startMs]);

  useEffect(() => {
    const element = ref.current;
    return () => {
      if (element !== null && plotlyPromise !== null)
        void plotlyPromise.then((Plotly) => Plotly.purge(element));
    };
  }, []);

  return (
    <>
      {failure !== null && (
        <div className="detail-error" role="alert">
          The plot could not be drawn: {failure}
        </div>
      )}
      <div ref={ref} className="metric-plot" data-testid="metric-plot" />
    </>
  );
}
