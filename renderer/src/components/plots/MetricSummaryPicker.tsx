import type { SummaryKind } from '../../model/compare-axes';
import type { ComparedRun } from '../compare/compare-types';

/** The metric names logged by any of the runs, in order of first appearance. */
export function metricNamesOf(runs: readonly ComparedRun[]): string[] {
  const names: string[] = [];
  for (const { run } of runs) {
    for (const metric of run.metrics) if (!names.includes(metric.name)) names.push(metric.name);
  }
  return names;
}

/** Picks a metric and which of its summaries (last, min, max) to use as a value per run. */
export function MetricSummaryPicker({
  names,
  metric,
  kind,
  onChange,
}: {
  names: string[];
  metric: string;
  kind: SummaryKind;
  onChange: (metric: string, kind: SummaryKind) => void;
}) {
  if (names.length === 0) return <span className="muted">No metrics logged.</span>;
  return (
    <label>
      metric{' '}
      <select
        value={metric}
        onChange={(event) => onChange(event.target.value, kind)}
        data-testid="compare-metric"
      >
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>{' '}
      <select
        value={kind}
        onChange={(event) => onChange(metric, event.target.value as SummaryKind)}
        data-testid="compare-metric-kind"
      >
        <option value="last">last</option>
        <option value="min">min</option>
        <option value="max">max</option>
      </select>
    </label>
  );
}
