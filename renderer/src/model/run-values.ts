import type { RunSummary } from '../../../shared/contract';

function parseTime(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * How long a run ran: until its stop time, or for a run that has not stopped, until its last
 * heartbeat (a dead run's "now" would grow forever). Null without a start.
 */
export function runDurationMs(
  run: Pick<RunSummary, 'start_time' | 'stop_time' | 'heartbeat'>,
): number | null {
  const start = parseTime(run.start_time);
  const end = parseTime(run.stop_time) ?? parseTime(run.heartbeat);
  if (start === null || end === null) return null;
  return Math.max(0, end - start);
}

/** The status word a user should read: unreadable and probably-dead runs are called out. */
export function displayStatus(
  run: Pick<RunSummary, 'status' | 'probablyDead' | 'unreadable'>,
): string {
  if (run.unreadable !== null) return 'UNREADABLE';
  if (run.probablyDead) return 'PROBABLY DEAD';
  return run.status;
}

/** Case-insensitive quick filter over id, experiment, status and comment. */
export function matchesQuickFilter(run: RunSummary, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (needle === '') return true;
  return [
    run.id,
    run.experiment ?? '',
    run.status,
    displayStatus(run),
    run.comment ?? '',
    run.source,
  ].some((field) => field.toLowerCase().includes(needle));
}

export function runKeyString(run: { source: string; id: string }): string {
  return `${run.source}\u0000${run.id}`;
}
