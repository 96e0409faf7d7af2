import type { Database } from 'better-sqlite3';
import type { ColumnPath } from '../../../shared/filter';
import type { Column } from './column';
import { preparedStatement } from '../cache/prepared-statement';
import { ChangeLog } from './change-log';
import { StaleSegmentError, loadColumn } from './column-loaders';
import { readPageColumn } from './page-column';
import { refreshSegment } from './refresh-segment';
import { SlicedColumnLoad } from './sliced-column-load';
import type { ColumnToLoad } from './sliced-column-load';
import { SourceSegment } from './source-segment';

/**
 * The in-memory side of the run table: one segment per source, brought up to date when the
 * source's version (bumped by triggers on every write, see run-table-migration.ts) moves:
 * patched when this connection made every write since and knows which runs it wrote (a live
 * refresh, a sync in this process; see change-log.ts), else reloaded whole (another process
 * wrote). Columns are built on first use and kept until then.
 */
export class RunIndex {
  private readonly segments = new Map<string, SourceSegment>();
  /** Each segment's position in the change log. */
  private readonly marks = new Map<string, number>();
  private readonly log: ChangeLog | null;
  /**
   * How the segments were last brought up to date (tests and the benchmark look), and how
   * columns were read: whole (`columnLoads`, a column of one segment) or for a page alone.
   */
  readonly counts = { loads: 0, refreshes: 0, columnLoads: 0, pageReads: 0, slices: 0 };
  /** Rows per slice of a column loaded in steps (tests; null: sized by time). */
  sliceRows: number | null = null;
  /** Columns being loaded in steps (loadColumnSlice), per segment and column id. */
  private readonly sliced = new WeakMap<SourceSegment, Map<string, SlicedColumnLoad>>();

  constructor(private readonly db: Database) {
    this.log = ChangeLog.of(db);
  }

  /** Current versions of every source that has ever had runs. */
  versions(): Map<string, number> {
    const rows = this.db.prepare('SELECT source, version FROM run_versions').raw().all() as [
      string,
      number,
    ][];
    return new Map(rows);
  }

  sourceNames(): string[] {
    return this.db.prepare('SELECT name FROM sources ORDER BY name').pluck().all() as string[];
  }

  /** Segments of these sources, up to date, in the order given. */
  segmentsOf(sources: readonly string[], versions = this.versions()): SourceSegment[] {
    for (const name of this.segments.keys()) {
      if (!versions.has(name)) this.segments.delete(name);
    }
    return sources.map((source) => {
      const version = versions.get(source) ?? 0;
      const current = this.segments.get(source);
      if (current !== undefined && current.version === version) return current;
      const mark = this.log?.mark(source) ?? 0;
      const segment =
        (current === undefined ? null : this.refreshed(current, version, mark)) ??
        this.loaded(source, version);
      this.segments.set(source, segment);
      this.marks.set(source, mark);
      this.log?.forget(source, mark);
      return segment;
    });
  }

  private loaded(source: string, version: number): SourceSegment {
    this.counts.loads++;
    return SourceSegment.load(this.db, source, version);
  }

  /** `current` patched up to `version`, or null when only a reload can tell what changed. */
  private refreshed(current: SourceSegment, version: number, mark: number): SourceSegment | null {
    const since = this.marks.get(current.source);
    if (this.log === null || since === undefined) return null;
    // Moved by more than this connection wrote: another process wrote too.
    if (version - current.version !== mark - since) return null;
    const changed = this.log.since(current.source, since);
    if (changed === null) return null;
    try {
      const segment = refreshSegment(this.db, current, changed, version);
      if (segment !== null) this.counts.refreshes++;
      return segment;
    } catch (error) {
      if (error instanceof StaleSegmentError) return null;
      throw error;
    }
  }

  /**
   * The column of `path` in `segment`; when the rows changed under the loader (another
   * process wrote), reloads the segment once and says so by returning the new one.
   */
  column(segment: SourceSegment, id: string, path: ColumnPath): Column {
    if (segment.columns.has(id)) return segment.columns.get(id) as Column;
    this.counts.columnLoads++;
    // A load in steps under way: the rows left are read now, in one read (for the columns
    // read in the same pass too: they cost little more).
    const loads = this.sliced.get(segment);
    const sliced = loads?.get(id);
    if (loads !== undefined && sliced !== undefined) {
      for (const each of sliced.loading) loads.delete(each.id);
      this.reading(segment, () => sliced.step(this.db, null, true));
    }
    return this.reading(segment, () => loadColumn(this.db, segment, id, path));
  }

  /**
   * One step of loading the column of `path` in `segment` whole, a slice of its rows at a
   * time (sliced-column-load.ts; a column without sliced reads is loaded in this one step),
   * with the columns of `together` that share its pass (when its load starts, those not
   * being loaded already). How many columns this step finished loading (0: not done yet). A
   * call that needs one of them meanwhile (column()) reads the rest.
   */
  loadColumnSlice(
    segment: SourceSegment,
    id: string,
    path: ColumnPath,
    together: readonly ColumnToLoad[] = [],
  ): number {
    if (segment.columns.has(id)) return 1;
    let loads = this.sliced.get(segment);
    if (loads === undefined) this.sliced.set(segment, (loads = new Map()));
    let load = loads.get(id);
    if (load === undefined) {
      const inProgress = loads; // a const, so the closure below keeps its type
      const free = together.filter((other) => !inProgress.has(other.id));
      const created = SlicedColumnLoad.of(segment, id, path, free);
      if (created === null) {
        this.column(segment, id, path);
        return 1;
      }
      load = created;
      for (const each of created.loading) loads.set(each.id, created);
    }
    const started = load;
    this.counts.slices++;
    let done: boolean;
    try {
      done = this.reading(segment, () => started.step(this.db, this.sliceRows));
    } catch (error) {
      for (const each of started.loading) loads.delete(each.id);
      throw error;
    }
    if (!done) return 0;
    for (const each of started.loading) loads.delete(each.id);
    this.counts.columnLoads += started.loading.length;
    return started.loading.length;
  }

  /**
   * The values of `path` for these rows of `segment` alone (slot k: row rows[k]; see
   * page-column.ts), or null when only the whole column can give them.
   */
  pageColumn(segment: SourceSegment, path: ColumnPath, rows: readonly number[]): Column | null {
    const column = this.reading(segment, () => readPageColumn(this.db, segment, path, rows));
    if (column !== null) this.counts.pageReads++;
    return column;
  }

  /** Whether `segment` is still the one kept for its source (no sync replaced it). */
  isCurrent(segment: SourceSegment): boolean {
    return this.segments.get(segment.source) === segment;
  }

  /**
   * Whether `segment` is current and its source has had no write since it was loaded: idle
   * work reads it only then. A read in the middle of a sync (its writes come between awaits)
   * found runs changed under the segment, which then had to be loaded whole again instead of
   * patched with the sync's changes.
   */
  isUpToDate(segment: SourceSegment): boolean {
    // The engine's idle step may come after the core closed the cache.
    if (!this.db.open || !this.isCurrent(segment)) return false;
    const version = preparedStatement(this.db, 'SELECT version FROM run_versions WHERE source = ?')
      .pluck()
      .get(segment.source) as number | undefined;
    return (version ?? 0) === segment.version;
  }

  /** A read of `segment`'s rows; when they changed under it, the segment is loaded anew. */
  private reading<T>(segment: SourceSegment, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof StaleSegmentError)) throw error;
      this.segments.delete(segment.source);
      throw error;
    }
  }

  /** Forgets every segment (tests; a cache file replaced under us). */
  clear(): void {
    this.segments.clear();
    this.marks.clear();
  }
}
