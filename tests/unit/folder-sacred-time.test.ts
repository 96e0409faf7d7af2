import { describe, expect, it } from 'vitest';
import { sacredTimeToIso, sacredTimeToMs } from '../../main/core/folder/sacred-time';

describe('sacredTimeToMs', () => {
  it('reads naive isoformat strings as UTC, with or without the fraction', () => {
    expect(sacredTimeToMs('2026-11-26T21:32:02.437988')).toBe(
      Date.UTC(2026, 10, 26, 21, 32, 2, 437),
    );
    expect(sacredTimeToMs('2026-11-26T21:32:02')).toBe(Date.UTC(2026, 10, 26, 21, 32, 2));
    expect(sacredTimeToMs('2026-11-26T21:32:02.5')).toBe(Date.UTC(2026, 10, 26, 21, 32, 2, 500));
    expect(sacredTimeToMs('2026-11-26 21:32:02.000999')).toBe(Date.UTC(2026, 10, 26, 21, 32, 2, 0));
  });

  it('honours a Z or an offset when one is there', () => {
    expect(sacredTimeToMs('2026-11-26T21:32:02.437Z')).toBe(Date.UTC(2026, 10, 26, 21, 32, 2, 437));
    expect(sacredTimeToMs('2026-11-26T21:32:02+02:00')).toBe(Date.UTC(2026, 10, 26, 19, 32, 2));
    expect(sacredTimeToMs('2026-11-26T21:32:02.100-0130')).toBe(
      Date.UTC(2026, 10, 26, 23, 2, 2, 100),
    );
  });

  it('agrees with Date.parse of the same string with Z appended', () => {
    for (const text of [
      '1999-12-31T23:59:59.999999',
      '2024-02-29T00:00:00',
      '2030-06-15T12:34:56.123456',
    ]) {
      expect(sacredTimeToMs(text)).toBe(Date.parse(`${text.slice(0, 23)}Z`));
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
