/** End states of generated runs, with the shares from SACRED_FORMAT.md §5. */
export type StatusKind =
  | 'COMPLETED'
  | 'FAILED'
  | 'INTERRUPTED'
  | 'RUNNING_STALE'
  | 'RUNNING_FRESH'
  | 'QUEUED'
  | 'TIMEOUT'
  | 'PREEMPTED';

export const statusMix: readonly (readonly [StatusKind, number])[] = [
  ['COMPLETED', 60],
  ['FAILED', 15],
  ['INTERRUPTED', 7],
  ['RUNNING_STALE', 6],
  ['RUNNING_FRESH', 2],
  ['QUEUED', 5],
  ['TIMEOUT', 2],
  // A custom SacredInterrupt subclass sets its own STATUS string.
  ['PREEMPTED', 3],
];

/** The status string Sacred writes to run.json for each kind. */
export function statusString(kind: StatusKind): string {
  return kind === 'RUNNING_STALE' || kind === 'RUNNING_FRESH' ? 'RUNNING' : kind;
}
