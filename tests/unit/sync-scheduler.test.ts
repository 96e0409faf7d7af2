import { describe, expect, it } from 'vitest';
import { RETRY_MAX_MS, SyncScheduler, retryDelayMs } from '../../main/core/sync/sync-scheduler';
import type {
  ScheduleSettings,
  ScheduledSource,
  SchedulerTimers,
} from '../../main/core/sync/sync-scheduler';
import { AltarError } from '../../shared/errors';

/** Timers moved by hand: advance() fires what is due, in order, letting jobs settle between. */
class FakeTimers implements SchedulerTimers {
  time = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  now = (): number => this.time;

  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, callback });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  get timerCount(): number {
    return this.pending.size;
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = [...this.pending.entries()]
        .filter(([, timer]) => timer.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.pending.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = end;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

interface Harness {
  timers: FakeTimers;
  scheduler: SyncScheduler;
  log: string[];
  settings: ScheduleSettings;
  sources: ScheduledSource[];
  failSync: Set<string>;
  failLive: Set<string>;
  syncing: Set<string>;
}

function harness(): Harness {
  const timers = new FakeTimers();
  const h = {
    timers,
    log: [] as string[],
    settings: { backgroundSyncMinutes: 5, liveRefreshSeconds: 5 } as ScheduleSettings,
    sources: [
      { name: 'lab', kind: 'mongo' },
      { name: 'disk', kind: 'folder' },
    ] as ScheduledSource[],
    failSync: new Set<string>(),
    failLive: new Set<string>(),
    syncing: new Set<string>(),
  } as Harness;
  const offline = (name: string) =>
    new AltarError('CONNECTION_FAILED', `Connection refused by ${name}`);
  h.scheduler = new SyncScheduler({
    timers,
    settings: () => h.settings,
    sources: () => h.sources,
    isSyncing: (name) => h.syncing.has(name),
    sync: async (name) => {
      h.log.push(`${timers.time / 1000}s sync ${name}`);
      if (h.failSync.has(name)) throw offline(name);
    },
    refreshLive: async (name) => {
      h.log.push(`${timers.time / 1000}s live ${name}`);
      if (h.failLive.has(name)) throw offline(name);
    },
  });
  return h;
}

describe('the sync scheduler', () => {
  it('syncs every source soon after start, then every N minutes, and refreshes live runs of MongoDB sources', async () => {
    const h = harness();
    h.scheduler.start();
    await h.timers.advance(1000);
    expect(h.log).toEqual(['1s sync lab', '1s sync disk', '1s live lab']);
    h.log.length = 0;
    await h.timers.advance(15_000);
    expect(h.log).toEqual(['6s live lab', '11s live lab', '16s live lab']);
    h.log.length = 0;
    await h.timers.advance(5 * 60_000);
    expect(h.log.filter((line) => line.includes('sync'))).toEqual([
      '301s sync lab',
      '301s sync disk',
    ]);
    // No refresh for a folder source: a sync reads it whole.
    expect(h.log.some((line) => line.includes('live disk'))).toBe(false);
    await h.scheduler.stop();
  });

  it('retries an unreachable source with exponential backoff, without live refreshes', async () => {
    const h = harness();
    h.sources = [{ name: 'lab', kind: 'mongo' }];
    h.failSync.add('lab');
    h.scheduler.start();
    await h.timers.advance(1000 + 5000 + 10_000 + 20_000 + 40_000);
    expect(h.log).toEqual([
      '1s sync lab',
      '6s sync lab',
      '16s sync lab',
      '36s sync lab',
      '76s sync lab',
    ]);
    expect(h.scheduler.failures('lab')).toBe(5);
    expect(h.scheduler.nextSyncAt('lab')).toBe(76_000 + 80_000);

    // Back online: the retry succeeds, live refreshes resume, syncs return to every 5 min.
    h.failSync.clear();
    h.log.length = 0;
    await h.timers.advance(80_000 + 9_000);
    expect(h.log).toEqual(['156s sync lab', '156s live lab', '161s live lab']);
    expect(h.scheduler.failures('lab')).toBe(0);
    expect(h.scheduler.nextSyncAt('lab')).toBe(156_000 + 300_000);
    await h.scheduler.stop();
  });

  it('caps the backoff', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(30)).toBe(RETRY_MAX_MS);
    expect(RETRY_MAX_MS).toBe(5 * 60_000);
  });

  it('marks a source offline when a live refresh loses the server, and retries by sync', async () => {
    const h = harness();
    h.sources = [{ name: 'lab', kind: 'mongo' }];
    h.scheduler.start();
    await h.timers.advance(1000);
    h.failLive.add('lab');
    h.failSync.add('lab');
    h.log.length = 0;
    await h.timers.advance(5000 + 5000 + 10_000);
    expect(h.log).toEqual(['6s live lab', '11s sync lab', '21s sync lab']);
    expect(h.scheduler.failures('lab')).toBe(3);
    await h.scheduler.stop();
  });

  it('applies changed settings at once, and 0 minutes turns background syncs off', async () => {
    const h = harness();
    h.sources = [{ name: 'disk', kind: 'folder' }];
    h.scheduler.start();
    await h.timers.advance(1000);
    h.settings = { backgroundSyncMinutes: 1, liveRefreshSeconds: 5 };
    h.scheduler.poke();
    await h.timers.advance(60_000);
    expect(h.log).toEqual(['1s sync disk', '61s sync disk']);
    h.settings = { backgroundSyncMinutes: 0, liveRefreshSeconds: 5 };
    h.scheduler.poke();
    await h.timers.advance(60 * 60_000);
    expect(h.log).toEqual(['1s sync disk', '61s sync disk']);
    expect(h.timers.timerCount).toBe(0);
    await h.scheduler.stop();
  });

  it('leaves a source alone while the user syncs it, and counts the outcome of that sync', async () => {
    const h = harness();
    h.sources = [{ name: 'lab', kind: 'mongo' }];
    h.syncing.add('lab');
    h.scheduler.start();
    await h.timers.advance(1000);
    expect(h.log.some((line) => line.includes('sync'))).toBe(false);
    h.syncing.delete('lab');
    h.scheduler.noteSyncResult('lab', new AltarError('TIMEOUT', 'No answer'));
    expect(h.scheduler.failures('lab')).toBe(1);
    h.scheduler.noteSyncResult('lab', null);
    expect(h.scheduler.failures('lab')).toBe(0);
    await h.scheduler.stop();
  });

  it('syncs a source added while running at the normal interval (its add already synced it)', async () => {
    const h = harness();
    h.sources = [];
    h.scheduler.start();
    await h.timers.advance(10_000);
    h.sources = [{ name: 'new', kind: 'folder' }];
    h.scheduler.poke();
    await h.timers.advance(5 * 60_000 - 1);
    expect(h.log).toEqual([]);
    await h.timers.advance(1);
    expect(h.log).toEqual(['310s sync new']);
    await h.scheduler.stop();
  });

  it('starts nothing after stop', async () => {
    const h = harness();
    h.scheduler.start();
    await h.scheduler.stop();
    await h.timers.advance(60 * 60_000);
    expect(h.log).toEqual([]);
    expect(h.timers.timerCount).toBe(0);
  });
});
