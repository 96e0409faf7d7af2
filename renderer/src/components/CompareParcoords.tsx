import { useCallback, useMemo, useState } from 'react';
import { configDiff } from '../../../shared/config-diff';
import { configAxis, metricSummaryValue, runsInsideConstraints } from '../model/compare-axes';
import type { ConstraintRange, SummaryKind } from '../model/compare-axes';
import { ParallelCoordinates } from './ParallelCoordinates';
import { MetricSummaryPicker, metricNamesOf } from './MetricSummaryPicker';
import type { ComparedRun } from './compare-types';

/**
 * Parallel coordinates over chosen config keys and one metric summary. Brushing an axis
 * selects the runs inside every brushed range.
 */
export function CompareParcoords({
  runs,
  onBrush,
}: {
  runs: ComparedRun[];
  onBrush: (keys: string[] | null) => void;
}) {
  const candidates = useMemo(
    () =>
      configDiff(runs.map((r) => r.run.config))
        .filter((row) => row.differs)
        .map((r) => r.path),
    [runs],
  );
  const [keys, setKeys] = useState<string[]>(() => candidates.slice(0, 5));
  const metricNames = useMemo(() => metricNamesOf(runs), [runs]);
  const [metric, setMetric] = useState<string>(metricNames[0] ?? '');
  const [kind, setKind] = useState<SummaryKind>('last');
  const [constraints, setConstraints] = useState<ConstraintRange[]>([]);

  const axes = useMemo(() => {
    const configs = runs.map((r) => r.run.config);
    const list = keys.map((path) => configAxis(path, configs));
    if (metric !== '') {
      list.push({
        label: `${metric} (${kind})`,
        values: runs.map((r) => metricSummaryValue(r.run.metrics, metric, kind)),
      });
    }
    return list;
  }, [runs, keys, metric, kind]);

  const resetBrush = useCallback(() => {
    setConstraints([]);
    onBrush(null);
  }, [onBrush]);

  const onConstraint = useCallback(
    (axis: number, range: ConstraintRange) => {
      const next = Array.from({ length: axes.length }, (_, i) =>
        i === axis ? range : (constraints[i] ?? null),
      );
      setConstraints(next);
      onBrush(
        next.some((c) => c !== null)
          ? runsInsideConstraints(
              runs.map((r) => r.key),
              axes,
              next,
            )
          : null,
      );
    },
    [axes, constraints, runs, onBrush],
  );
  const insideKeys = runsInsideConstraints(
    runs.map((r) => r.key),
    axes,
    constraints,
  );

  const toggleKey = (path: string): void => {
    setKeys((current) =>
      current.includes(path) ? current.filter((k) => k !== path) : [...current, path],
    );
    resetBrush();
  };

  return (
    <div className="compare-chart-view">
      <div className="plot-side">
        <div className="plot-side-title">Config keys</div>
        {candidates.length === 0 && <p className="muted">The configs do not differ.</p>}
        <div className="metric-list" data-testid="compare-parcoords-keys">
          {candidates.map((path) => (
            <label className="metric-item" key={path}>
              <input
                type="checkbox"
                checked={keys.includes(path)}
                onChange={() => toggleKey(path)}
              />
              <span className="metric-name" title={path}>
                {path}
              </span>
            </label>
          ))}
        </div>
      </div>
      <div className="metric-area">
        <div className="toolbar">
          <MetricSummaryPicker
            names={metricNames}
            metric={metric}
            kind={kind}
            onChange={(m, k) => {
              setMetric(m);
              setKind(k);
              resetBrush();
            }}
          />
          {constraints.some((c) => c !== null) && (
            <button type="button" className="small" onClick={resetBrush}>
              Clear brushing
            </button>
          )}
          <span className="muted">Drag along an axis to select the runs in that range.</span>
        </div>
        {axes.length === 0 ? (
          <p className="muted">Choose config keys on the left.</p>
        ) : (
          <div data-testid="compare-parcoords">
            <ParallelCoordinates
              axes={axes}
              labels={runs.map((r) => r.label)}
              constraints={constraints}
              onConstraint={onConstraint}
              inside={runs.map((r) => insideKeys.includes(r.key))}
            />
          </div>
        )}
      </div>
    </div>
  );
}
