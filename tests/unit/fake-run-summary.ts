import type { RunSummary } from '../../shared/contract';

/** A completed run of 1 min 5 s with nothing in it; tests override what they look at. */
export function fakeRunSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    source: 'lab',
    id: '1',
    status: 'COMPLETED',
    probablyDead: false,
    experiment: 'mnist',
    command: 'main',
    start_time: '2024-01-02T00:00:00Z',
    stop_time: '2024-01-02T00:01:05Z',
    heartbeat: null,
    host: 'vm',
    config: {},
    result: null,
    comment: null,
    tags: [],
    metrics: [],
    artifacts: [],
    unreadable: null,
    ...overrides,
  };
}
