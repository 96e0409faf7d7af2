import type { RunDetail } from '../../../shared/contract';
import { formatDuration } from '../model/format';
import { runDurationMs } from '../model/run-values';
import { LocalTime } from './LocalTime';
import { StatusBadge } from './StatusBadge';

/** The facts a user scans first: status, when, how long, where, what command. */
export function RunHeader({ run }: { run: RunDetail }) {
  const running = run.status === 'RUNNING' && run.stop_time === null;
  return (
    <header className="run-header-panel">
      <div className="run-title">
        <StatusBadge run={run} />
        <h2>
          Run {run.id}
          {run.experiment !== null && <span className="run-experiment"> · {run.experiment}</span>}
        </h2>
      </div>
      <dl className="facts">
        <dt>Started</dt>
        <dd>
          <LocalTime iso={run.start_time} />
        </dd>
        <dt>{running ? 'Last heartbeat' : 'Stopped'}</dt>
        <dd>
          <LocalTime iso={running ? run.heartbeat : run.stop_time} />
        </dd>
        <dt>Duration</dt>
        <dd>{formatDuration(runDurationMs(run)) || '—'}</dd>
        <dt>Host</dt>
        <dd>{run.host ?? '—'}</dd>
        <dt>Command</dt>
        <dd>
          <code>{run.command ?? '—'}</code>
        </dd>
        {run.comment !== null && run.comment !== '' && (
          <>
            <dt>Comment</dt>
            <dd>{run.comment}</dd>
          </>
        )}
        {run.tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd>
              {run.tags.map((tag) => (
                <span className="tag" key={tag}>
                  {tag}
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>
      {run.unreadable !== null && (
        <div className="unreadable-box" role="alert">
          <strong>This run could not be read completely.</strong> {run.unreadable}
        </div>
      )}
      {run.probablyDead && (
        <div className="dead-box">
          The status says RUNNING, but no heartbeat arrived for a long time: the process probably
          died without telling Sacred (killed, out of memory, node lost).
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
