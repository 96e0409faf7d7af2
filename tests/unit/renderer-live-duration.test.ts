import { describe, expect, it } from 'vitest';
import { isLive, liveDurationMs } from '../../renderer/src/model/live-duration';

describe('a running run’s duration so far', () => {
  it('is live only while RUNNING and not probably dead', () => {
    expect(isLive('RUNNING', false)).toBe(true);
    expect(isLive('RUNNING', true)).toBe(false);
    expect(isLive('COMPLETED', false)).toBe(false);
  });

  it('counts from the start time to now, so it grows as time passes', () => {
    const start = '2026-01-01T10:00:00.000Z';
    const t0 = Date.parse(start);
    expect(liveDurationMs(start, 5, 0, t0 + 90_000)).toBe(90_000);
    expect(liveDurationMs(start, 5, 0, t0 + 91_000)).toBe(91_000);
  });

  it('without a start, adds the time since the row was seen to the stored duration', () => {
    expect(liveDurationMs(undefined, 60, 1_000, 4_000)).toBe(63_000);
    expect(liveDurationMs('not a date', 60, 1_000, 1_000)).toBe(60_000);
  });

  it('is unknown with neither, and never negative', () => {
    expect(liveDurationMs(null, null, 0, 10)).toBeNull();
    expect(liveDurationMs('2026-01-01T10:00:00Z', null, 0, 0)).toBe(0);
  });
});
