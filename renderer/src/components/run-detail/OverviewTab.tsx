import { useEffect, useState } from 'react';
import type { JsonValue, RunDetail } from '../../../../shared/contract';
import { deadExplanation } from '../../model/dead-explanation';
import { exceptionLine } from '../../model/exception-line';
import { formatDuration } from '../../model/format';
import { runDurationMs } from '../../model/run-values';
import { DataTree } from '../common/DataTree';
import { LocalTime } from '../common/LocalTime';
import { RunAnnotations } from './RunAnnotations';
import { StatusBadge } from '../common/StatusBadge';

/**
 * "Notes" (shown and edited by RunAnnotations above the facts) means what the table's Notes column shows: Omniboard's `omniboard.notes`, else
 * `meta.comment` (the readers store that as the run's comment). `info.notes` is an info key
 * like any other, shown in the Info tab.
 */
function notesOf(run: RunDetail): string | null {
  return run.comment !== null && run.comment.trim() !== '' ? run.comment : null;
}

/** `meta.comment` (the table's Comment column) when it is not what Notes already shows. */
function separateComment(run: RunDetail, notes: string | null): string | null {
  const comment = run.meta.comment;
  return typeof comment === 'string' && comment.trim() !== '' && comment !== notes ? comment : null;
}

function isScalar(value: JsonValue): boolean {
  return value === null || typeof value !== 'object';
}

/** Re-renders every 30 s so "no heartbeat for …" keeps counting while the tab is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The facts a user scans first, and why a RUNNING run is probably dead. */
export function OverviewTab({ run }: { run: RunDetail }) {
  const now = useNow();
  const dead = deadExplanation(run, now);
  const running = run.status === 'RUNNING' && run.stop_time === null;
  const notes = notesOf(run);
  const comment = separateComment(run, notes);
  const duration = formatDuration(runDurationMs(run));
  const exception = exceptionLine(run.failTrace);
  return (
    <div className="overview-tab" data-testid="overview">
      <RunAnnotations run={run} />
      {dead !== null && (
        <div className="dead-box" data-testid="dead-explanation">
          <strong>Probably dead.</strong> {dead}. The process most likely ended without telling
          Sacred (killed, out of memory, machine lost); a dropped observer can still write the final
          status later.
        </div>
      )}
      {exception !== null && (
        <div className="exception-box" role="note" data-testid="overview-exception">
          <strong>Failed with</strong> <code>{exception}</code>{' '}
          <span className="muted">(full traceback in the Fail trace tab)</span>
        </div>
      )}
      <dl className="facts overview-facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge run={run} />
        </dd>
        <dt>Started</dt>
        <dd>
          <LocalTime iso={run.start_time} />
        </dd>
        <dt>{running ? 'Last heartbeat' : 'Stopped'}</dt>
        <dd>
          <LocalTime iso={running ? run.heartbeat : run.stop_time} />
        </dd>
        {!running && run.heartbeat !== null && (
          <>
            <dt>Last heartbeat</dt>
            <dd>
              <LocalTime iso={run.heartbeat} />
            </dd>
          </>
        )}
        <dt>Duration</dt>
        <dd>
          {duration === '' ? <span className="muted">—</span> : duration}
          {running && duration !== '' && <span className="muted"> (until the last heartbeat)</span>}
        </dd>
        <dt>Host</dt>
        <dd>{run.host ?? <span className="muted">—</span>}</dd>
        <dt>Experiment</dt>
        <dd>{run.experiment ?? <span className="muted">—</span>}</dd>
        <dt>Command</dt>
        <dd>
          {run.command === null ? <span className="muted">—</span> : <code>{run.command}</code>}
        </dd>
        {comment !== null && (
          <>
            <dt>Comment</dt>
            <dd>{comment}</dd>
          </>
        )}
        <dt>Metrics</dt>
        <dd>
          {run.metrics.length === 0 ? <span className="muted">none</span> : run.metrics.length}
        </dd>
        <dt>Artifacts</dt>
        <dd>
          {run.artifacts.length === 0 ? <span className="muted">none</span> : run.artifacts.length}
        </dd>
      </dl>
      <h3>Result</h3>
      {run.result === null ? (
        <p className="muted">
          {run.status === 'COMPLETED'
            ? 'The run returned None.'
            : running || run.status === 'QUEUED'
              ? 'No result yet.'
              : 'No result was recorded.'}
        </p>
      ) : isScalar(run.result) ? (
        <DataTree data={run.result} searchable={false} testId="result-tree" />
      ) : (
        <DataTree data={run.result} testId="result-tree" />
      )}
    </div>
  );
}
