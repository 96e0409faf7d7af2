import type { Database } from 'better-sqlite3';
import type { ColumnPath } from '../../../shared/filter';
import type { Column } from './column';
import { StaleSegmentError, loadColumn } from './column-loaders';
import { SourceSegment } from './source-segment';

/**
 * The in-memory side of the run table: one segment per source, rebuilt when the source's
 * version (bumped by triggers on every write, see run-table-migration.ts) moves. Columns are
 * built on first use and kept until then.
 */
export class RunIndex {
  private readonly segments = new Map<string, SourceSegment>();

  constructor(private readonly db: Database) {}

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
      const segment = SourceSegment.load(this.db, source, version);
      this.segments.set(source, segment);
      return segment;
    });
  }

  /**
   * The column of `path` in `segment`; when the rows changed under the loader (another
   * process wrote), reloads the segment once and says so by returning the new one.
   */
  column(segment: SourceSegment, id: string, path: ColumnPath): Column {
    try {
      return loadColumn(this.db, segment, id, path);
    } catch (error) {
      if (!(error instanceof StaleSegmentError)) throw error;
      this.segments.delete(segment.source);
      throw error;
    }
  }

  /** Forgets every segment (tests; a cache file replaced under us). */
  clear(): void {
    this.segments.clear();
  }
}
