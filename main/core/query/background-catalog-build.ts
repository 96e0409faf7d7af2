import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { ColumnCatalog, CATALOG_BUILTINS } from './column-catalog';
import {
  catalogOf,
  clearCatalogMarker,
  countRunSlice,
  hasReadyCatalog,
  markCatalogBuilding,
  sourceVersion,
} from './column-catalog-store';

/**
 * Runs counted between two yields to the event loop: ~15 ms of work on an idle 2-core machine
 * (500 made queries sent meanwhile wait up to 0.9 s under a load average of 20), so a query
 * arriving meanwhile waits at most that long.
 */
export const RUNS_PER_SLICE = 200;

export interface CatalogBuildHooks {
  /** Tests only: awaited after each slice, so a test can hold a build half-way. */
  afterSlice?: (countedRuns: number) => Promise<void>;
  /** Tests only: smaller slices, so a few runs make several. */
  runsPerSlice?: number;
}

/**
 * Builds the column catalog of sources that have none (the first open of the column picker, or
 * right after a first sync) without blocking the thread: the runs are read in slices from a
 * read snapshot on a second, read-only connection, yielding to the event loop between slices,
 * so other calls (a runs query, a sync) are answered meanwhile. The catalog row is marked as
 * being built first, so that every write after the snapshot is logged and replayed when the
 * catalog is stored (column-catalog-store.ts). One build per source at a time.
 */
export class BackgroundCatalogBuild {
  private readonly running = new Map<string, Promise<void>>();
  /**
   * The builds run one after another: a build's counting state is its memory peak, and two
   * sources built at once held both (the picker waits for all of them either way).
   */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

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
    let reader: SqliteDatabase | null = null;
    let built: ColumnCatalog | null = null;
    try {
      reader = new Database(this.db.name, { readonly: true, fileMustExist: true });
      reader.pragma('busy_timeout = 5000');
      reader.pragma('cache_size = -1000');
      reader.exec('BEGIN');
      // The snapshot starts with this read: a write between the marker and it would be both in
      // the snapshot and in the change log.
      if (sourceVersion(reader, source) === version) {
        const catalog = ColumnCatalog.building();
        for (const name of CATALOG_BUILTINS) catalog.entry([name], 'builtin', name);
        let after: string | null = '';
        let counted = 0;
        const slice = this.hooks.runsPerSlice ?? RUNS_PER_SLICE;
        while (after !== null && !this.closed) {
          after = countRunSlice(reader, catalog, source, after, slice);
          if (after !== null) counted += slice;
          await new Promise<void>((resolve) => setImmediate(resolve));
          await this.hooks.afterSlice?.(counted);
        }
        if (after === null) {
          catalog.finishBuild();
          built = catalog;
        }
      }
      reader.exec('COMMIT');
    } finally {
      reader?.close();
      if (this.db.open) {
        // Stored with the changes logged since the marker; without a build (stopped, or a write
        // raced the marker), the marker goes so that the next ask builds again.
        if (built !== null) catalogOf(this.db, source, undefined, built);
        else clearCatalogMarker(this.db, source);
      }
    }
  }
}
