import type { SyncProgress } from '../../../shared/events';

const phaseLabel: Record<SyncProgress['phase'], string> = {
  scanning: 'Scanning',
  reading: 'Reading runs',
  done: 'Done',
  failed: 'Failed',
};

/** Sync progress from `syncProgress` events; indeterminate while the total is unknown. */
export function ProgressBar({ progress }: { progress: SyncProgress | null }) {
  const total = progress?.total ?? 0;
  const done = progress?.done ?? 0;
  const fraction = total > 0 ? Math.min(1, done / total) : null;
  const label =
    progress === null
      ? 'Working…'
      : `${phaseLabel[progress.phase]}${total > 0 ? ` ${done} / ${total}` : ''}${
          progress.runId !== null && progress.phase === 'reading' ? ` (run ${progress.runId})` : ''
        }`;
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
      <div className="progress-label">{label}</div>
    </div>
  );
}
