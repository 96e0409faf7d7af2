import { useMemo, useState } from 'react';
import type { RunDetail, RunKey } from '../../../../shared/contract';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useLoader } from '../../hooks/use-loader';
import { partProblems } from '../../model/part-problems';
import { differenceLabels } from '../../model/run-labels';
import { runKeyString } from '../../model/run-values';
import { MultiRunPlot } from './MultiRunPlot';
import { SearchInput } from '../run-table/SearchInput';

const PICKER_LIMIT = 5000;

/**
 * The open run's metrics, with other runs of the same source added on demand (same
 * experiment first) so that seeds and variants can be overlaid or grouped.
 */
export function MetricsTab({ run }: { run: RunDetail }) {
  const [extra, setExtra] = useState<RunKey[]>([]);
  const [picking, setPicking] = useState(false);
  const runs = useMemo(() => [{ source: run.source, id: run.id }, ...extra], [run, extra]);
  const known = useMemo(() => [run], [run]);

  if (run.metrics.length === 0 && extra.length === 0) {
    const problems = partProblems(run.warnings, 'metrics');
    return (
      <div className="stack">
        {problems.length > 0 ? (
          <div className="detail-error" role="alert" data-testid="metrics-unreadable">
            <strong>The metrics of this run could not be read.</strong> {problems.join('; ')}
          </div>
        ) : (
          <p className="muted">
            This run logged no metrics (Sacred’s <code>_run.log_scalar</code>).
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="metrics-tab-multi">
      <div className="toolbar">
        <button
          type="button"
          className="small"
          onClick={() => setPicking((v) => !v)}
          data-testid="plot-add-runs"
          aria-expanded={picking}
        >
          {picking ? 'Done adding runs' : 'Add runs to the plot…'}
        </button>
        {extra.length > 0 && (
          <>
            <span className="muted">
              {extra.length} other run{extra.length === 1 ? '' : 's'} plotted
            </span>
            <button type="button" className="link-button" onClick={() => setExtra([])}>
              Remove them
            </button>
          </>
        )}
      </div>
      {picking && <RunPicker run={run} selected={extra} onChange={setExtra} />}
      <MultiRunPlot runs={runs} known={known} />
    </div>
  );
}

function RunPicker({
  run,
  selected,
  onChange,
}: {
  run: RunDetail;
  selected: RunKey[];
  onChange: (runs: RunKey[]) => void;
}) {
  const api = useApi();
  const [query, setQuery] = useState('');
  const [sameExperiment, setSameExperiment] = useState(run.experiment !== null);
  const listed = useLoader(
    () => api.listRuns({ source: run.source, limit: PICKER_LIMIT }),
    [api, run.source],
  );
  const chosen = new Set(selected.map(runKeyString));
  if (listed.state === 'loading') return <div className="loading">Loading runs…</div>;
  if (listed.state === 'error') {
    return (
      <div className="detail-error" role="alert">
        The runs could not be listed: {errorMessage(listed.error)}
      </div>
    );
  }
  const needle = query.trim().toLowerCase();
  const pool = listed.data.runs.filter(
    (other) =>
      !(other.source === run.source && other.id === run.id) &&
      other.metrics.length > 0 &&
      (!sameExperiment || other.experiment === run.experiment),
  );
  // Named by what differs among the runs offered (and the open one): `tau=2 N=1000`.
  const labels = differenceLabels(
    [run, ...pool].map((r) => ({
      key: runKeyString(r),
      source: r.source,
      id: r.id,
      config: r.config,
    })),
  );
  const candidates = pool.filter(
    (other) =>
      needle === '' ||
      other.id.toLowerCase().includes(needle) ||
      (other.experiment ?? '').toLowerCase().includes(needle) ||
      other.status.toLowerCase().includes(needle) ||
      (labels.get(runKeyString(other)) ?? '').toLowerCase().includes(needle),
  );
  const toggle = (key: RunKey): void => {
    const id = runKeyString(key);
    onChange(chosen.has(id) ? selected.filter((k) => runKeyString(k) !== id) : [...selected, key]);
  };
  return (
    <div className="run-picker" data-testid="run-picker">
      <div className="toolbar">
        <SearchInput
          value={query}
          onChange={setQuery}
          placeholder="Filter by id, experiment or status…"
          label="Filter runs to add"
        />
        {run.experiment !== null && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={sameExperiment}
              onChange={(event) => setSameExperiment(event.target.checked)}
            />{' '}
            only “{run.experiment}”
          </label>
        )}
        <span className="muted">{candidates.length} runs with metrics</span>
      </div>
      <div className="run-picker-list">
        {candidates.slice(0, 300).map((other) => (
          <label className="metric-item" key={other.id}>
            <input
              type="checkbox"
              checked={chosen.has(runKeyString(other))}
              onChange={() => toggle({ source: other.source, id: other.id })}
              data-pick-run={other.id}
            />
            <span className="metric-name" data-testid="pick-run-label">
              {labels.get(runKeyString(other)) ?? `#${other.id}`}{' '}
              <span className="muted">
                #{other.id} {other.experiment ?? ''}
              </span>
            </span>
            <span className="muted">{other.status}</span>
          </label>
        ))}
        {candidates.length > 300 && (
          <p className="muted">{candidates.length - 300} more: narrow the filter.</p>
        )}
      </div>
    </div>
  );
}
