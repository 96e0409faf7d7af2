import { useCallback, useMemo, useState } from 'react';
import { configDiff } from '../../../../shared/config-diff';
import { colourScale } from '../../model/colour-scale';
import { configAxis, metricSummaryValue, runsInsideConstraints } from '../../model/compare-axes';
import type { ConstraintRange, SummaryKind } from '../../model/compare-axes';
import { informativeConfigKeys } from '../../../../shared/informative-keys';
import { MetricSummaryPicker, metricNamesOf } from '../plots/MetricSummaryPicker';
import type { ComparedRun } from './compare-types';
import { ParallelCoordinates } from './ParallelCoordinates';

/** Axes ticked at first: a handful of the keys that tell the runs apart. */
const DEFAULT_AXES = 5;

/** "Colour lines by": the chosen metric's scale, or each run's own colour. */
type ColourBy = 'metric' | 'run';

/**
 * Parallel coordinates over chosen config keys and one metric summary, lines coloured by that
 * metric on a scale (or by run). The keys ticked at first are those that vary most
 * informatively (informative-keys.ts: swept keys, not Sacred's per-run seed). Brushing an
 * axis selects the runs inside every brushed range.
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
  const [keys, setKeys] = useState<string[]>(() =>
    informativeConfigKeys(runs.map((r) => r.run.config))
      .filter((path) => candidates.includes(path))
      .slice(0, DEFAULT_AXES),
  );
  const [colourBy, setColourBy] = useState<ColourBy>('metric');
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
  const metricValues = useMemo(
    () => runs.map((r) => metricSummaryValue(r.run.metrics, metric, kind)),
    [runs, metric, kind],
  );
  const scale = useMemo(() => colourScale(metricValues), [metricValues]);
  const byMetric = colourBy === 'metric' && metric !== '' && scale.domain !== null;
  const colours = runs.map((r, i) =>
    byMetric ? scale.colourOf(metricValues[i] ?? NaN) : r.colour,
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
                data-key={path}
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
          <label>
            colour lines by{' '}
            <select
              value={colourBy}
              onChange={(event) => setColourBy(event.target.value as ColourBy)}
              data-testid="parcoords-colour-by"
            >
              <option value="metric" disabled={metric === ''}>
                {metric === '' ? 'metric' : `${metric} (${kind})`}
              </option>
              <option value="run">run</option>
            </select>
          </label>
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
              colours={colours}
              legend={byMetric ? { title: `${metric} (${kind})`, scale } : null}
            />
          </div>
        )}
      </div>
    </div>
  );
}
