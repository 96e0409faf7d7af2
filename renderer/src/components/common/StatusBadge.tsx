import type { RunSummary } from '../../../../shared/contract';
import { displayStatus } from '../../model/run-values';

const icons: Record<string, string> = {
  COMPLETED: '✓',
  RUNNING: '●',
  FAILED: '✕',
  INTERRUPTED: '■',
  TIMEOUT: '◔',
  QUEUED: '◷',
  UNREADABLE: '⚠',
  'PROBABLY DEAD': '☠',
};

/** Status as icon + word; unreadable and probably-dead runs look different from healthy ones. */
export function StatusBadge({
  run,
}: {
  run: Pick<RunSummary, 'status' | 'probablyDead' | 'unreadable'>;
}) {
  const status = displayStatus(run);
  const title =
    run.unreadable !== null
      ? `Unreadable: ${run.unreadable}`
      : run.probablyDead
        ? 'Status is RUNNING, but the run has not sent a heartbeat for a long time: the process probably died.'
        : undefined;
  const cls = `status status-${status.toLowerCase().replace(/[^a-z]+/gu, '-')}`;
  return (
    <span className={cls} title={title}>
      <span className="status-icon" aria-hidden="true">
        {icons[status] ?? '•'}
      </span>
      {status === 'PROBABLY DEAD' ? 'probably dead' : status}
    </span>
  );
}
