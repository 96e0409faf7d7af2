import type { RunDetail } from '../../../../shared/contract';
import { formatDuration } from '../../model/format';
import { isLive, liveDurationMs } from '../../model/live-duration';
import { runDurationMs } from '../../model/run-values';
import { useNow } from '../../hooks/use-now';
import { LocalTime } from '../common/LocalTime';
import { CopyRunLink } from './CopyRunLink';
import { StatusBadge } from '../common/StatusBadge';

/** The run's name line, and what went wrong reading it: always visible above the tabs. */
export function RunHeader({ run }: { run: RunDetail }) {
  const live = isLive(run.status, run.probablyDead);
  const now = useNow(live);
  // A live run's clock runs to now; a stopped (or dead) one's ends at its stop or last heartbeat.
  const duration = formatDuration(
    live ? liveDurationMs(run.start_time, null, now, now) : runDurationMs(run),
  );
  return (
    <header className="run-header-panel">
      <div className="run-title">
        <StatusBadge run={run} />
        <h2>
          Run {run.id}
          {run.experiment !== null && <span className="run-experiment"> · {run.experiment}</span>}
        </h2>
        <span className="muted">
          <LocalTime iso={run.start_time} />
          {duration !== '' && (
            <>
              {' · '}
              <span data-testid="run-duration">{duration}</span>
            </>
          )}
          {run.host !== null && ` · ${run.host}`}
        </span>
        <CopyRunLink source={run.source} id={run.id} />
      </div>
      {run.unreadable !== null && (
        <div className="unreadable-box" role="alert">
          <strong>This run could not be read completely.</strong> {run.unreadable}
        </div>
      )}
      {run.warnings.length > 0 && (
        <ul className="warnings">
          {run.warnings.map((warning, index) => (
            <li key={index}>⚠ {warning}</li>
          ))}
        </ul>
      )}
    </header>
  );
}
