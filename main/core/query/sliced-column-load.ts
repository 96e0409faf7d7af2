import type { Database } from 'better-sqlite3';
import type { ColumnPath } from '../../../shared/filter';
import { Column } from './column';
import {
  ROOT_COLUMNS,
  SUMMARY_COLUMNS,
  SUMMARY_FIELDS,
  loadColumn,
  readJsonPathPacked,
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

type ReadRange = (db: Database, column: Column, range: RowRange) => boolean;

/**
 * A whole column of one segment loaded a slice of rows at a time (run_id ranges of the same
 * packed reads a whole load makes, column-loaders.ts), so that no idle step holds the thread
 * for long; set in `segment.columns` once its last slice is read, with the values, and the
 * dictionary codes in the order, a whole load gives. A slice whose rows do not match (another
 * process wrote) or that SQLite cannot pack ends the load with a whole load, which handles
 * every case as before.
 */
export class SlicedColumnLoad {
  private readonly column: Column;
  private next = 0;
  private rows = FIRST_ROWS;

  private constructor(
    private readonly segment: SourceSegment,
    private readonly id: string,
    private readonly path: ColumnPath,
    private readonly readRange: ReadRange,
  ) {
    this.column = new Column(segment.length);
  }

  /**
   * A sliced load of the column, or null when it has no sliced read (built-in columns, means
   * of the last points, paths SQLite cannot say) or the segment is not a whole source's.
   */
  static of(segment: SourceSegment, id: string, path: ColumnPath): SlicedColumnLoad | null {
    if (segment.only !== null || segment.length === 0) return null;
    const [root, ...keys] = path as [string, ...string[]];
    if (root === 'metrics' && keys.length === 2) {
      const field = SUMMARY_FIELDS.indexOf(keys[1] as string);
      if (field < 0) return null;
      const name = keys[0] as string;
      const sqlColumn = SUMMARY_COLUMNS[field] as string;
      return new SlicedColumnLoad(segment, id, path, (db, column, range) =>
        readSummaryPacked(db, segment, name, sqlColumn, column, range),
      );
    }
    const jsonPath = sqlJsonPath(keys);
    if (keys.length === 0 || ROOT_COLUMNS[root] === undefined || jsonPath === null) return null;
    return new SlicedColumnLoad(segment, id, path, (db, column, range) =>
      readJsonPathPacked(db, segment, root, jsonPath, column, range),
    );
  }

  /**
   * Reads the next slice (`rows` of them, else as many as take about SLICE_MS; with `rest`,
   * every row left); true once the column is loaded.
   */
  step(db: Database, rows: number | null, rest = false): boolean {
    if (this.segment.columns.has(this.id)) return true;
    const n = this.segment.length;
    const from = this.next;
    const to = rest ? n : Math.min(n, from + (rows ?? this.rows));
    const started = performance.now();
    if (!this.readRange(db, this.column, { from, to })) {
      loadColumn(db, this.segment, this.id, this.path);
      return true;
    }
    // The next slice sized by this one's time (the machine's load varies), growing 4× at most.
    const read = to - from;
    const wanted = (read * SLICE_MS) / Math.max(performance.now() - started, 0.5);
    this.rows = Math.round(Math.min(MAX_ROWS, Math.max(MIN_ROWS, Math.min(wanted, read * 4))));
    this.next = to;
    if (to < n) return false;
    this.column.dropLookup();
    this.segment.columns.set(this.id, this.column);
    return true;
  }
}
