import type { SyncSummary } from '../../../shared/contract';
import { isAltarError } from '../../../shared/errors';
import type { SyncProgress } from '../../../shared/events';
import type { CacheStore } from '../cache/cache-store';
import type { EventBus } from '../event-bus';
import { FinishedRunWatch, RunningRuns, versionOf } from './finished-runs';
import type { RefreshLiveResult } from './refresh-live-runs';
import { SyncScheduler } from './sync-scheduler';
import type { ScheduleSettings, SchedulerTimers } from './sync-scheduler';

/** What a sync function of one source kind takes from the core. */
export interface SyncHooks {
  store: CacheStore;
  source: string;
  now: () => number;
  shouldStop: () => boolean;
  isCancelled: () => boolean;
  onProgress: (progress: SyncProgress) => void;
}

export interface SyncControlDeps {
  store: CacheStore;
  bus: EventBus;
  now: () => number;
  /** The sync of one source, by its kind (folder or mongo). */
  syncSource: (hooks: SyncHooks) => Promise<SyncSummary>;
  refreshLive: (source: string) => Promise<RefreshLiveResult>;
  isClosing: () => boolean;
  /** The core's bookkeeping of running work, so close() waits for it. */
  track: <T>(promise: Promise<T>) => Promise<T>;
  /** Start the scheduler (hosts that live long); default off. */
  background?: boolean;
  settings: () => ScheduleSettings;
  timers?: SchedulerTimers;
}

export interface SyncControl {
  syncOne(name: string): Promise<SyncSummary>;
  /** Asks the running sync of a source to stop between two runs; false when none runs. */
  cancel(name: string): { cancelled: boolean };
  refreshLive(name: string): Promise<RefreshLiveResult>;
  /** Settings or sources changed: the scheduler looks again. */
  poke(): void;
  stop(): Promise<void>;
}

/**
 * Every sync of the core goes through here: the user's, the CLI's and the scheduler's. It
 * cancels on request, tells the UI what changed (`sourcesChanged`, `runsChanged`), and keeps
 * the scheduler informed so that a source found offline is retried with backoff.
 */
export function createSyncControl(deps: SyncControlDeps): SyncControl {
  const { store, bus } = deps;
  const cancelRequested = new Set<string>();

  const syncOne = (name: string): Promise<SyncSummary> => {
    // A request left over from an earlier sync must not stop this one.
    if (!store.isSyncing(name)) cancelRequested.delete(name);
    // Not while another sync of it runs: that one reports, and this one will be refused.
    let watch = store.isSyncing(name) ? null : watchFinished(name);
    // Whether the sync wrote a run, told by the source's run counter (every write to its runs
    // moves it): a sync that wrote nothing (the retries of an unreachable folder, a periodic
    // sync with nothing new) tells the window its sources changed but not its rows, so the
    // window does not ask its pages again (issue 13: after a restart that re-ask held up the
    // first sort on the thread that answers the window).
    const versionBefore = store.isClosed ? null : versionOf(store.database, name);
    const wroteRuns = (): boolean =>
      store.isClosed || versionOf(store.database, name) !== versionBefore;
    const work = deps.syncSource({
      store,
      source: name,
      now: deps.now,
      shouldStop: deps.isClosing,
      isCancelled: () => cancelRequested.has(name),
      onProgress: (progress) => bus.emit('syncProgress', progress),
    });
    return deps
      .track(work)
      .then(
        (summary) => {
          scheduler?.noteSyncResult(name, null);
          if (summary.added + summary.updated + summary.removed > 0 && !deps.isClosing()) {
            bus.emit('runsChanged', { source: name, runIds: null });
          }
          return summary;
        },
        (error: unknown) => {
          // Two syncs at once: the first one's outcome is what counts.
          if (isAltarError(error) && error.code === 'SYNC_IN_PROGRESS') {
            watch = null;
          } else {
            scheduler?.noteSyncResult(name, error);
            // Runs written before the failure (a lost connection, a cancel) are shown.
            if (!deps.isClosing() && wroteRuns()) {
              bus.emit('runsChanged', { source: name, runIds: null });
            }
          }
          throw error;
        },
      )
      .finally(() => {
        if (store.isSyncing(name) === false) cancelRequested.delete(name);
        if (!deps.isClosing())
          bus.emit('sourcesChanged', wroteRuns() ? {} : { runsUnchanged: true });
        reportFinished(watch);
      });
  };

  /** The RUNNING runs of a source now, to tell afterwards which of them finished. */
  const running = new RunningRuns();
  const watchFinished = (name: string): FinishedRunWatch | null =>
    store.isClosed ? null : new FinishedRunWatch(store.database, name, running);

  const reportFinished = (watch: FinishedRunWatch | null): void => {
    if (watch === null || deps.isClosing() || store.isClosed) return;
    for (const run of watch.finished()) bus.emit('runFinished', run);
  };

  const refreshLive = async (name: string): Promise<RefreshLiveResult> => {
    const watch = watchFinished(name);
    try {
      const result = await deps.track(deps.refreshLive(name));
      if (result.changed.length > 0 && !deps.isClosing()) {
        bus.emit('runsChanged', { source: name, runIds: result.changed });
        reportFinished(watch);
      }
      return result;
    } catch (error) {
      if (!deps.isClosing() && !store.isClosed && store.getSource(name) !== null) {
        // Lost while in use: the source says why, and shows offline.
        const message = isAltarError(error) ? error.message : String(error);
        store.recordSyncError(name, message);
        bus.emit('sourcesChanged', {});
      }
      throw error;
    }
  };

  const scheduler =
    deps.background === true
      ? new SyncScheduler({
          timers: deps.timers,
          settings: deps.settings,
          sources: () =>
            store.isClosed
              ? []
              : store.listSources().map((row) => ({ name: row.name, kind: row.kind })),
          isSyncing: (name) => store.isSyncing(name),
          sync: syncOne,
          refreshLive,
        })
      : null;
  scheduler?.start();

  return {
    syncOne,
    cancel(name) {
      if (!store.isSyncing(name)) return { cancelled: false };
      cancelRequested.add(name);
      return { cancelled: true };
    },
    refreshLive,
    poke: () => scheduler?.poke(),
    stop: async () => {
      await scheduler?.stop();
    },
  };
}
