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
 * as before.
 */
export const BLOCK_POINTS = 112;

/** Migration 19: the block table, and blocks for every chunk that has a fresh strided level. */
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
  // Only chunks a zoom reads by level cut; a chunk whose level comes later (lazily, or after
  // it grows) gets its blocks with that level.
  const chunks = db
    .prepare(
      `SELECT l.source, l.run_id, l.name, l.chunk_no FROM metric_chunk_levels l
       JOIN metric_chunks c USING (source, run_id, name, chunk_no)
       WHERE l.stride IS NOT NULL AND l.point_count = c.point_count`,
    )
    .all() as { source: string; run_id: string; name: string; chunk_no: number }[];
  const read = db.prepare(
    `SELECT point_count, "values", timestamps FROM metric_chunks
     WHERE source = ? AND run_id = ? AND name = ? AND chunk_no = ?`,
  );
  for (const chunk of chunks) {
    const row = read.get(chunk.source, chunk.run_id, chunk.name, chunk.chunk_no) as
      { point_count: number; values: Buffer; timestamps: Buffer } | undefined;
    if (row === undefined) continue;
    insertBlocks(
      db,
      [chunk.source, chunk.run_id, chunk.name],
      chunk.chunk_no,
      row.point_count,
      row.values,
      row.timestamps,
    );
  }
}

type Key = readonly [source: string, runId: string, name: string];

function insertBlocks(
  db: Database,
  key: Key,
  chunkNo: number,
  pointCount: number,
  values: Uint8Array,
  timestamps: Uint8Array,
): void {
  const insert = preparedStatement(
    db,
    `INSERT INTO metric_chunk_blocks (
      source, run_id, name, chunk_no, block_no, chunk_points, "values", timestamps
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (let block = 0; block * BLOCK_POINTS < pointCount; block++) {
    const from = block * BLOCK_POINTS * 8;
    const to = Math.min(pointCount, (block + 1) * BLOCK_POINTS) * 8;
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
  insertBlocks(db, key, chunkNo, n, bytesOf(chunk.values), bytesOf(chunk.timestamps));
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
