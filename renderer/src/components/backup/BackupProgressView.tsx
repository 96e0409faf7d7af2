import type { BackupProgressEvent } from '../../../../shared/contract/backup-methods';
import { formatBytes } from '../../model/format';

const PHASE_LABELS: Record<BackupProgressEvent['phase'], string> = {
  planning: 'Reading what goes where',
  metrics: 'Metrics',
  files: 'Artifacts and source files',
  runs: 'Runs',
  omniboard: 'Omniboard settings',
  'raw-data': 'Raw data',
  done: 'Finishing',
};

/** A backup, restore or copy under way: what it is doing, how far, and Cancel. */
export function BackupProgressView({
  progress,
  cancelling,
  onCancel,
}: {
  progress: BackupProgressEvent | null;
  cancelling: boolean;
  onCancel: () => void;
}) {
  const total = progress?.total ?? null;
  const done = progress?.done ?? 0;
  const fraction =
    progress?.bytesTotal !== null && progress?.bytesTotal !== undefined && progress.bytesTotal > 0
      ? Math.min(1, progress.bytesDone / progress.bytesTotal)
      : total !== null && total > 0
        ? Math.min(1, done / total)
        : null;
  const phase = progress === null ? 'Starting' : PHASE_LABELS[progress.phase];
  const count =
    progress === null || progress.phase === 'planning'
      ? ''
      : `: ${done.toLocaleString()}${total === null ? '' : ` of ${total.toLocaleString()}`}`;
  const bytes =
    progress !== null && progress.bytesDone > 0 ? ` · ${formatBytes(progress.bytesDone)}` : '';
  return (
    <div className="backup-progress" data-testid="backup-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label="Progress"
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total === null ? undefined : done}
      >
        <div className="progress-track">
          <div
            className={fraction === null ? 'progress-fill indeterminate' : 'progress-fill'}
            style={fraction === null ? undefined : { width: `${fraction * 100}%` }}
          />
        </div>
        <div className="progress-label" data-testid="backup-progress-label">
          {cancelling ? 'Cancelling…' : `${phase}${count}${bytes}`}
          {progress?.currentRun !== undefined && !cancelling ? ` (run ${progress.currentRun})` : ''}
        </div>
      </div>
      <div className="dialog-actions">
        <button
          type="button"
          data-testid="backup-cancel"
          disabled={cancelling}
          onClick={onCancel}
          title="Stops between documents: runs already written stay whole, nothing half-written is left"
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
