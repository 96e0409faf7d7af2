import type { JsonValue } from '../../../../shared/contract';
import { compactValue, formatDuration } from '../../model/format';
import { displayStatus, runDurationMs } from '../../model/run-values';
import type { ComparedRun } from './compare-types';

function summaryText(value: number | string | null): string {
  if (value === null) return '—';
  return typeof value === 'number' ? compactValue(value) : value;
}

/** Result, status, duration and each metric's last/min/max, one column per run. */
export function CompareResults({ runs }: { runs: ComparedRun[] }) {
  const metricNames: string[] = [];
  for (const { run } of runs) {
    for (const metric of run.metrics) {
      if (!metricNames.includes(metric.name)) metricNames.push(metric.name);
    }
  }
  const row = (label: string, cell: (r: ComparedRun) => string, testId?: string) => (
    <tr key={label} data-testid={testId}>
      <th scope="row" className="compare-path">
        {label}
      </th>
      {runs.map((r) => (
        <td key={r.key}>{cell(r)}</td>
      ))}
    </tr>
  );
  return (
    <table className="compare-table" data-testid="compare-results-table">
      <thead>
        <tr>
          <th />
          {runs.map((r) => (
            <th key={r.key}>{r.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {row('result', (r) => compactValue(r.run.result as JsonValue, 200), 'compare-result-row')}
        {row('status', (r) => displayStatus(r.run))}
        {row('duration', (r) => formatDuration(runDurationMs(r.run)) || '—')}
        {metricNames.map((name) =>
          row(name, (r) => {
            const metric = r.run.metrics.find((m) => m.name === name);
            if (metric === undefined) return '—';
            return `last ${summaryText(metric.last)} · min ${summaryText(metric.min)} · max ${summaryText(metric.max)}`;
          }),
        )}
      </tbody>
    </table>
  );
}
