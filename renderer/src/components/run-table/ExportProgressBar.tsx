import type { ExportState } from '../../hooks/use-export';

/** The running export: runs written of the total, indeterminate until the first event. */
export function ExportProgressBar({ state }: { state: ExportState }) {
  if (state.label === null) return null;
  const total = state.progress?.total ?? 0;
  const done = state.progress?.done ?? 0;
  const fraction = total > 0 ? Math.min(1, done / total) : null;
  return (
    <div
      className="progress export-progress"
      role="progressbar"
      data-testid="export-progress"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
    >
      <div className="progress-track">
        <div
          className={fraction === null ? 'progress-fill indeterminate' : 'progress-fill'}
          style={fraction === null ? undefined : { width: `${fraction * 100}%` }}
        />
      </div>
      <div className="progress-label">
        {state.label}
        {total > 0 ? ` ${done} / ${total} runs` : '…'}
      </div>
    </div>
  );
}
