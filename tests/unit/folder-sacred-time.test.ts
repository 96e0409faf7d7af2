import { describe, expect, it } from 'vitest';
import {
  sacredTimeBytesToMs,
  sacredTimeToIso,
  sacredTimeToMs,
} from '../../main/core/folder/sacred-time';

describe('sacredTimeToMs', () => {
  it('reads naive isoformat strings as UTC, with or without the fraction', () => {
    const second = Date.UTC(2026, 10, 26, 21, 32, 2);
    expect(sacredTimeToMs('2026-11-26T21:32:02.437988')).toBeCloseTo(second + 437.988, 3);
    expect(sacredTimeToMs('2026-11-26T21:32:02')).toBe(second);
    expect(sacredTimeToMs('2026-11-26T21:32:02.5')).toBe(second + 500);
    expect(sacredTimeToMs('2026-11-26 21:32:02.000999')).toBeCloseTo(second + 0.999, 3);
  });

  it('keeps microseconds: 1000 points logged over 4 ms stay 1000 distinct, evenly spaced times', () => {
    const times = Array.from({ length: 1000 }, (_, i) =>
      sacredTimeToMs(`2026-11-26T21:32:02.${String(100_000 + i * 4).padStart(6, '0')}`),
    );
    expect(new Set(times).size).toBe(1000);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] as number) - (times[i - 1] as number)).toBeCloseTo(0.004, 3);
    }
  });

  it('honours a Z or an offset when one is there', () => {
    expect(sacredTimeToMs('2026-11-26T21:32:02.437Z')).toBe(Date.UTC(2026, 10, 26, 21, 32, 2, 437));
    expect(sacredTimeToMs('2026-11-26T21:32:02+02:00')).toBe(Date.UTC(2026, 10, 26, 19, 32, 2));
    expect(sacredTimeToMs('2026-11-26T21:32:02.100-0130')).toBe(
      Date.UTC(2026, 10, 26, 23, 2, 2, 100),
    );
  });

  it('agrees with Date.parse of the same string with Z appended, to the millisecond', () => {
    for (const text of [
      '1999-12-31T23:59:59.999999',
      '2024-02-29T00:00:00',
      '2030-06-15T12:34:56.123456',
    ]) {
      expect(Math.floor(sacredTimeToMs(text))).toBe(Date.parse(`${text.slice(0, 23)}Z`));
    }
  });

  it('returns NaN for what is not a time', () => {
    for (const text of [
      '',
      'yesterday',
      '2026-13-01T00:00:00',
      '2026-11-26T25:00:00',
      '2026-11-26T21:32:02.',
      '2026-11-26T21:32:02 junk',
    ]) {
      expect(sacredTimeToMs(text), text).toBeNaN();
    }
  });
});

describe('sacredTimeBytesToMs (the metrics reader, straight from the bytes)', () => {
  /** The bytes of `text` with other bytes around it, as in a metrics.json chunk. */
  const inBytes = (text: string) => {
    const bytes = Buffer.from(`,"${text}"]`, 'utf8');
    return sacredTimeBytesToMs(bytes, 2, bytes.length - 2);
  };

  it('gives exactly what sacredTimeToMs gives for the shapes Sacred writes', () => {
    const shapes = [
      '2026-11-26T21:32:02.437988',
      '2026-11-26T21:32:02',
      '2026-11-26 21:32:02.5',
      '2026-11-26t00:00:00,000999',
      '2026-02-31T23:59:60.999999999999',
      '1999-12-31T23:59:59.1',
      '0099-01-01T00:00:00.000001',
      '2026-11-27T00:00:00.000001', // the next day after the one before: no stale day
    ];
    for (const text of shapes) expect(inBytes(text)).toBe(sacredTimeToMs(text));
  });

  it('leaves every other shape to the text reader (undefined), never a wrong time', () => {
    for (const text of [
      '2026-11-26T21:32:02Z',
      '2026-11-26T21:32:02.1+02:00',
      '2026-11-26T21:32',
      '2026-11-26',
      '2026-13-26T21:32:02',
      '2026-11-26T24:32:02',
      '2026-11-26T21:32:02.',
      '2026-11-26T21:32:02.12x',
      '２026-11-26T21:32:02',
      ' 2026-11-26T21:32:02',
      'not a time at all, but long',
    ]) {
      expect(inBytes(text)).toBeUndefined();
    }
  });
});

describe('sacredTimeToIso', () => {
  it('turns a Sacred time into ISO with a trailing Z', () => {
    expect(sacredTimeToIso('2026-11-26T21:32:02.430553')).toBe('2026-11-26T21:32:02.430Z');
    expect(sacredTimeToIso('2026-11-26T21:32:02')).toBe('2026-11-26T21:32:02.000Z');
    expect(sacredTimeToIso('2026-11-26T21:32:02Z')).toBe('2026-11-26T21:32:02.000Z');
    expect(sacredTimeToIso('2026-11-26T23:32:02+02:00')).toBe('2026-11-26T21:32:02.000Z');
    expect(sacredTimeToIso(new Date(Date.UTC(2020, 0, 1)))).toBe('2020-01-01T00:00:00.000Z');
  });

  it('returns null when there is no usable time', () => {
    expect(sacredTimeToIso(undefined)).toBeNull();
    expect(sacredTimeToIso(null)).toBeNull();
    expect(sacredTimeToIso(12345)).toBeNull();
    expect(sacredTimeToIso('not a time')).toBeNull();
    expect(sacredTimeToIso({ 'py/object': 'datetime.datetime' })).toBeNull();
  });
});
