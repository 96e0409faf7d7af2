import type { RunKey } from '../../../../shared/contract';
import { MultiRunPlot } from './MultiRunPlot';

/** "Plot selected runs": the selection of the run table in one plot, Esc-free back button. */
export function PlotRunsView({ runs, onBack }: { runs: RunKey[]; onBack: () => void }) {
  return (
    <section className="run-detail" data-testid="plot-runs-view" aria-label="Plot of selected runs">
      <div className="detail-topbar">
        <button type="button" onClick={onBack}>
          ← Runs
        </button>
        <span className="muted">
          Plot of {runs.length} run{runs.length === 1 ? '' : 's'}
        </span>
      </div>
      <MultiRunPlot runs={runs} />
    </section>
  );
}
