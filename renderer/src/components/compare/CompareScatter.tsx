import { useCallback, useMemo, useState } from 'react';
import { configDiff } from '../../../../shared/config-diff';
import { configAxis, metricSummaryValue, runsOfSelectedPoints } from '../../model/compare-axes';
import type { SummaryKind } from '../../model/compare-axes';
import { CompareChart } from './CompareChart';
import { MetricSummaryPicker, metricNamesOf } from '../plots/MetricSummaryPicker';
import type { ComparedRun } from './compare-types';

const EVENTS = ['plotly_selected', 'plotly_deselect'];

/** A config key against a metric summary; box or lasso selection selects the runs. */
export function CompareScatter({
  runs,
  brushed,
  onBrush,
}: {
  runs: ComparedRun[];
  brushed: string[] | null;
  onBrush: (keys: string[] | null) => void;
}) {
  const candidates = useMemo(() => {
    const rows = configDiff(runs.map((r) => r.run.config));
    return [...rows.filter((r) => r.differs), ...rows.filter((r) => !r.differs)].map((r) => r.path);
  }, [runs]);
  const [xKey, setXKey] = useState(candidates[0] ?? '');
  const metricNames = useMemo(() => metricNamesOf(runs), [runs]);
  const [metric, setMetric] = useState(metricNames[0] ?? '');
  const [kind, setKind] = useState<SummaryKind>('last');

  const traces = useMemo(() => {
    const axis = configAxis(
      xKey,
      runs.map((r) => r.run.config),
    );
    const selected =
      brushed === null ? null : runs.flatMap((r, i) => (brushed.includes(r.key) ? [i] : []));
    return [
      {
        type: 'scatter',
        mode: 'markers+text',
        x: axis.values.map((v) => (Number.isFinite(v) ? v : null)),
        y: runs.map((r) => {
          const v = metricSummaryValue(r.run.metrics, metric, kind);
          return Number.isFinite(v) ? v : null;
        }),
        text: runs.map((r) => r.label),
        textposition: 'top center',
        customdata: runs.map((r) => r.key),
        hovertemplate: '%{text}<br>%{x}, %{y}<extra></extra>',
        // Each run in its own colour, as in its plots; a selection dims the others.
        marker: { size: 11, color: runs.map((r) => r.colour) },
        selectedpoints: selected,
        selected: { marker: { opacity: 1 } },
        unselected: { marker: { opacity: 0.35 } },
      },
    ];
  }, [runs, xKey, metric, kind, brushed]);

  const layout = useMemo(() => {
    const axis = configAxis(
      xKey,
      runs.map((r) => r.run.config),
    );
    return {
      height: 420,
      dragmode: 'lasso',
      margin: { l: 60, r: 20, t: 20, b: 50 },
      xaxis:
        axis.ticktext === undefined
          ? { title: { text: xKey } }
          : {
              title: { text: xKey },
              tickvals: axis.ticktext.map((_, i) => i),
              ticktext: axis.ticktext,
            },
      yaxis: { title: { text: `${metric} (${kind})` } },
    };
  }, [runs, xKey, metric, kind]);

  const onEvent = useCallback(
    (name: string, data: unknown) => {
      if (name === 'plotly_deselect') onBrush(null);
      else onBrush(runsOfSelectedPoints(data));
    },
    [onBrush],
  );

  return (
    <div className="compare-scatter">
      <div className="toolbar">
        <label>
          x{' '}
          <select
            value={xKey}
            onChange={(event) => setXKey(event.target.value)}
            data-testid="compare-scatter-key"
          >
            {candidates.map((path) => (
              <option key={path} value={path}>
                {path}
              </option>
            ))}
          </select>
        </label>
        <MetricSummaryPicker
          names={metricNames}
          metric={metric}
          kind={kind}
          onChange={(m, k) => {
            setMetric(m);
            setKind(k);
          }}
        />
        <span className="muted">Box or lasso select points to select their runs.</span>
      </div>
      {candidates.length === 0 || metricNames.length === 0 ? (
        <p className="muted">A scatter needs a config key and a logged metric.</p>
      ) : (
        <CompareChart
          traces={traces}
          layout={layout}
          events={EVENTS}
          onEvent={onEvent}
          testId="compare-scatter"
        />
      )}
    </div>
  );
}
