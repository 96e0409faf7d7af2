import { describe, expect, it } from 'vitest';
import { sacredTimeToIso } from '../../main/core/folder/sacred-time';

// Sacred writes naive UTC times, but run files edited or written by other tools carry a zone.
// A zone is applied when it is well formed; anything else makes the time unreadable (shown as
// none, with a warning) rather than shifted by a guess. Expected instants worked out by hand.
describe('a zone after a Sacred time', () => {
  it('reads z in lower case, +HH, +HHMM and +HH:MM, including a zero hour', () => {
    expect(sacredTimeToIso('2026-11-26T21:32:02z')).toBe('2026-11-26T21:32:02.000Z');
    expect(sacredTimeToIso('2026-11-26T21:32:02+02')).toBe('2026-11-26T19:32:02.000Z');
    expect(sacredTimeToIso('2026-11-26T21:32:02-0330')).toBe('2026-11-27T01:02:02.000Z');
    expect(sacredTimeToIso('2026-11-26T21:32:02+00:30')).toBe('2026-11-26T21:02:02.000Z');
  });

  it('makes the time unreadable when the zone is malformed, instead of guessing an offset', () => {
    for (const text of [
      '2026-11-26T21:32:02X',
      '2026-11-26T21:32:02Zulu',
      '2026-11-26T21:32:02Q12',
      '2026-11-26T21:32:02+ab:00',
      '2026-11-26T21:32:02+02:xx',
      '2026-11-26T21:32:02+02-00',
      '2026-11-26T21:32:02+0',
      '2026-11-26T21:32:02+02:000',
    ]) {
      expect(sacredTimeToIso(text), text).toBeNull();
    }
  });
});
