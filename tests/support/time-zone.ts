import { afterAll, beforeAll, expect } from 'vitest';

/**
 * Runs the tests of the calling file (or describe block) with the process in `zone`, whatever
 * zone the machine has: CI runs in UTC, where code that reads a time in the local zone instead
 * of UTC (or the other way round) gives the same answer. Node re-reads process.env.TZ when it is
 * set, and the check below makes sure it did, so a test cannot pass for being left in UTC.
 * `offsetMinutes` is the zone's getTimezoneOffset() at the epoch (Asia/Tokyo: -540).
 */
export function inTimeZone(zone: string, offsetMinutes: number): void {
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.TZ;
    process.env.TZ = zone;
    expect(new Date(0).getTimezoneOffset(), `the process did not switch to ${zone}`).toBe(
      offsetMinutes,
    );
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  });
}
