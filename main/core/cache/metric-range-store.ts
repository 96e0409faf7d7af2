import type { Database, Statement } from 'better-sqlite3';
import { downsampleSeries } from '../../../shared/downsample';
import type { SeriesArrays } from '../../../shared/downsample';
import { OVERVIEW_POINTS, digestChunk, unpackOverview } from './chunk-digest';
import type { ChunkDigest } from './chunk-digest';

/** Steps from xMin to xMax, both included; either end may be infinite. */
export interface StepRange {
  xMin: number;
  xMax: number;
}

export interface MetricRead {
  series: SeriesArrays<ArrayBuffer>;
  /** Points of the whole metric. */
  totalPoints: number;
  /** NaN and ±Infinity points of the whole metric. */
  nonFinitePoints: number;
  /** Points whose step lies in the range (all points without a range). */
  pointsInRange: number;
  /** Fewer points are returned than lie in the range. */
  downsampled: boolean;
}

interface ChunkMeta {
  chunk_no: number;
  point_count: number;
  indexed_count: number | null;
  min_step: number | null;
  max_step: number | null;
  non_finite_steps: number | null;
}

interface Piece {
  chunkNo: number;
  /** Points of this chunk in the range. */
  count: number;
  /** Every point of the chunk is in the range: its overview may stand for it. */
  full: boolean;
  /** The points in range, once read (always for a partial chunk). */
  points: SeriesArrays | null;
  /** Index in the chunk of the first and last point in range. */
  first: number;
  last: number;
}

type Key = readonly [source: string, runId: string, name: string];

const statementsByDb = new WeakMap<Database, Map<string, Statement>>();

function prepare(db: Database, sql: string): Statement {
  let statements = statementsByDb.get(db);
  if (statements === undefined) {
    statements = new Map();
    statementsByDb.set(db, statements);
  }
  let statement = statements.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** Indexes one metric_chunks row (the cache writer calls this right after inserting it). */
export function writeChunkIndex(
  db: Database,
  key: Key,
  chunkNo: number,
  chunk: SeriesArrays,
): ChunkDigest {
  const digest = digestChunk(chunk);
  prepare(
    db,
    `INSERT OR REPLACE INTO metric_chunk_index (
      source, run_id, name, chunk_no, point_count, min_step, max_step, non_finite_steps, overview
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    ...key,
    chunkNo,
    chunk.values.length,
    digest.minStep,
    digest.maxStep,
    digest.nonFiniteSteps,
    digest.overview,
  );
  return digest;
}

/** SQLite hands back buffers that need not be 8-byte aligned: view when they are, else copy. */
function toFloat64(blob: Buffer, count: number): Float64Array {
  const length = Math.min(count, Math.floor(blob.byteLength / 8));
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, length);
  const out = new Float64Array(length);
  new Uint8Array(out.buffer).set(blob.subarray(0, length * 8));
  return out;
}

function concat(parts: readonly SeriesArrays[]): SeriesArrays<ArrayBuffer> {
  const total = parts.reduce((sum, part) => sum + part.values.length, 0);
  const out = {
    steps: new Float64Array(total),
    values: new Float64Array(total),
    timestamps: new Float64Array(total),
  };
  let at = 0;
  for (const part of parts) {
    out.steps.set(part.steps, at);
    out.values.set(part.values, at);
    out.timestamps.set(part.timestamps, at);
    at += part.values.length;
  }
  return out;
}

function pointAt(series: SeriesArrays, i: number): SeriesArrays<ArrayBuffer> {
  return {
    steps: Float64Array.of(series.steps[i] as number),
    values: Float64Array.of(series.values[i] as number),
    timestamps: Float64Array.of(series.timestamps[i] as number),
  };
}

/**
 * The points of a chunk whose step lies in the range. Steps are sorted in almost every run, so
 * the points in range are one stretch of the chunk: they are then views of it, not copies (a
 * zoom of 20 traces used to copy ~2 M points through a number[] of indices; issue 13).
 * Unsorted steps (a restarted run) are gathered point by point.
 */
function partialPiece(chunkNo: number, chunk: SeriesArrays, range: StepRange): Piece | null {
  const { steps } = chunk;
  const n = steps.length;
  const inRange = (i: number): boolean => {
    const step = steps[i] as number;
    return step >= range.xMin && step <= range.xMax;
  };
  let first = 0;
  while (first < n && !inRange(first)) first++;
  if (first === n) return null;
  let last = n - 1;
  while (!inRange(last)) last--;
  let count = 0;
  for (let i = first; i <= last; i++) if (inRange(i)) count++;
  if (count === last - first + 1) {
    return {
      chunkNo,
      count,
      full: false,
      points: {
        steps: steps.subarray(first, last + 1),
        values: chunk.values.subarray(first, last + 1),
        timestamps: chunk.timestamps.subarray(first, last + 1),
      },
      first,
      last,
    };
  }
  const points = {
    steps: new Float64Array(count),
    values: new Float64Array(count),
    timestamps: new Float64Array(count),
  };
  for (let i = first, j = 0; i <= last; i++) {
    if (!inRange(i)) continue;
    points.steps[j] = steps[i] as number;
    points.values[j] = chunk.values[i] as number;
    points.timestamps[j] = chunk.timestamps[i] as number;
    j++;
  }
  return { chunkNo, count, full: false, points, first, last };
}

/**
 * Reads one metric for a plot: only the chunks whose step range overlaps the visible range,
 * each downsampled to its share of the point budget, from its overview when that is fine
 * enough and from the raw points otherwise. Never more points than asked; first and last
 * point in range, the extremes and NaN gaps kept (shared/downsample.ts). With a range, the
 * point just outside each end is added (within the budget) so the line reaches the edges.
 */
export class MetricRangeStore {
  /** Raw chunks read so far (tests check that a range query reads only what it needs). */
  rawChunkReads = 0;
  overviewReads = 0;

  constructor(private readonly db: Database) {}

  read(
    source: string,
    runId: string,
    name: string,
    range: StepRange | null,
    maxPoints: number | null,
  ): MetricRead | null {
    const key: Key = [source, runId, name];
    const metric = prepare(
      this.db,
      'SELECT count, non_finite FROM metrics WHERE source = ? AND run_id = ? AND name = ?',
    ).get(...key) as { count: number; non_finite: number } | undefined;
    if (metric === undefined) return null;

    const raw = new Map<number, SeriesArrays>();
    const metas = this.chunkMetas(key, raw);
    const pieces = this.pieces(key, metas, range, raw);
    const inRange = pieces.reduce((sum, piece) => sum + piece.count, 0);
    const reserve = range === null ? 0 : 2;
    const budget = maxPoints === null ? Infinity : Math.max(2, maxPoints - reserve);

    let body: SeriesArrays<ArrayBuffer>;
    if (inRange <= budget) {
      body = concat(pieces.map((piece) => piece.points ?? this.rawChunk(key, piece.chunkNo, raw)));
    } else {
      body = concat(this.downsampledPieces(key, pieces, inRange, budget, raw));
      // Budgets are floored per piece but never below 2 points: many tiny pieces can overflow.
      if (body.values.length > budget) body = downsampleSeries(body, budget);
    }
    const downsampled = body.values.length < inRange;
    if (range !== null && maxPoints !== null && pieces.length > 0 && maxPoints >= 4) {
      body = this.withNeighbours(key, metas, pieces, body, raw);
    }
    return {
      series: body,
      totalPoints: metric.count,
      nonFinitePoints: metric.non_finite,
      pointsInRange: inRange,
      downsampled,
    };
  }

  private chunkMetas(key: Key, raw: Map<number, SeriesArrays>): ChunkMeta[] {
    const metas = prepare(
      this.db,
      `SELECT c.chunk_no, c.point_count, i.point_count AS indexed_count, i.min_step, i.max_step,
         i.non_finite_steps
       FROM metric_chunks c LEFT JOIN metric_chunk_index i USING (source, run_id, name, chunk_no)
       WHERE c.source = ? AND c.run_id = ? AND c.name = ? ORDER BY c.chunk_no`,
    ).all(...key) as ChunkMeta[];
    for (const meta of metas) {
      if (meta.min_step !== null && meta.indexed_count === meta.point_count) continue;
      // Written before migration 6 (or grown in place by a writer that does not index): index
      // it now, once.
      const digest = writeChunkIndex(
        this.db,
        key,
        meta.chunk_no,
        this.rawChunk(key, meta.chunk_no, raw),
      );
      meta.min_step = digest.minStep;
      meta.max_step = digest.maxStep;
      meta.non_finite_steps = digest.nonFiniteSteps;
    }
    return metas;
  }

  private pieces(
    key: Key,
    metas: readonly ChunkMeta[],
    range: StepRange | null,
    raw: Map<number, SeriesArrays>,
  ): Piece[] {
    const pieces: Piece[] = [];
    for (const meta of metas) {
      const count = meta.point_count;
      if (count === 0) continue;
      if (range === null) {
        pieces.push({
          chunkNo: meta.chunk_no,
          count,
          full: true,
          points: null,
          first: 0,
          last: count - 1,
        });
        continue;
      }
      const minStep = meta.min_step ?? -Infinity;
      const maxStep = meta.max_step ?? Infinity;
      if (maxStep < range.xMin || minStep > range.xMax) continue;
      if (meta.non_finite_steps === 0 && minStep >= range.xMin && maxStep <= range.xMax) {
        pieces.push({
          chunkNo: meta.chunk_no,
          count,
          full: true,
          points: null,
          first: 0,
          last: count - 1,
        });
        continue;
      }
      const piece = partialPiece(meta.chunk_no, this.rawChunk(key, meta.chunk_no, raw), range);
      if (piece !== null) pieces.push(piece);
    }
    return pieces;
  }

  /** Each piece gets the share of the budget its point count earns. */
  private downsampledPieces(
    key: Key,
    pieces: readonly Piece[],
    inRange: number,
    budget: number,
    raw: Map<number, SeriesArrays>,
  ): SeriesArrays[] {
    const out: SeriesArrays[] = [];
    let before = 0;
    let given = 0;
    for (const piece of pieces) {
      before += piece.count;
      const share = Math.floor((budget * before) / inRange) - given;
      given += share;
      const source =
        piece.points ??
        (piece.full && share <= OVERVIEW_POINTS / 2
          ? this.overview(key, piece.chunkNo)
          : this.rawChunk(key, piece.chunkNo, raw));
      out.push(downsampleSeries(source, Math.max(2, share)));
    }
    return out;
  }

  /** Adds the point before the first and after the last point in range, in index order. */
  private withNeighbours(
    key: Key,
    metas: readonly ChunkMeta[],
    pieces: readonly Piece[],
    body: SeriesArrays<ArrayBuffer>,
    raw: Map<number, SeriesArrays>,
  ): SeriesArrays<ArrayBuffer> {
    const firstPiece = pieces[0] as Piece;
    const lastPiece = pieces[pieces.length - 1] as Piece;
    const before = this.neighbour(key, metas, firstPiece.chunkNo, firstPiece.first - 1, raw);
    const after = this.neighbour(key, metas, lastPiece.chunkNo, lastPiece.last + 1, raw);
    if (before === null && after === null) return body;
    const parts: SeriesArrays[] = [];
    if (before !== null) parts.push(before);
    parts.push(body);
    if (after !== null) parts.push(after);
    return concat(parts);
  }

  private neighbour(
    key: Key,
    metas: readonly ChunkMeta[],
    chunkNo: number,
    index: number,
    raw: Map<number, SeriesArrays>,
  ): SeriesArrays<ArrayBuffer> | null {
    const position = metas.findIndex((meta) => meta.chunk_no === chunkNo);
    const meta = metas[position];
    if (meta === undefined) return null;
    let point: SeriesArrays<ArrayBuffer>;
    if (index >= 0 && index < meta.point_count) {
      point = pointAt(this.rawChunk(key, chunkNo, raw), index);
    } else {
      // In the chunk before or after: its first or last point, which its overview holds.
      const other = metas[index < 0 ? position - 1 : position + 1];
      if (other === undefined || other.point_count === 0) return null;
      const cached = raw.get(other.chunk_no);
      const series = cached ?? this.overview(key, other.chunk_no);
      point = pointAt(series, index < 0 ? series.values.length - 1 : 0);
    }
    return Number.isFinite(point.steps[0]) ? point : null;
  }

  private rawChunk(key: Key, chunkNo: number, raw: Map<number, SeriesArrays>): SeriesArrays {
    const cached = raw.get(chunkNo);
    if (cached !== undefined) return cached;
    this.rawChunkReads++;
    const row = prepare(
      this.db,
      `SELECT point_count, steps, "values", timestamps FROM metric_chunks
       WHERE source = ? AND run_id = ? AND name = ? AND chunk_no = ?`,
    ).get(...key, chunkNo) as
      { point_count: number; steps: Buffer; values: Buffer; timestamps: Buffer } | undefined;
    const chunk =
      row === undefined
        ? {
            steps: new Float64Array(0),
            values: new Float64Array(0),
            timestamps: new Float64Array(0),
          }
        : {
            steps: toFloat64(row.steps, row.point_count),
            values: toFloat64(row.values, row.point_count),
            timestamps: toFloat64(row.timestamps, row.point_count),
          };
    raw.set(chunkNo, chunk);
    return chunk;
  }

  private overview(key: Key, chunkNo: number): SeriesArrays<ArrayBuffer> {
    this.overviewReads++;
    const row = prepare(
      this.db,
      `SELECT overview FROM metric_chunk_index
       WHERE source = ? AND run_id = ? AND name = ? AND chunk_no = ?`,
    ).get(...key, chunkNo) as { overview: Buffer } | undefined;
    if (row === undefined) {
      return {
        steps: new Float64Array(0),
        values: new Float64Array(0),
        timestamps: new Float64Array(0),
      };
    }
    const packed = toFloat64(row.overview, Math.floor(row.overview.byteLength / 8));
    return unpackOverview(packed);
  }
}
