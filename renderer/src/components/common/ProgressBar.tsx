import type { SyncProgress } from '../../../../shared/events';
import { syncProgressLabel } from '../../model/sync-progress-label';

/** Sync progress from `syncProgress` events; indeterminate while the total is unknown. */
export function ProgressBar({ progress }: { progress: SyncProgress | null }) {
  const total = progress?.total ?? 0;
  const done = progress?.done ?? 0;
  const fraction = total > 0 ? Math.min(1, done / total) : null;
  const label = syncProgressLabel(progress);
  return (
    <div
      className="progress"
      role="progressbar"
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
      <div className="progress-label">{label.main}</div>
      {label.detail !== null && (
        <div className="progress-label progress-detail" data-testid="sync-progress-detail">
          {label.detail}
        </div>
      )}
    </div>
  );
}
