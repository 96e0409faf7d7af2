import { describe, expect, it } from 'vitest';
import {
  sacredTimeBytesToMs,
  sacredTimeToIso,
  sacredTimeToMs,
  unreadableTimeWarnings,
} from '../../main/core/folder/sacred-time';

// The edges of every field of a Sacred time: a time one past a limit is refused (shown as none,
// with a warning) and the limit itself is read, never shifted. Expected instants are written out
// by hand as ISO strings.

/** The bytes reader on `text` with other bytes around it, as in a metrics.json chunk. */
function inBytes(text: string): number | undefined {
  const bytes = Buffer.from(`[1, "${text}", 2]`, 'utf8');
  const start = 5;
  return sacredTimeBytesToMs(bytes, start, start + Buffer.byteLength(text));
}

describe('the limits of each field of a Sacred time', () => {
  const read = [
    ['2026-01-01T00:00:00', '2026-01-01T00:00:00.000Z'],
    ['2026-12-31T23:59:59', '2026-12-31T23:59:59.000Z'],
    ['2026-11-30T23:59:60', '2026-12-01T00:00:00.000Z'], // a leap second rolls over
    ['2026-09-09T09:09:09', '2026-09-09T09:09:09.000Z'],
  ] as const;

  it('reads the first and last value of every field, in text and in bytes', () => {
    for (const [text, iso] of read) {
      expect(sacredTimeToIso(text), text).toBe(iso);
      expect(inBytes(text), text).toBe(Date.parse(iso));
    }
  });

  it('keeps the microseconds in both readers alike', () => {
    const text = '2026-11-26T21:32:02.123456';
    const ms = Date.parse('2026-11-26T21:32:02.123Z') + 0.456;
    expect(sacredTimeToMs(text)).toBeCloseTo(ms, 6);
    expect(inBytes(text)).toBeCloseTo(ms, 6);
    expect(sacredTimeToMs('2026-11-26T21:32:02.1234567899')).toBeCloseTo(
      Date.parse('2026-11-26T21:32:02.123Z') + 0.456789,
      6,
    );
    expect(inBytes('2026-11-26T21:32:02.1234567899')).toBeCloseTo(
      Date.parse('2026-11-26T21:32:02.123Z') + 0.456789,
      6,
    );
  });

  it('refuses one past each limit, in text and in bytes', () => {
    for (const text of [
      '2026-00-10T10:10:10',
      '2026-13-10T10:10:10',
      '2026-10-00T10:10:10',
      '2026-10-32T10:10:10',
      '2026-10-10T24:10:10',
      '2026-10-10T10:60:10',
      '2026-10-10T10:10:61',
      '2026-1a-10T10:10:10',
      '2026-10-1aT10:10:10',
      '20a6-10-10T10:10:10',
      '2026-10-10T1a:10:10',
      '2026-10-10T10:1a:10',
      '2026-10-10T10:10:1a',
      '2026/10/10T10:10:10',
      '2026-10/10T10:10:10',
      '2026-10-10X10:10:10',
      '2026-10-10T10.10:10',
      '2026-10-10T10:10.10',
      '2026-10-10T10:10:10.5.',
      '2026-10-10T10:10:10x5',
    ]) {
      expect(sacredTimeToIso(text), text).toBeNull();
      expect(inBytes(text), text).toBeUndefined();
    }
    // Digits just outside 0-9 on either side (a slash is "0" - 1, a colon "9" + 1).
    for (const text of ['2026-1/-10T10:10:10', '2026-1:-10T10:10:10', '2026-10-10T10:10:1/']) {
      expect(sacredTimeToIso(text), text).toBeNull();
      expect(inBytes(text), text).toBeUndefined();
    }
  });

  it('refuses a year whose century is not two digits, in bytes as in text', () => {
    // The bytes reader reads the year as century * 100 + the rest: a bad century digit must not
    // turn a point's time into year -74 where the text reader gives none.
    for (const text of [
      '/026-10-10T10:10:10',
      'x026-10-10T10:10:10',
      '-026-10-10T10:10:10',
      '2/26-10-10T10:10:10',
      '2:26-10-10T10:10:10',
    ]) {
      expect(sacredTimeToIso(text), text).toBeNull();
      expect(inBytes(text), text).toBeUndefined();
    }
  });

  it('reads a date without a time as its midnight, and refuses a cut-off time', () => {
    expect(sacredTimeToIso('2026-11-26')).toBe('2026-11-26T00:00:00.000Z');
    expect(sacredTimeToIso('2026-11-2')).toBeNull();
    expect(sacredTimeToIso('2026-11-26T')).toBeNull();
    expect(sacredTimeToIso('2026-11-26T21:3')).toBeNull();
    expect(sacredTimeToIso('2026-11-26T21:32')).toBe('2026-11-26T21:32:00.000Z');
    expect(sacredTimeToIso('2026-11-26T21:32:0')).toBeNull();
    expect(sacredTimeToIso('2026-11-26T21:32Z')).toBe('2026-11-26T21:32:00.000Z');
    expect(sacredTimeToIso('  2026-11-26T21:32:02  ')).toBe('2026-11-26T21:32:02.000Z');
    expect(sacredTimeToIso('2026-11-26T21:32:02,25')).toBe('2026-11-26T21:32:02.250Z');
    expect(sacredTimeToIso('2026-11-26T21:32:02.25Z')).toBe('2026-11-26T21:32:02.250Z');
  });

  it('refuses a Date that holds no time', () => {
    expect(sacredTimeToIso(new Date(NaN))).toBeNull();
    expect(sacredTimeToIso(new Date(8.64e15 + 1))).toBeNull();
  });

  it('names each written time that cannot be read, and only those', () => {
    expect(
      unreadableTimeWarnings({
        start_time: '2026-11-26T21:32:02',
        stop_time: null,
        heartbeat: 'x'.repeat(100),
      }),
    ).toEqual([`heartbeat "${'x'.repeat(59)} is not a readable time (shown as none)`]);
    expect(unreadableTimeWarnings({ start_time: 5, heartbeat: undefined })).toEqual([
      'start_time 5 is not a readable time (shown as none)',
    ]);
    expect(unreadableTimeWarnings({})).toEqual([]);
  });
});

describe('the bytes reader on short and odd slices', () => {
  it('leaves shapes without seconds, or a bare dot, to the text reader', () => {
    expect(inBytes('2026-11-26T21:32:0')).toBeUndefined();
    expect(inBytes('2026-11-26T21:32:02.')).toBeUndefined();
    expect(inBytes('2026-11-26T21:32:02,')).toBeUndefined();
    expect(inBytes('2026-11-26T21:32:02,5')).toBe(Date.parse('2026-11-26T21:32:02.500Z'));
  });

  it('reads a time at the very start and end of the buffer', () => {
    const bytes = Buffer.from('2026-11-26T21:32:02.25');
    expect(sacredTimeBytesToMs(bytes, 0, bytes.length)).toBe(
      Date.parse('2026-11-26T21:32:02.250Z'),
    );
  });

  it('gives the right day for times that alternate between days', () => {
    const days = ['2026-11-26', '2026-11-27', '2025-11-26', '2026-10-26', '2026-11-26'];
    for (const day of days) {
      expect(inBytes(`${day}T12:00:00`), day).toBe(Date.parse(`${day}T12:00:00.000Z`));
    }
  });
});
