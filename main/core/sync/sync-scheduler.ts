import { isAltarError } from '../../../shared/errors';

/** The clock and timers of the scheduler, injected so tests can move time by hand. */
export interface SchedulerTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: SchedulerTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending background sync must not keep a process alive that is otherwise done.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ScheduleSettings {
  /** 0: no background syncs. */
  backgroundSyncMinutes: number;
  liveRefreshSeconds: number;
}

export const DEFAULT_SCHEDULE: ScheduleSettings = {
  backgroundSyncMinutes: 5,
  liveRefreshSeconds: 5,
};

/** The first background sync after start: soon, so the sources show whether they answer. */
export const FIRST_SYNC_DELAY_MS = 1000;
/** Retries of an unreachable source: 5 s, 10 s, 20 s, ... at most every 5 minutes. */
export const RETRY_BASE_MS = 5000;
export const RETRY_MAX_MS = 5 * 60_000;

/** Error codes that mean "the server cannot be reached now": retried with backoff. */
const OFFLINE_CODES = new Set([
  'CONNECTION_FAILED',
  'TIMEOUT',
  'SOURCE_UNAVAILABLE',
  'AUTH_FAILED',
  'PASSWORD_REQUIRED',
]);

export interface ScheduledSource {
  name: string;
  kind: 'folder' | 'mongo';
}

export interface SchedulerDeps {
  timers?: SchedulerTimers;
  /** Read before every decision, so a changed setting applies at the next tick. */
  settings: () => ScheduleSettings;
  sources: () => ScheduledSource[];
  isSyncing: (name: string) => boolean;
  /** A background sync of one source; rejects when it fails. */
  sync: (name: string) => Promise<unknown>;
  /** Refreshes the running runs of a MongoDB source; rejects when the server is gone. */
  refreshLive: (name: string) => Promise<unknown>;
}

interface SourceState {
  /** An explicit due time (the first sync after start, a retry); else lastSyncAt + interval. */
  syncDueAt: number | null;
  lastSyncAt: number;
  lastLiveAt: number;
  /** Consecutive failures to reach the source (0: reachable, or not tried yet). */
  failures: number;
  busy: boolean;
}

/**
 * Runs, for hosts that live long (the desktop app, `serve`): a background sync of every
 * source every `backgroundSyncMinutes`, and a refresh of the running runs of MongoDB sources
 * every `liveRefreshSeconds` while they answer. A source that cannot be reached is retried
 * with exponential backoff (capped) and gets no live refresh until it answers again.
 * One job per source at a time; one timer for the whole scheduler. Due times are computed
 * from the settings at every look, so a changed setting applies right away.
 */
export class SyncScheduler {
  private readonly timers: SchedulerTimers;
  private readonly states = new Map<string, SourceState>();
  private readonly running = new Set<Promise<void>>();
  private timer: unknown = null;
  private wakeAt = Infinity;
  private stopped = true;
  private started = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.timers = deps.timers ?? realTimers;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.plan();
    this.started = true;
  }

  /** Stops planning new jobs and waits for the running ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await Promise.allSettled([...this.running]);
  }

  /** Sources or settings changed: look again now. */
  poke(): void {
    this.plan();
  }

  /** A sync ran outside the scheduler (the user's): its outcome counts like one of ours. */
  noteSyncResult(name: string, error: unknown): void {
    const state = this.states.get(name);
    if (state === undefined || this.stopped) return;
    this.afterSync(state, error);
    this.plan();
  }

  /** Consecutive failures to reach the source; 0 when it answered last time. */
  failures(name: string): number {
    return this.states.get(name)?.failures ?? 0;
  }

  /** When the next background sync of the source is due (ms), or null when none is. */
  nextSyncAt(name: string): number | null {
    const state = this.states.get(name);
    if (state === undefined) return null;
    const due = this.syncDue(state);
    return Number.isFinite(due) ? due : null;
  }

  /** Looks at every source, starts the jobs that are due, and sets the timer for the next. */
  private plan(): void {
    if (this.stopped) return;
    const now = this.timers.now();
    const sources = this.deps.sources();
    const names = new Set(sources.map((source) => source.name));
    for (const name of this.states.keys()) if (!names.has(name)) this.states.delete(name);
    let next = Infinity;
    for (const source of sources) {
      let state = this.states.get(source.name);
      if (state === undefined) {
        // At start every source is synced soon; one added later has just been synced.
        state = {
          syncDueAt: this.started ? null : now + FIRST_SYNC_DELAY_MS,
          lastSyncAt: now,
          lastLiveAt: this.started ? now : now - Infinity,
          failures: 0,
          busy: false,
        };
        this.states.set(source.name, state);
      }
      if (state.busy) continue;
      const syncDue = this.syncDue(state);
      if (now >= syncDue) {
        this.startJob(source.name, state, 'sync');
        continue;
      }
      next = Math.min(next, syncDue);
      if (source.kind === 'mongo' && state.failures === 0) {
        // Live refreshes wait for the first sync to tell that the server answers.
        const liveDue = state.syncDueAt !== null ? Infinity : state.lastLiveAt + this.liveMs();
        if (now >= liveDue) {
          this.startJob(source.name, state, 'live');
          continue;
        }
        next = Math.min(next, liveDue);
      }
    }
    this.setTimer(next, now);
  }

  private syncDue(state: SourceState): number {
    if (state.syncDueAt !== null) return state.syncDueAt;
    return state.lastSyncAt + this.syncIntervalMs();
  }

  private startJob(name: string, state: SourceState, kind: 'sync' | 'live'): void {
    state.busy = true;
    const job = (async () => {
      if (kind === 'sync') {
        if (this.deps.isSyncing(name)) {
          // The user's sync is on; ours would be refused. Its outcome arrives by noteSyncResult.
          state.syncDueAt = null;
          state.lastSyncAt = this.timers.now();
          return;
        }
        try {
          await this.deps.sync(name);
          this.afterSync(state, null);
        } catch (error) {
          this.afterSync(state, error);
        }
      } else {
        try {
          await this.deps.refreshLive(name);
        } catch (error) {
          if (isOffline(error)) {
            state.failures = Math.max(1, state.failures);
            state.syncDueAt = this.timers.now() + RETRY_BASE_MS;
          }
        }
        state.lastLiveAt = this.timers.now();
      }
    })().finally(() => {
      state.busy = false;
      this.running.delete(job);
      this.plan();
    });
    this.running.add(job);
  }

  private afterSync(state: SourceState, error: unknown): void {
    const now = this.timers.now();
    if (error === null || !isOffline(error)) {
      // Reached (or failed for a reason a retry will not fix soon): the normal rhythm.
      state.failures = 0;
      state.syncDueAt = null;
      state.lastSyncAt = now;
      return;
    }
    state.failures++;
    state.syncDueAt = now + retryDelayMs(state.failures);
  }

  private syncIntervalMs(): number {
    const minutes = this.deps.settings().backgroundSyncMinutes;
    return minutes > 0 ? minutes * 60_000 : Infinity;
  }

  private liveMs(): number {
    return Math.max(1, this.deps.settings().liveRefreshSeconds) * 1000;
  }

  private setTimer(at: number, now: number): void {
    if (at === this.wakeAt && this.timer !== null) return;
    this.clearTimer();
    if (!Number.isFinite(at)) return;
    this.wakeAt = at;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = null;
        this.wakeAt = Infinity;
        this.plan();
      },
      Math.max(0, at - now),
    );
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.wakeAt = Infinity;
  }
}

/** 5 s, 10 s, 20 s, ... capped at RETRY_MAX_MS. */
export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
}

function isOffline(error: unknown): boolean {
  return isAltarError(error) && OFFLINE_CODES.has(error.code);
}
