import type { Database } from 'better-sqlite3';
import type { SeriesArrays } from '../../../shared/downsample';
import { preparedStatement } from './prepared-statement';

/**
 * The raw values and timestamps of a long strided metric chunk, again, in small blocks
 * (issue 13). A zoom that cuts such a chunk takes every bucket wholly inside the range from the
 * chunk's level and needs the raw points of only the two cut buckets (metric-chunk-levels.ts),
 * ~17 points. Read from the metric_chunks row, each of those spans loaded the row's 512 KB
 * `values` and `timestamps` blobs whole (SQLite loads a whole blob for `substr`, walking the
 * row's overflow pages), which was most of the core's time in a 20-trace zoom: 40 such reads
 * took 170–370 ms of CPU. A block row is ~1.8 KB: two share a 4 KB page (at 128 points a row
 * was just over half a page, and the table took twice its bytes), and a span reads one or two.
 *
 * The blocks are a copy (16 bytes a point, for chunks that have a strided level only); the
 * metric_chunks row stays what every other reader reads. A block row records the chunk's point
 * count when written: a chunk grown since has stale blocks, and a span then reads the chunk row
 * as before. Synced chunks get every block with their level; a chunk from before the blocks
 * gets the blocks a zoom cuts when it first cuts them (see fillBlockSpan): the upgrade to them
 * copies nothing (copying them all cost seconds at the first start, with no progress shown).
 */
export const BLOCK_POINTS = 112;

/**
 * Migration 19: the block table, empty. Chunks synced from now on get their blocks with their
 * level; older chunks get theirs lazily, block by block, from the zooms that cut them.
 */
export function createMetricChunkBlocks(db: Database): void {
  db.exec(`
    CREATE TABLE metric_chunk_blocks (
      source TEXT NOT NULL,
      run_id TEXT NOT NULL,
      name TEXT NOT NULL,
      chunk_no INTEGER NOT NULL,
      block_no INTEGER NOT NULL,
      chunk_points INTEGER NOT NULL,
      "values" BLOB NOT NULL,
      timestamps BLOB NOT NULL,
      PRIMARY KEY (source, run_id, name, chunk_no, block_no),
      FOREIGN KEY (source, run_id, name, chunk_no)
        REFERENCES metric_chunks (source, run_id, name, chunk_no) ON DELETE CASCADE
    );
  `);
}

type Key = readonly [source: string, runId: string, name: string];

/**
 * Writes (or replaces) the blocks from `firstBlock` on of a chunk of `pointCount` points, from
 * bytes holding its values and timestamps starting at that block's first point.
 */
function insertBlocks(
  db: Database,
  key: Key,
  chunkNo: number,
  pointCount: number,
  firstBlock: number,
  values: Uint8Array,
  timestamps: Uint8Array,
): void {
  const insert = preparedStatement(
    db,
    `INSERT OR REPLACE INTO metric_chunk_blocks (
      source, run_id, name, chunk_no, block_no, chunk_points, "values", timestamps
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const base = firstBlock * BLOCK_POINTS;
  const end = Math.min(pointCount, base + values.byteLength / 8);
  for (let block = firstBlock; block * BLOCK_POINTS < end; block++) {
    const from = (block * BLOCK_POINTS - base) * 8;
    const to = (Math.min(end, (block + 1) * BLOCK_POINTS) - base) * 8;
    insert.run(
      ...key,
      chunkNo,
      block,
      pointCount,
      values.subarray(from, to),
      timestamps.subarray(from, to),
    );
  }
}

function bytesOf(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Drops a chunk's blocks and, when `chunk` is given, writes them anew from its points. */
export function writeChunkBlocks(
  db: Database,
  key: Key,
  chunkNo: number,
  chunk: SeriesArrays | null,
): void {
  preparedStatement(
    db,
    `DELETE FROM metric_chunk_blocks
     WHERE source = ? AND run_id = ? AND name = ? AND chunk_no = ?`,
  ).run(...key, chunkNo);
  if (chunk === null) return;
  const n = chunk.values.length;
  insertBlocks(db, key, chunkNo, n, 0, bytesOf(chunk.values), bytesOf(chunk.timestamps));
}

/** Copies `count` float64s out of a blob at a point offset (SQLite's buffers may be unaligned). */
function copyFloats(
  blob: Buffer,
  fromPoint: number,
  count: number,
  out: Float64Array,
  at: number,
): void {
  new Uint8Array(out.buffer, out.byteOffset + at * 8, count * 8).set(
    blob.subarray(fromPoint * 8, (fromPoint + count) * 8),
  );
}

/**
 * Raw values and timestamps of points from..to (inclusive) of a chunk of `chunkPoints` points,
 * from its blocks; null when the blocks are missing or stale (the caller reads the chunk row).
 */
export function readBlockSpan(
  db: Database,
  key: Key,
  chunkNo: number,
  chunkPoints: number,
  from: number,
  to: number,
): { values: Float64Array<ArrayBuffer>; timestamps: Float64Array<ArrayBuffer> } | null {
  if (from < 0 || to < from || to >= chunkPoints) return null;
  const firstBlock = Math.floor(from / BLOCK_POINTS);
  const lastBlock = Math.floor(to / BLOCK_POINTS);
  const rows = preparedStatement(
    db,
    `SELECT block_no, chunk_points, "values", timestamps FROM metric_chunk_blocks
     WHERE source = ? AND run_id = ? AND name = ? AND chunk_no = ?
       AND block_no BETWEEN ? AND ? ORDER BY block_no`,
  ).all(...key, chunkNo, firstBlock, lastBlock) as {
    block_no: number;
    chunk_points: number;
    values: Buffer;
    timestamps: Buffer;
  }[];
  if (rows.length !== lastBlock - firstBlock + 1) return null;
  const count = to - from + 1;
  const values = new Float64Array(count);
  const timestamps = new Float64Array(count);
  let at = 0;
  for (const [i, row] of rows.entries()) {
    const block = firstBlock + i;
    const blockStart = block * BLOCK_POINTS;
    const blockPoints = Math.min(BLOCK_POINTS, chunkPoints - blockStart);
    if (
      row.block_no !== block ||
      row.chunk_points !== chunkPoints ||
      row.values.byteLength !== blockPoints * 8 ||
      row.timestamps.byteLength !== blockPoints * 8
    ) {
      return null;
    }
    const start = Math.max(from, blockStart) - blockStart;
    const end = Math.min(to, blockStart + blockPoints - 1) - blockStart;
    copyFloats(row.values, start, end - start + 1, values, at);
    copyFloats(row.timestamps, start, end - start + 1, timestamps, at);
    at += end - start + 1;
  }
  return { values, timestamps };
}

/**
 * Points from..to (inclusive) of a chunk whose blocks there are missing or stale, read from the
 * chunk row (`readPoints`: byte ranges of its values and timestamps, empty when the row is
 * gone), with the blocks holding them written on the way: the next zoom that cuts there reads
 * the blocks. The read costs what it did before the blocks (SQLite loads the row's whole blob
 * for a byte range either way); a few more points, up to the blocks' edges, are read.
 */
export function fillBlockSpan(
  db: Database,
  key: Key,
  chunkNo: number,
  chunkPoints: number,
  from: number,
  to: number,
  readPoints: (from: number, count: number) => { values: Buffer; timestamps: Buffer } | null,
): { values: Float64Array<ArrayBuffer>; timestamps: Float64Array<ArrayBuffer> } {
  const count = to - from + 1;
  const firstBlock = Math.floor(from / BLOCK_POINTS);
  const blockFrom = firstBlock * BLOCK_POINTS;
  const blockTo = Math.min(chunkPoints, (Math.floor(to / BLOCK_POINTS) + 1) * BLOCK_POINTS) - 1;
  const read = readPoints(blockFrom, blockTo - blockFrom + 1);
  const values = new Float64Array(count);
  const timestamps = new Float64Array(count);
  if (read === null)
    return { values: values.subarray(0, 0), timestamps: timestamps.subarray(0, 0) };
  const whole = (blockTo - blockFrom + 1) * 8;
  if (read.values.byteLength === whole && read.timestamps.byteLength === whole) {
    insertBlocks(db, key, chunkNo, chunkPoints, firstBlock, read.values, read.timestamps);
  }
  const stored = Math.min(read.values.byteLength, read.timestamps.byteLength) / 8;
  const available = Math.min(count, Math.floor(stored) - (from - blockFrom));
  if (available <= 0)
    return { values: values.subarray(0, 0), timestamps: timestamps.subarray(0, 0) };
  copyFloats(read.values, from - blockFrom, available, values, 0);
  copyFloats(read.timestamps, from - blockFrom, available, timestamps, 0);
  return { values: values.subarray(0, available), timestamps: timestamps.subarray(0, available) };
}
