import { availableParallelism } from 'node:os';
import type { SyncSummary } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import type { SyncProgress } from '../../../shared/events';
import type { CacheStore } from '../cache/cache-store';
import { KEPT_COPY_NOTE, hasReadableCopy, noteKeptCopy } from '../cache/run-retry-store';
import { deferCheckpoints } from '../cache/sync-checkpoints';
import { widenPageCacheForSync } from '../cache/sync-page-cache';
import { allowedFoldersOf } from '../files/allowed-folders';
import { FolderReadContext } from '../folder/folder-read-context';
import type { ParsedRun, RunDirEntry } from '../folder/parsed-run';
import { readOrExplain } from '../folder/read-or-explain';
import type { ReadRunDirOptions } from '../folder/read-run-dir';
import { RunReaderPool } from '../folder/run-reader-pool';
import { RunReaderWorker } from '../folder/run-reader-worker';
import { scanRunDirs } from '../folder/scan-run-dirs';
import { RunWriteBatch } from './run-write-batch';
import { SyncMeter } from './sync-meter';
import { stopSignal } from './stop-signal';
import { stoppedError } from './sync-stop';

export interface SyncFolderOptions {
  store: CacheStore;
  source: string;
  onProgress?: (progress: SyncProgress) => void;
  /** Checked between runs; when it returns true the sync stops with what it has written. */
  shouldStop?: () => boolean;
  /** Checked with shouldStop: the user cancelled, so the error (and lastError) says so. */
  isCancelled?: () => boolean;
  /** Runs inside each run's transaction after its rows are written (fault injection). */
  beforeCommitRun?: (runId: string) => void;
  /** Runs written per transaction at most (default: RUNS_PER_COMMIT in a big sync, else 1). */
  runsPerCommit?: number;
  now?: () => number;
  /** Reads one run directory; tests put a read that never ends here. Default: the reader. */
  readRun?: (
    folder: string,
    entry: RunDirEntry,
    options: ReadRunDirOptions,
  ) => Promise<ParsedRun | null>;
  /**
   * Changed runs from which a worker thread reads them (read-run-worker.ts) while this thread
   * writes; tests set 0 or Infinity. Not used with `readRun`.
   */
  readWorkerFrom?: number;
  /** Starts one read worker; tests hand one that fails. Default: RunReaderWorker.start. */
  startReadWorker?: typeof RunReaderWorker.start;
  /** How many read workers to start (default: READ_WORKERS). */
  readWorkers?: number;
  /** Runs asked of the read workers at once (default: WORKER_READ_CONCURRENCY). */
  readsAhead?: number;
}

/** Run directories read at once: overlaps file I/O, while parsing stays on one thread. */
const READ_CONCURRENCY = 4;

/**
 * With a read worker, more runs are asked for at once, so that the worker has the next ones
 * read while this thread writes (a read runs in the worker from the moment it is asked for).
 * As many as a batch of writes holds (RUNS_PER_COMMIT): while this thread writes a batch (and
 * the checkpoint its commit may run) the worker must not run out of runs to read. With 8 the
 * worker sat idle 1.6–2.3 s of a 2k-run first sync's ~6 s, with 64 0.5 s (its start-up and
 * the end), and the sync's wall fell ~20 % (issue 13, docs/performance.md, 2026-12-06).
 */
const WORKER_READ_CONCURRENCY = 64;

/**
 * From this many changed runs a first or big sync reads in a worker thread: starting one costs
 * tens of ms (more from source), which a few runs do not repay.
 */
const READ_WORKER_FROM = 32;

/**
 * Read workers of a big sync: one per core beyond this thread's, at most two. Reading a run
 * (files, parsing, compressing its output) costs about as much CPU as writing it here, so on
 * two cores this thread and one worker already keep both busy (a second one measured no
 * faster and cost its start-up); with more cores two workers share the reading.
 */
const READ_WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1));

/**
 * Runs per transaction in a big sync (from READ_WORKER_FROM changed runs; a small one commits
 * each run as it comes). A 2k-run first sync (issue 13, load 11): the core's thread 2.4–2.9 s
 * CPU against 3.0–3.5 s one run per transaction, 390–410 MB written against 470 MB.
 */
const RUNS_PER_COMMIT = 64;

/**
 * Brings the cache of one folder source up to date: re-reads only run directories whose
 * fingerprint changed, drops runs whose directory vanished, and writes the runs in batches
 * (run-write-batch.ts), whole runs to a transaction (a failed batch is written again run by
 * run), so a sync killed at any point leaves every cached run whole.
 */
export async function syncFolderSource(options: SyncFolderOptions): Promise<SyncSummary> {
  const { store, source: name } = options;
  const source = store.getSource(name);
  if (source === null) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
  if (!store.tryBeginSync(name)) {
    throw new AltarError('SYNC_IN_PROGRESS', `Source "${name}" is already being synced.`);
  }
  const started = performance.now();
  const meter = new SyncMeter(name, options.onProgress);
  const stopping = (): boolean =>
    options.shouldStop?.() === true || options.isCancelled?.() === true;
  let restoreWriteSettings = (): void => undefined;
  try {
    meter.scanning();
    const entries = await scan(source.location);
    const cached = store.runFingerprints(name);
    const present = new Set(entries.map((entry) => entry.id));
    const changed = entries.filter((entry) => cached.get(entry.id) !== entry.fingerprint);

    let removed = 0;
    for (const runId of cached.keys()) {
      if (!present.has(runId) && store.deleteRun(name, runId)) removed++;
    }

    const counts = { added: 0, updated: 0, unreadable: 0, kept: 0 };
    const allowedFolders = allowedFoldersOf(store.database, source);
    const readOptions: ReadRunDirOptions = {
      allowedFolders,
      source: name,
      // Worked out once for every run of this sync (real folder paths, shared _sources files).
      context: new FolderReadContext(allowedFolders),
    };
    meter.startReading(changed.length);
    if (changed.length > 0) {
      const restoreCheckpointPace = deferCheckpoints(store.database);
      const restorePageCache = widenPageCacheForSync(store.database);
      restoreWriteSettings = () => {
        restoreCheckpointPace();
        restorePageCache();
      };
    }
    const stop = stopSignal(stopping);
    const startWorker = options.startReadWorker ?? RunReaderWorker.start;
    const workerCount = Math.max(1, options.readWorkers ?? READ_WORKERS);
    const wantsWorker =
      options.readRun === undefined &&
      changed.length >= (options.readWorkerFrom ?? READ_WORKER_FROM);
    const worker = wantsWorker
      ? RunReaderPool.start(workerCount, () => startWorker({ allowedFolders, source: name }))
      : null;
    const fellBack = fallbackWarning(name);
    if (wantsWorker && worker === null) fellBack('no worker thread can start here');
    const readRun =
      options.readRun ??
      (worker === null
        ? readOrExplain
        : (folder: string, entry: RunDirEntry, read: ReadRunDirOptions) =>
            // Workers that failed (or never started) leave the run to this thread's reader.
            worker.read(folder, entry).catch((error: unknown) => {
              if (worker.closed) return null;
              fellBack(error);
              return readOrExplain(folder, entry, read);
            }));
    const concurrency =
      worker === null ? READ_CONCURRENCY : (options.readsAhead ?? WORKER_READ_CONCURRENCY);
    const batch = new RunWriteBatch({
      store,
      source: name,
      maxRuns: options.runsPerCommit ?? (changed.length >= READ_WORKER_FROM ? RUNS_PER_COMMIT : 1),
      ...(options.beforeCommitRun === undefined
        ? {}
        : { beforeCommitRun: options.beforeCommitRun }),
      stopped: () => stopping() || store.isClosed,
      onWritten: (run, written) => {
        if (written.replaced) counts.updated++;
        else counts.added++;
        if (run.unreadable !== null) counts.unreadable++;
        meter.points += written.points;
        meter.done++;
      },
    });
    await forEachLimited(changed, concurrency, async (entry) => {
      if (stopping()) return;
      meter.reading(entry.id);
      const run = await stop.race(readRun(source.location, entry, readOptions));
      if (run !== null && !stopping() && keepsGoodCopy(store, name, run)) {
        // Sacred was rewriting a file: the good copy stays, and since its fingerprint is the
        // old one, the next sync reads the run again.
        counts.kept++;
      } else if (run !== null && !stopping()) {
        batch.add(entry, run);
        return; // counted once written
      }
      meter.done++;
    })
      .then(
        () => batch.flush(),
        (error: unknown) => {
          try {
            batch.flush(); // the runs already read are written, as they were before the failure
          } catch {
            // The first failure is the one reported.
          }
          throw error;
        },
      )
      .finally(() => {
        batch.drop();
        stop.dispose();
        worker?.close();
      });
    if (stopping()) throw stoppedError(name, options.isCancelled?.() === true);

    store.recordSyncSuccess(name, new Date((options.now ?? Date.now)()).toISOString());
    const summary: SyncSummary = {
      source: name,
      added: counts.added,
      updated: counts.updated,
      removed,
      unchanged: entries.length - changed.length,
      unreadable: counts.unreadable,
      points: meter.points,
      seconds: (performance.now() - started) / 1000,
      ...(counts.kept > 0 ? { keptHalfWritten: counts.kept } : {}),
    };
    meter.finished();
    return summary;
  } catch (error) {
    const failure = asAltarError(error, name);
    if (!store.isClosed) store.recordSyncError(name, failure.message);
    meter.failed(failure.message);
    throw failure;
  } finally {
    if (!store.isClosed) restoreWriteSettings();
    store.endSync(name);
  }
}

async function scan(folder: string): Promise<RunDirEntry[]> {
  try {
    return await scanRunDirs(folder);
  } catch (error) {
    if (error instanceof AltarError) throw error;
    throw new AltarError(
      'SOURCE_UNAVAILABLE',
      `Cannot read the folder ${folder}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * A read that found half-written files (Sacred rewrites run.json, config.json and metrics.json
 * in place) does not replace a readable cached copy: the copy stays with a note saying so.
 */
function keepsGoodCopy(store: CacheStore, source: string, run: ParsedRun): boolean {
  const halfWritten = run.halfWritten ?? [];
  if (halfWritten.length === 0 || !hasReadableCopy(store.database, source, run.id)) return false;
  noteKeptCopy(
    store.database,
    source,
    run.id,
    `${halfWritten.join('; ')}: half-written, as while Sacred rewrites it; ${KEPT_COPY_NOTE} ` +
      'until it reads whole (read again at the next sync)',
  );
  return true;
}

/**
 * The fallback reads every run, but slower and on the thread that answers the window: said
 * once a sync in the log, so that a worker missing from a package, or one that dies, shows.
 */
function fallbackWarning(source: string): (reason: unknown) => void {
  let warned = false;
  return (reason) => {
    if (warned) return;
    warned = true;
    console.warn(
      `altar-viewer: the sync of "${source}" reads its run folders on the main thread, ` +
        'their read worker failed:',
      reason instanceof Error ? reason.message : reason,
    );
  };
}

function asAltarError(error: unknown, source: string): AltarError {
  if (error instanceof AltarError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new AltarError('INTERNAL', `The sync of "${source}" failed: ${detail}`);
}

/** Runs `work` over the items, at most `limit` at a time; the first failure stops the rest. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  // Every worker is awaited before reporting, so nothing writes after the sync has ended.
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
