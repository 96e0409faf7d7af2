// Times are stored as UTC and shown in the viewer's own zone: in the UI (renderer/src/model/
// format.ts) and in the CLI table's START column. In UTC (as on CI) a display in UTC would look
// right, so this file runs in Asia/Tokyo (UTC+9, no daylight saving) and expects the Tokyo
// readings, written out by hand.
import { describe, expect, it } from 'vitest';
import { formatStart, renderRunsTable } from '../../main/cli/format/runs-table';
import { formatLocalTime, formatUtcTitle } from '../../renderer/src/model/format';
import { inTimeZone } from '../support/time-zone';
import { fakeRunSummary } from './fake-run-summary';

inTimeZone('Asia/Tokyo', -540);

// 21:32 UTC on 26 November is 06:32 on 27 November in Tokyo: the date changes too.
const LATE_EVENING_UTC = '2026-11-26T21:32:02.430Z';

describe('the UI shows times in the viewer zone', () => {
  it('formats a UTC time as Tokyo local time, date included', () => {
    expect(formatLocalTime(LATE_EVENING_UTC)).toBe('2026-11-27 06:32:02');
    expect(formatLocalTime('2024-01-01T00:00:00Z')).toBe('2024-01-01 09:00:00');
  });

  it('keeps the UTC reading for the title, with its zone named', () => {
    expect(formatUtcTitle(LATE_EVENING_UTC)).toBe('2026-11-26 21:32:02 UTC');
  });

  it('shows nothing for no time and the text itself for an unreadable one', () => {
    expect(formatLocalTime(null)).toBe('');
    expect(formatLocalTime(undefined)).toBe('');
    expect(formatLocalTime('soon')).toBe('soon');
    expect(formatUtcTitle(null)).toBeUndefined();
  });
});

describe('the CLI shows start times in the local zone', () => {
  it('formats START to the minute in Tokyo time', () => {
    expect(formatStart(LATE_EVENING_UTC)).toBe('2026-11-27 06:32');
    expect(formatStart(null)).toBe('');
  });

  it('puts the Tokyo time in the START column of the runs table', () => {
    const text = renderRunsTable(
      [
        fakeRunSummary({
          start_time: LATE_EVENING_UTC,
          stop_time: '2026-11-26T21:33:07.430Z',
        }),
      ],
      200,
    );
    const [header, row] = text.trimEnd().split('\n');
    const start = header?.indexOf('START') ?? -1;
    expect(start).toBeGreaterThan(0);
    expect(row?.slice(start, start + 16)).toBe('2026-11-27 06:32');
    // The duration does not depend on the zone.
    expect(row).toMatch(/1m 05s/u);
  });
});
