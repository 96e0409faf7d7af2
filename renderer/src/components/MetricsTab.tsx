import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MetricSeries, RunDetail } from '../../../shared/contract';
import { errorMessage } from '../hooks/report-error-context';
import { useApi } from '../hooks/use-api';
import { useLoader } from '../hooks/use-loader';
import { compactValue } from '../model/format';
import { metricsStartMs } from '../model/metric-trace';
import type { XMode } from '../model/metric-trace';
import { Checkbox } from './Checkbox';
import { MetricPlot } from './MetricPlot';

/** Pick metrics, choose the x axis; each metric is fetched downsampled to the plot's width. */
export function MetricsTab({ run }: { run: RunDetail }) {
  const api = useApi();
  const [selected, setSelected] = useState<string[]>(() =>
    run.metrics[0] === undefined ? [] : [run.metrics[0].name],
  );
  const [xMode, setXMode] = useState<XMode>('step');
  const [logY, setLogY] = useState(false);
  const [width, setWidth] = useState(800);
  const areaRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const measured = areaRef.current?.clientWidth ?? 0;
    if (measured > 0) setWidth(measured);
  }, []);

  // Two points per pixel is what the eye can tell apart; the core re-samples min/max-preserving.
  const maxPoints = Math.max(200, Math.round(2 * width));
  const loaded = useLoader(
    () =>
      Promise.all(
        selected.map((name) => api.getMetric({ source: run.source, id: run.id, name, maxPoints })),
      ),
    [api, run.source, run.id, selected.join('\u0000'), maxPoints],
  );
  // The last plotted series stay on screen while the next selection loads (no flicker).
  const [series, setSeries] = useState<MetricSeries[] | null>(null);
  useEffect(() => {
    if (loaded.state === 'done') setSeries(loaded.data);
  }, [loaded]);
  const startMs = useMemo(
    () => metricsStartMs(run.start_time, series ?? []),
    [run.start_time, series],
  );

  if (run.metrics.length === 0) {
    return (
      <p className="muted">
        This run logged no metrics (Sacred’s <code>_run.log_scalar</code>).
      </p>
    );
  }

  function toggle(name: string): void {
    setSelected((current) =>
      current.includes(name)
        ? current.filter((n) => n !== name)
        : [...current, name].sort((a, b) => order(a) - order(b)),
    );
  }
  const order = (name: string): number => run.metrics.findIndex((m) => m.name === name);
  const downsampled = (series ?? []).filter((s) => s.downsampled);

  return (
    <div className="metrics-tab">
      <div className="metric-list">
        {run.metrics.map((metric) => (
          <label className="metric-item" key={metric.name} title={`${metric.count} points`}>
            <input
              type="checkbox"
              checked={selected.includes(metric.name)}
              onChange={() => toggle(metric.name)}
            />
            <span className="metric-name">{metric.name}</span>
            <span className="metric-last muted">{compactValue(metric.last)}</span>
          </label>
        ))}
      </div>
      <div className="metric-area" ref={areaRef}>
        <div className="toolbar">
          <label>
            x axis{' '}
            <select value={xMode} onChange={(event) => setXMode(event.target.value as XMode)}>
              <option value="step">step</option>
              <option value="relative">time since start</option>
              <option value="wall">wall time</option>
            </select>
          </label>
          <Checkbox checked={logY} onChange={setLogY}>
            log y
          </Checkbox>
          {downsampled.length > 0 && (
            <span className="muted">
              Downsampled for display:{' '}
              {downsampled
                .map((s) => `${s.name} ${s.values.length} of ${s.totalPoints} points`)
                .join(', ')}
            </span>
          )}
        </div>
        {selected.length === 0 ? (
          <p className="muted">Tick a metric on the left to plot it.</p>
        ) : loaded.state === 'error' ? (
          <div className="detail-error" role="alert">
            The metric could not be loaded: {errorMessage(loaded.error)}
          </div>
        ) : (
          <>
            {loaded.state === 'loading' && (
              <div className="loading overlay-note">Loading points…</div>
            )}
            {series !== null && (
              <MetricPlot series={series} xMode={xMode} logY={logY} startMs={startMs} />
            )}
          </>
        )}
      </div>
    </div>
  );
}
