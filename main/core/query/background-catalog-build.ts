import type { Database as SqliteDatabase } from 'better-sqlite3';
import { startCatalogBuildThread } from './catalog-build-thread';
import { countCatalogInSnapshot, openCatalogReader } from './catalog-snapshot-count';
import { ColumnCatalog } from './column-catalog';
import {
  catalogOf,
  clearCatalogMarker,
  hasReadyCatalog,
  markCatalogBuilding,
} from './column-catalog-store';

/**
 * Runs counted between two yields to the event loop: ~15 ms of work on an idle 2-core machine
 * (500 made queries sent meanwhile wait up to 0.9 s under a load average of 20), so a query
 * arriving meanwhile waits at most that long.
 */
export const RUNS_PER_SLICE = 200;

export interface CatalogBuildHooks {
  /**
   * Tests only: awaited after each slice, so a test can hold a build half-way. With this or
   * `runsPerSlice`, the build runs in slices on the caller's thread, not on its own.
   */
  afterSlice?: (countedRuns: number) => Promise<void>;
  /** Tests only: smaller slices, so a few runs make several. */
  runsPerSlice?: number;
  /** Tests only: a thread that fails to start or dies. Default: startCatalogBuildThread. */
  startThread?: typeof startCatalogBuildThread;
}

/**
 * Builds the column catalog of sources that have none (the first open of the column picker, or
 * right after a first sync) without blocking the thread: the runs are read from a read snapshot
 * on a second, read-only connection, on a worker thread (catalog-build-thread.ts), or where
 * none can start, here in slices with a yield to the event loop between them, so other calls
 * (a runs query, a sync) are answered meanwhile. The catalog row is marked as being built
 * first, so that every write after the snapshot is logged and replayed when the catalog is
 * stored (column-catalog-store.ts). One build per source at a time.
 */
export class BackgroundCatalogBuild {
  private readonly running = new Map<string, Promise<void>>();
  /**
   * The builds run one after another: a build's counting state is its memory peak, and two
   * sources built at once held both (the picker waits for all of them either way).
   */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private stopThread: (() => void) | null = null;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly hooks: CatalogBuildHooks = {},
  ) {}

  /** Resolves once every one of `sources` has a catalog to read (or is gone). */
  async ensure(sources: readonly string[]): Promise<void> {
    await Promise.all(sources.map((source) => this.ensureOne(source)));
  }

  /** Stops between two slices; the marker is cleared so the next start builds again. */
  close(): void {
    this.closed = true;
    this.stopThread?.();
  }

  private ensureOne(source: string): Promise<void> {
    if (this.closed || this.db.memory || hasReadyCatalog(this.db, source)) {
      return Promise.resolve();
    }
    let build = this.running.get(source);
    if (build === undefined) {
      build = this.queue
        .catch(() => undefined)
        .then(() => (this.closed ? undefined : this.build(source)))
        .finally(() => this.running.delete(source));
      this.queue = build;
      this.running.set(source, build);
    }
    return build;
  }

  private async build(source: string): Promise<void> {
    const version = markCatalogBuilding(this.db, source);
    // A marker left by a process that stopped mid-build: listColumns' own build replaces it.
    if (version === null) return;
    let built: ColumnCatalog | null = null;
    try {
      const onThread = this.hooks.afterSlice === undefined && this.hooks.runsPerSlice === undefined;
      const answer = onThread ? await this.buildOnThread(source, version) : undefined;
      built = answer === undefined ? await this.buildInSlices(source, version) : answer;
    } finally {
      if (this.db.open) {
        // Stored with the changes logged since the marker; without a build (stopped, or a write
        // raced the marker), the marker goes so that the next ask builds again.
        if (built !== null) catalogOf(this.db, source, undefined, built);
        else clearCatalogMarker(this.db, source);
      }
    }
  }

  /**
   * The build on its own thread (catalog-build-thread.ts): nothing of it on this one but
   * parsing the answer. Undefined when no thread could run it (then it is built in slices).
   */
  private async buildOnThread(
    source: string,
    version: number,
  ): Promise<ColumnCatalog | null | undefined> {
    const start = this.hooks.startThread ?? startCatalogBuildThread;
    const thread = start({ file: this.db.name, source, version });
    if (thread === null) {
      warnBuildOnMainThread('no worker thread can start here');
      return undefined;
    }
    this.stopThread = () => thread.stop();
    try {
      const body = await thread.answer;
      if (body === null || this.closed) return null;
      const catalog = ColumnCatalog.fromJson(body);
      if (catalog === null) warnBuildOnMainThread('its answer was not a catalog');
      return catalog ?? undefined;
    } catch (error) {
      if (this.closed) return null;
      warnBuildOnMainThread(error);
      return undefined;
    } finally {
      this.stopThread = null;
    }
  }

  /** The build on this thread, in slices with a yield to the event loop between them. */
  private async buildInSlices(source: string, version: number): Promise<ColumnCatalog | null> {
    const reader = openCatalogReader(this.db.name);
    try {
      // The snapshot starts with the version's read: a write between the marker and it would be
      // both in the snapshot and in the change log.
      reader.exec('BEGIN');
      const counting = countCatalogInSnapshot(
        reader,
        source,
        version,
        this.hooks.runsPerSlice ?? RUNS_PER_SLICE,
      );
      let step = counting.next();
      while (step.done !== true) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        await this.hooks.afterSlice?.(step.value);
        if (this.closed) break;
        step = counting.next();
      }
      reader.exec('COMMIT');
      return step.done === true ? step.value : null;
    } finally {
      reader.close();
    }
  }
}

/**
 * The fallback works, but slower and on the thread that answers the window: said in the log
 * so that a worker missing from a package, or one that cannot load SQLite, shows.
 */
function warnBuildOnMainThread(reason: unknown): void {
  console.warn(
    'altar-viewer: the column catalog is built on the main thread, its own thread failed:',
    reason instanceof Error ? reason.message : reason,
  );
}
