import { useEffect, useState } from 'react';
import { Modal } from '../common/Modal';

export type MetricsLayout = 'steps-as-rows' | 'steps-as-columns';

interface Props {
  /** Metric names of the runs in scope; null while they are read. */
  metrics: readonly string[] | null;
  runCount: number;
  onExport: (metrics: string[], layout: MetricsLayout) => void;
  onClose: () => void;
}

/** Metric values as CSV in the Altar extractor's two layouts, for the filtered runs. */
export function MetricsExportDialog({ metrics, runCount, onExport, onClose }: Props) {
  const [chosen, setChosen] = useState<string[]>([]);
  const known = metrics !== null;
  // A few metrics are ticked as soon as the names are known, so one click exports.
  useEffect(() => {
    if (metrics !== null)
      setChosen((current) => (current.length > 0 ? current : metrics.slice(0, 5)));
    // runs when the names arrive
  }, [known]);
  const [layout, setLayout] = useState<MetricsLayout>('steps-as-rows');
  const toggle = (name: string): void =>
    setChosen((current) =>
      current.includes(name) ? current.filter((n) => n !== name) : [...current, name],
    );
  return (
    <Modal titleId="metrics-export-title" onClose={onClose} testId="metrics-export-dialog">
      <h2 id="metrics-export-title">Export metrics</h2>
      <p className="muted">
        The metric points of the {runCount} filtered run{runCount === 1 ? '' : 's'}, as CSV.
      </p>
      {metrics === null ? (
        <p className="muted">Reading the metric names…</p>
      ) : metrics.length === 0 ? (
        <p>These runs have no metrics.</p>
      ) : (
        <fieldset className="menu-section">
          <legend>Metrics</legend>
          <ul className="metric-choice-list">
            {metrics.map((name) => (
              <li key={name}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    data-testid="metric-choice"
                    data-metric={name}
                    checked={chosen.includes(name)}
                    onChange={() => toggle(name)}
                  />{' '}
                  {name}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <fieldset className="menu-section">
        <legend>Layout</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="metrics-layout"
            data-testid="metrics-layout-rows"
            checked={layout === 'steps-as-rows'}
            onChange={() => setLayout('steps-as-rows')}
          />{' '}
          Steps as rows <span className="muted">(run, step, one column per metric)</span>
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="metrics-layout"
            data-testid="metrics-layout-columns"
            checked={layout === 'steps-as-columns'}
            onChange={() => setLayout('steps-as-columns')}
          />{' '}
          Steps as columns <span className="muted">(run, metric, one column per step)</span>
        </label>
      </fieldset>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          data-testid="metrics-export-submit"
          disabled={chosen.length === 0 || chosen.length > 100}
          onClick={() => onExport(chosen, layout)}
        >
          Export CSV
        </button>
      </div>
    </Modal>
  );
}
