import { describe, expect, it } from 'vitest';
import { beatIntervalSeconds, deadAfterMs, isProbablyDead } from '../../shared/probably-dead';

// The rule of SACRED_FORMAT.md §6, with the numbers worked out by hand: a RUNNING run is
// probably dead when now − (heartbeat ?? start_time) is greater than max(120 s, 6 × the beat
// interval); the interval is meta.options["--beat-interval"] (0.8) or ["--beat_interval"] (0.7),
// a string, 10 s when absent or unusable.
const NOW = Date.parse('2026-03-01T12:00:00.000Z');

function running(heartbeat: string | null, startTime: string | null, beatIntervalS = 10) {
  return { status: 'RUNNING', heartbeat, startTime, beatIntervalS };
}

describe('the beat interval a run was started with', () => {
  it('is read from either spelling, as Sacred writes it (a string) or as a number', () => {
    expect(beatIntervalSeconds({ '--beat-interval': '0.5' })).toBe(0.5);
    expect(beatIntervalSeconds({ '--beat_interval': '30' })).toBe(30);
    expect(beatIntervalSeconds({ '--beat-interval': 45 })).toBe(45);
  });

  it('is 10 s when the options are missing or the value is not a positive number', () => {
    for (const options of [
      null,
      undefined,
      'not an object',
      {},
      { '--beat-interval': 'soon' },
      { '--beat-interval': '0' },
      { '--beat-interval': '-5' },
      { '--beat-interval': true },
      { '--beat-interval': null },
      { '--beat-interval': 'Infinity' },
    ]) {
      expect(beatIntervalSeconds(options), JSON.stringify(options)).toBe(10);
    }
  });
});

describe('when a RUNNING run counts as probably dead', () => {
  it('waits 120 s for the usual 10 s beat, and six beats for a slow one', () => {
    expect(deadAfterMs(10)).toBe(120_000);
    expect(deadAfterMs(0.5)).toBe(120_000);
    expect(deadAfterMs(60)).toBe(360_000);
  });

  it('is alive at exactly the limit and dead just past it', () => {
    const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
    expect(isProbablyDead(running(at(120_000), null), NOW)).toBe(false);
    expect(isProbablyDead(running(at(120_001), null), NOW)).toBe(true);
    expect(isProbablyDead(running(at(300_000), null, 60), NOW)).toBe(false);
    expect(isProbablyDead(running(at(360_001), null, 60), NOW)).toBe(true);
  });

  it('counts from the start when no beat came yet', () => {
    const longAgo = '2026-03-01T11:00:00.000Z';
    const justNow = '2026-03-01T11:59:50.000Z';
    expect(isProbablyDead(running(null, longAgo), NOW)).toBe(true);
    expect(isProbablyDead(running(null, justNow), NOW)).toBe(false);
    // A recent beat wins over an old start.
    expect(isProbablyDead(running(justNow, longAgo), NOW)).toBe(false);
  });

  it('never calls a run dead without a time to judge by', () => {
    expect(isProbablyDead(running(null, null), NOW)).toBe(false);
    expect(isProbablyDead(running('not a date', null), NOW)).toBe(false);
  });

  it('never calls a run dead that is not RUNNING', () => {
    for (const status of ['COMPLETED', 'FAILED', 'INTERRUPTED', 'QUEUED', 'TIMEOUT']) {
      const run = { ...running('2026-01-01T00:00:00.000Z', null), status };
      expect(isProbablyDead(run, NOW), status).toBe(false);
    }
  });
});
