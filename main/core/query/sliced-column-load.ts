import type { Database } from 'better-sqlite3';
import type { ColumnPath } from '../../../shared/filter';
import { Column } from './column';
import {
  ROOT_COLUMNS,
  SUMMARY_COLUMNS,
  SUMMARY_FIELDS,
  loadColumn,
  readJsonPathsPacked,
  readSummaryPacked,
  sqlJsonPath,
} from './column-loaders';
import type { RowRange } from './column-loaders';
import type { SourceSegment } from './source-segment';

/**
 * How long one slice should take: the engine loads columns in idle steps, and a call that
 * arrives during a step waits for it (a whole column of 70k runs took 50–250 ms on the loaded
 * machine; the column picker's other call waited 83 ms against 19 ms alone).
 */
const SLICE_MS = 8;
const FIRST_ROWS = 2048;
const MIN_ROWS = 256;
const MAX_ROWS = 65_536;

type ReadRange = (db: Database, columns: readonly Column[], range: RowRange) => boolean;

/** A column to load in the same pass as another (SlicedColumnLoad.of's `together`). */
export interface ColumnToLoad {
  readonly id: string;
  readonly path: ColumnPath;
}

/**
 * Whole columns of one segment loaded a slice of rows at a time (run_id ranges of the same
 * packed reads a whole load makes, column-loaders.ts), so that no idle step holds the thread
 * for long; each set in `segment.columns` once the last slice is read, with the values, and
 * the dictionary codes in the order, a whole load gives. Paths under the same JSON root are
 * read together, in one pass over run_json per slice (a pass reads each run's whole row, so
 * the restarted table's five config columns loaded in a third of the time). A slice whose
 * rows do not match (another process wrote) or that SQLite cannot pack ends the load with
 * whole loads, which handle every case as before.
 */
export class SlicedColumnLoad {
  private readonly columns: Column[];
  private next = 0;
  private rows: number;

  private constructor(
    private readonly segment: SourceSegment,
    /** The columns loaded, in the order readRange fills them. */
    readonly loading: readonly ColumnToLoad[],
    private readonly readRange: ReadRange,
  ) {
    this.columns = loading.map(() => new Column(segment.length));
    // The first slice sized for its columns, before any slice's time is known (one pass for
    // five paths took ~1.7× one path's).
    this.rows = Math.max(MIN_ROWS, Math.round((FIRST_ROWS * 2) / (loading.length + 1)));
  }

  /**
   * A sliced load of the column, with the columns of `together` that can share its pass (the
   * same JSON root, not loaded yet), or null when it has no sliced read (built-in columns,
   * means of the last points, paths SQLite cannot say) or the segment is not a whole
   * source's.
   */
  static of(
    segment: SourceSegment,
    id: string,
    path: ColumnPath,
    together: readonly ColumnToLoad[] = [],
  ): SlicedColumnLoad | null {
    if (segment.only !== null || segment.length === 0) return null;
    const [root, ...keys] = path as [string, ...string[]];
    if (root === 'metrics' && keys.length === 2) {
      const field = SUMMARY_FIELDS.indexOf(keys[1] as string);
      if (field < 0) return null;
      const name = keys[0] as string;
      const sqlColumn = SUMMARY_COLUMNS[field] as string;
      return new SlicedColumnLoad(segment, [{ id, path }], (db, [column], range) =>
        readSummaryPacked(db, segment, name, sqlColumn, column as Column, range),
      );
    }
    const jsonPath = sqlJsonPath(keys);
    if (keys.length === 0 || ROOT_COLUMNS[root] === undefined || jsonPath === null) return null;
    const loading = [{ id, path }];
    const jsonPaths = [jsonPath];
    for (const other of together) {
      const [otherRoot, ...otherKeys] = other.path as [string, ...string[]];
      const otherPath = sqlJsonPath(otherKeys);
      if (otherRoot !== root || otherKeys.length === 0 || otherPath === null) continue;
      if (segment.columns.has(other.id) || loading.some((each) => each.id === other.id)) continue;
      loading.push(other);
      jsonPaths.push(otherPath);
    }
    return new SlicedColumnLoad(segment, loading, (db, columns, range) =>
      readJsonPathsPacked(db, segment, root, jsonPaths, columns, range),
    );
  }

  /**
   * Reads the next slice (`rows` of them, else as many as take about SLICE_MS; with `rest`,
   * every row left); true once the columns are loaded.
   */
  step(db: Database, rows: number | null, rest = false): boolean {
    if (this.loading.every(({ id }) => this.segment.columns.has(id))) return true;
    const n = this.segment.length;
    const from = this.next;
    const to = rest ? n : Math.min(n, from + (rows ?? this.rows));
    const started = performance.now();
    if (!this.readRange(db, this.columns, { from, to })) {
      for (const { id, path } of this.loading) loadColumn(db, this.segment, id, path);
      return true;
    }
    // The next slice sized by this one's time (the machine's load varies), growing 4× at most.
    const read = to - from;
    const wanted = (read * SLICE_MS) / Math.max(performance.now() - started, 0.5);
    this.rows = Math.round(Math.min(MAX_ROWS, Math.max(MIN_ROWS, Math.min(wanted, read * 4))));
    this.next = to;
    if (to < n) return false;
    this.loading.forEach(({ id }, k) => {
      // A column loaded meanwhile by another way (config.tags beside meta.comment) is kept.
      if (this.segment.columns.has(id)) return;
      const column = this.columns[k] as Column;
      column.dropLookup();
      this.segment.columns.set(id, column);
    });
    return true;
  }
}
