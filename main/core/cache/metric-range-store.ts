import type { Database } from 'better-sqlite3';
import { downsampleSeries } from '../../../shared/downsample';
import type { SeriesArrays } from '../../../shared/downsample';
import { OVERVIEW_POINTS, digestChunk, unpackOverview } from './chunk-digest';
import { fillBlockSpan, readBlockSpan } from './metric-chunk-blocks';
import type { ChunkDigest } from './chunk-digest';
import {
  LEVEL_BUCKET,
  levelPointsUpTo,
  unpackLevel,
  wantsLevel,
  writeChunkLevel,
} from './metric-chunk-levels';
import type { ChunkLevel } from './metric-chunk-levels';
import { preparedStatement } from './prepared-statement';

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
  /** The chunk's stored level (metric-chunk-levels.ts), when there is a fresh one. */
  level_count: number | null;
  level_stride: number | null;
  level_first_step: number | null;
  /** Bytes of the level's blob (its points' steps, values, timestamps), when it has one. */
  level_bytes: number | null;
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
  /**
   * A cut of a chunk whose steps are a progression: first/last/count are known from the
   * stride without reading the chunk, and a coarse enough read takes the level.
   */
  strided?: boolean;
  /** The points just outside the cut, when a level read already has them. */
  neighbours?: {
    before: SeriesArrays<ArrayBuffer> | null;
    after: SeriesArrays<ArrayBuffer> | null;
  };
}

type Key = readonly [source: string, runId: string, name: string];

/**
 * How far past its guessed ends a level cut's stretch is read: a few buckets, and a share of
 * the level for points spread unevenly along it (a flat stretch keeps one point a bucket, a
 * noisy one two, a NaN one up to five).
 */
const LEVEL_WINDOW_MARGIN = 64;
const LEVEL_WINDOW_SLACK = 0.03;

/** Indexes one metric_chunks row (the cache writer calls this right after inserting it). */
export function writeChunkIndex(
  db: Database,
  key: Key,
  chunkNo: number,
  chunk: SeriesArrays,
): ChunkDigest {
  const digest = digestChunk(chunk);
  preparedStatement(
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
  writeChunkLevel(db, key, chunkNo, chunk);
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

function sliceSeries(series: SeriesArrays, from: number, to: number): SeriesArrays {
  return {
    steps: series.steps.subarray(from, to),
    values: series.values.subarray(from, to),
    timestamps: series.timestamps.subarray(from, to),
  };
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
 * The cut of a chunk whose steps are firstStep + i * stride (its fresh level says so), found
 * without reading the chunk: null when no step is in range, undefined when the chunk has no
 * such level (its raw steps are needed).
 */
function stridedPiece(meta: ChunkMeta, range: StepRange): Piece | null | undefined {
  const n = meta.point_count;
  const stride = meta.level_stride;
  const s0 = meta.level_first_step;
  if (meta.level_count !== n || stride === null || s0 === null) return undefined;
  const stepOf = (i: number): number => s0 + i * stride;
  // Estimated from the stride, then moved onto the exact float steps the chunk holds.
  let first = Math.min(n, Math.max(0, Math.ceil((range.xMin - s0) / stride)));
  while (first < n && stepOf(first) < range.xMin) first++;
  while (first > 0 && stepOf(first - 1) >= range.xMin) first--;
  let last = Math.min(n - 1, Math.max(-1, Math.floor((range.xMax - s0) / stride)));
  while (last >= 0 && stepOf(last) > range.xMax) last--;
  while (last < n - 1 && stepOf(last + 1) <= range.xMax) last++;
  if (first > last) return null;
  return {
    chunkNo: meta.chunk_no,
    count: last - first + 1,
    full: false,
    points: null,
    first,
    last,
    strided: true,
  };
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
  levelReads = 0;
  /** Reads of a few raw points (the cut buckets of a level read). */
  rawSpanReads = 0;
  /** Of those, the ones that read the chunk row because its blocks were missing or stale. */
  rawSpanRowReads = 0;
  /**
   * Level cuts that read a stretch of their level (levelWindow; those that held it count in
   * levelReads too), and guesses that did not hold it (the whole level read instead).
   */
  levelWindowReads = 0;
  levelWindowMisses = 0;

  constructor(private readonly db: Database) {}

  read(
    source: string,
    runId: string,
    name: string,
    range: StepRange | null,
    maxPoints: number | null,
  ): MetricRead | null {
    const key: Key = [source, runId, name];
    const metric = preparedStatement(
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
      body = concat(pieces.map((piece) => this.piecePoints(key, piece, raw)));
    } else {
      body = concat(this.downsampledPieces(key, metas, pieces, inRange, budget, raw));
      // Budgets are floored per piece but never below 4 points (its ends and extremes, or a
      // piece given 2 would drop a spike): many tiny pieces can overflow.
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

  /** Every point of a piece (the caller's budget holds them all). */
  private piecePoints(key: Key, piece: Piece, raw: Map<number, SeriesArrays>): SeriesArrays {
    if (piece.points !== null) return piece.points;
    const chunk = this.rawChunk(key, piece.chunkNo, raw);
    if (piece.full) return chunk;
    return {
      steps: chunk.steps.subarray(piece.first, piece.last + 1),
      values: chunk.values.subarray(piece.first, piece.last + 1),
      timestamps: chunk.timestamps.subarray(piece.first, piece.last + 1),
    };
  }

  /**
   * What a piece is downsampled from to `share` points: the overview, the level or the raw
   * points, whichever is the coarsest that still has a point for each point asked. The
   * overview and the level are min/max pairs themselves, so their buckets are then no wider
   * than the answer's: every extreme is kept at its own step, and no raw point strays outside
   * what is drawn near it (a 20-run zoom asking ~520 points of a whole chunk read its 196 KB
   * level under a rule of two points each, not its 24 KB overview; issue 13).
   */
  private pieceSource(
    key: Key,
    metas: readonly ChunkMeta[],
    piece: Piece,
    share: number,
    raw: Map<number, SeriesArrays>,
  ): SeriesArrays {
    if (piece.points !== null) return piece.points;
    const meta = metas.find((m) => m.chunk_no === piece.chunkNo);
    const hasLevel =
      meta !== undefined && meta.level_count === meta.point_count && !raw.has(piece.chunkNo);
    if (piece.full) {
      if (share <= OVERVIEW_POINTS) return this.overview(key, piece.chunkNo, raw);
      // The level keeps about 2 points of every LEVEL_BUCKET.
      if (hasLevel && share <= (2 * piece.count) / LEVEL_BUCKET) {
        return this.level(key, meta as ChunkMeta).points;
      }
      return this.rawChunk(key, piece.chunkNo, raw);
    }
    if (hasLevel && share <= (2 * piece.count) / LEVEL_BUCKET) {
      return this.levelCut(key, meta as ChunkMeta, piece);
    }
    return this.piecePoints(key, piece, raw);
  }

  /**
   * The cut first..last of a strided chunk from its level: the buckets wholly inside from the
   * level (their extremes and NaN gaps), the two cut buckets from their raw points, so the
   * extremes, the first and the last point in range are exactly the raw ones. Also notes the
   * points just outside the cut, read with the cut buckets.
   */
  private levelCut(key: Key, meta: ChunkMeta, piece: Piece): SeriesArrays {
    const n = meta.point_count;
    const { first, last } = piece;
    // A cut at the chunk's own start or end needs no raw point there: the level holds the
    // chunk's first and last point, and the neighbour outside is another chunk's.
    const head =
      first > 0
        ? this.rawSpan(
            key,
            meta,
            first - 1,
            Math.min(last, (Math.floor(first / LEVEL_BUCKET) + 1) * LEVEL_BUCKET - 1),
          )
        : null;
    const headEnd = head === null ? -1 : first - 1 + head.values.length - 1;
    const tailStart =
      last < n - 1 ? Math.max(headEnd + 1, Math.floor(last / LEVEL_BUCKET) * LEVEL_BUCKET) : n;
    const tail =
      last < n - 1 ? this.rawSpan(key, meta, Math.min(tailStart, last + 1), last + 1) : null;
    const level = this.levelWindow(key, meta, headEnd, tailStart - 1) ?? this.level(key, meta);
    const parts: SeriesArrays[] = [];
    if (head !== null) parts.push(sliceSeries(head, 1, head.values.length));
    const from = levelPointsUpTo(level, headEnd);
    const to = Math.max(from, levelPointsUpTo(level, tailStart - 1));
    parts.push(sliceSeries(level.points, from, to));
    if (tail !== null) parts.push(sliceSeries(tail, 0, tail.values.length - 1));
    piece.neighbours = {
      before: head === null ? null : pointAt(head, 0),
      after: tail === null ? null : pointAt(tail, tail.values.length - 1),
    };
    return concat(parts);
  }

  /**
   * The stretch of a strided chunk's level holding its points of raw index lowIndex + 1 ..
   * highIndex, with every point before the stretch at most lowIndex and every one after it
   * above highIndex (so levelPointsUpTo counts the same within it as in the whole level). The
   * 20-run zoom's cuts use about a fifth of their levels, and reading the whole 196 KB blobs
   * was most of a fresh serve's reading for its first zoom (issue 13): the stretch is guessed
   * from the level's length (its points are spread about evenly, two a bucket), read as byte
   * ranges of the blob, and checked; null when the guess does not hold it (a level of very
   * uneven density), and the whole level is read.
   */
  private levelWindow(
    key: Key,
    meta: ChunkMeta,
    lowIndex: number,
    highIndex: number,
  ): ChunkLevel | null {
    const n = meta.point_count;
    const stride = meta.level_stride;
    const firstStep = meta.level_first_step ?? 0;
    if (meta.level_bytes === null || stride === null || n === 0) return null;
    const k = Math.floor(Math.floor(meta.level_bytes / 8) / 3);
    const guess = (index: number): number => Math.floor((Math.max(0, index) / n) * k);
    const margin = LEVEL_WINDOW_MARGIN + Math.ceil(k * LEVEL_WINDOW_SLACK);
    const p0 = Math.max(0, guess(lowIndex) - margin);
    const p1 = Math.min(k, guess(highIndex) + margin + 1);
    if (p1 - p0 >= k || p1 <= p0) return null;
    const bytes = (p1 - p0) * 8;
    const row = preparedStatement(
      this.db,
      `SELECT substr(level, @s, @bytes) AS s, substr(level, @v, @bytes) AS v,
         substr(level, @t, @bytes) AS t
       FROM metric_chunk_levels
       WHERE source = @source AND run_id = @run AND name = @name AND chunk_no = @chunk`,
    ).get({
      s: p0 * 8 + 1,
      v: (k + p0) * 8 + 1,
      t: (2 * k + p0) * 8 + 1,
      bytes,
      source: key[0],
      run: key[1],
      name: key[2],
      chunk: meta.chunk_no,
    }) as { s: Buffer; v: Buffer; t: Buffer } | undefined;
    if (row === undefined) return null;
    this.levelWindowReads++;
    const count = p1 - p0;
    const steps = toFloat64(row.s, count);
    if (steps.length !== count) return null;
    const rawIndex = (j: number): number => Math.round(((steps[j] as number) - firstStep) / stride);
    const holdsLow = p0 === 0 || rawIndex(0) <= lowIndex + 1;
    const holdsHigh = p1 === k || rawIndex(count - 1) >= highIndex;
    if (!holdsLow || !holdsHigh) {
      this.levelWindowMisses++;
      return null;
    }
    this.levelReads++;
    return {
      pointCount: n,
      stride,
      firstStep,
      points: { steps, values: toFloat64(row.v, count), timestamps: toFloat64(row.t, count) },
    };
  }

  /**
   * Points from..to (inclusive) of a strided chunk: from its blocks (metric-chunk-blocks.ts),
   * or, where it has none yet (a chunk from before them) or stale ones, as byte ranges of the
   * chunk row's blobs, writing those blocks for the next zoom.
   */
  private rawSpan(key: Key, meta: ChunkMeta, from: number, to: number): SeriesArrays<ArrayBuffer> {
    this.rawSpanReads++;
    const count = to - from + 1;
    const stride = meta.level_stride as number;
    const firstStep = meta.level_first_step ?? 0;
    const steps = new Float64Array(count);
    for (let i = 0; i < count; i++) steps[i] = firstStep + (from + i) * stride;
    const blocks = readBlockSpan(this.db, key, meta.chunk_no, meta.point_count, from, to);
    if (blocks !== null) return { steps, ...blocks };
    this.rawSpanRowReads++;
    const read = fillBlockSpan(
      this.db,
      key,
      meta.chunk_no,
      meta.point_count,
      from,
      to,
      (at, points) => {
        const row = preparedStatement(
          this.db,
          `SELECT substr("values", @at, @bytes) AS v, substr(timestamps, @at, @bytes) AS t
           FROM metric_chunks WHERE source = @source AND run_id = @run AND name = @name
             AND chunk_no = @chunk`,
        ).get({
          at: at * 8 + 1,
          bytes: points * 8,
          source: key[0],
          run: key[1],
          name: key[2],
          chunk: meta.chunk_no,
        }) as { v: Buffer; t: Buffer } | undefined;
        return row === undefined ? null : { values: row.v, timestamps: row.t };
      },
    );
    return { steps: steps.subarray(0, read.values.length), ...read };
  }

  private level(key: Key, meta: ChunkMeta): ChunkLevel {
    this.levelReads++;
    const row = preparedStatement(
      this.db,
      `SELECT level FROM metric_chunk_levels
       WHERE source = ? AND run_id = ? AND name = ? AND chunk_no = ?`,
    ).get(...key, meta.chunk_no) as { level: Buffer } | undefined;
    const packed =
      row === undefined
        ? new Float64Array(0)
        : toFloat64(row.level, Math.floor(row.level.byteLength / 8));
    return unpackLevel(meta.point_count, meta.level_stride, meta.level_first_step ?? 0, packed);
  }

  private chunkMetas(key: Key, raw: Map<number, SeriesArrays>): ChunkMeta[] {
    const metas = preparedStatement(
      this.db,
      `SELECT c.chunk_no, c.point_count, i.point_count AS indexed_count, i.min_step, i.max_step,
         i.non_finite_steps, l.point_count AS level_count, l.stride AS level_stride,
         l.first_step AS level_first_step, length(l.level) AS level_bytes
       FROM metric_chunks c
       LEFT JOIN metric_chunk_index i USING (source, run_id, name, chunk_no)
       LEFT JOIN metric_chunk_levels l USING (source, run_id, name, chunk_no)
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
      // writeChunkIndex wrote the level too, but this read does not know its stride: no level.
      meta.level_count = null;
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
      const strided = stridedPiece(meta, range);
      if (strided !== undefined && !raw.has(meta.chunk_no)) {
        if (strided !== null) pieces.push(strided);
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
    metas: readonly ChunkMeta[],
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
      out.push(
        downsampleSeries(this.pieceSource(key, metas, piece, share, raw), Math.max(4, share)),
      );
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
    const before =
      firstPiece.neighbours !== undefined && firstPiece.first > 0
        ? firstPiece.neighbours.before
        : this.neighbour(key, metas, firstPiece.chunkNo, firstPiece.first - 1, raw);
    const lastMeta = metas.find((meta) => meta.chunk_no === lastPiece.chunkNo);
    const after =
      lastPiece.neighbours !== undefined &&
      lastMeta !== undefined &&
      lastPiece.last + 1 < lastMeta.point_count
        ? lastPiece.neighbours.after
        : this.neighbour(key, metas, lastPiece.chunkNo, lastPiece.last + 1, raw);
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
      const series = cached ?? this.overview(key, other.chunk_no, raw);
      point = pointAt(series, index < 0 ? series.values.length - 1 : 0);
    }
    return Number.isFinite(point.steps[0]) ? point : null;
  }

  private rawChunk(key: Key, chunkNo: number, raw: Map<number, SeriesArrays>): SeriesArrays {
    const cached = raw.get(chunkNo);
    if (cached !== undefined) return cached;
    this.rawChunkReads++;
    const row = preparedStatement(
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
    if (row !== undefined && wantsLevel(row.point_count)) this.fillLevel(key, chunkNo, chunk);
    return chunk;
  }

  /**
   * A chunk read raw whose level is missing (written before the level table) or stale (grown
   * since) gets it now, so the next zoom there reads the level.
   */
  private fillLevel(key: Key, chunkNo: number, chunk: SeriesArrays): void {
    const row = preparedStatement(
      this.db,
      `SELECT point_count FROM metric_chunk_levels
       WHERE source = ? AND run_id = ? AND name = ? AND chunk_no = ?`,
    ).get(...key, chunkNo) as { point_count: number } | undefined;
    if (row?.point_count !== chunk.values.length) writeChunkLevel(this.db, key, chunkNo, chunk);
  }

  /**
   * The chunk's overview: its stored downsampled points, or the chunk itself when it is short
   * enough to be its own overview (stored empty since schema 20).
   */
  private overview(key: Key, chunkNo: number, raw: Map<number, SeriesArrays>): SeriesArrays {
    this.overviewReads++;
    const row = preparedStatement(
      this.db,
      `SELECT point_count, overview FROM metric_chunk_index
       WHERE source = ? AND run_id = ? AND name = ? AND chunk_no = ?`,
    ).get(...key, chunkNo) as { point_count: number; overview: Buffer } | undefined;
    if (row === undefined) {
      return {
        steps: new Float64Array(0),
        values: new Float64Array(0),
        timestamps: new Float64Array(0),
      };
    }
    if (row.overview.byteLength === 0 && row.point_count > 0)
      return this.rawChunk(key, chunkNo, raw);
    const packed = toFloat64(row.overview, Math.floor(row.overview.byteLength / 8));
    return unpackOverview(packed);
  }
}
