import type { Database } from 'better-sqlite3';
import { formatColumnPath, lastNCount } from '../../../shared/filter';
import type { ColumnPath } from '../../../shared/filter';
import { blobToFloat64, METRIC_CHUNK_POINTS } from '../cache/float64-blob';
import { preparedStatement } from '../cache/prepared-statement';
import { meanOfTail, STORED_LAST_N } from '../cache/metric-means';
import { METRIC_TAIL_POINTS } from '../cache/metric-tails';
import { Column, Kind } from './column';
import { onlyParams, onlyRuns } from './source-segment';
import type { SourceSegment } from './source-segment';
import { RUN_JSON_ROOTS } from '../cache/run-json-roots';

/** A source's rows changed under a column being built (another process synced): rebuild. */
export class StaleSegmentError extends Error {}

/** The text column of `runs` per root; `run_json` names its JSONB columns by the root. */
export const ROOT_COLUMNS: Readonly<Record<string, string>> = Object.fromEntries(RUN_JSON_ROOTS);

/**
 * Builds the column of `path` for one source from the cache. Metric summaries come several
 * at a time (one scan of the metric table gives last/first/min/max/count), so the loader
 * stores what it built in `segment.columns` itself. `dead` depends on the clock and is not
 * built here.
 */
export function loadColumn(
  db: Database,
  segment: SourceSegment,
  id: string,
  path: ColumnPath,
): Column {
  const cached = segment.columns.get(id);
  if (cached !== undefined) return cached;
  const [root, ...keys] = path as [string, ...string[]];
  let column: Column;
  if (root === 'metrics' && keys.length === 2) {
    loadMetricColumns(db, segment, keys[0] as string, keys[1] as string);
    const built = segment.columns.get(id);
    if (built === undefined) throw new Error(`metric column ${id} was not built`);
    for (const loaded of segment.columns.values()) loaded.dropLookup();
    return built;
  }
  if (keys.length > 0) column = loadJsonPath(db, segment, root, keys);
  else column = loadBuiltin(db, segment, root);
  segment.columns.set(id, column);
  // Loaded columns are only read from now on (a refresh builds patched copies).
  for (const loaded of segment.columns.values()) loaded.dropLookup();
  return column;
}

function loadBuiltin(db: Database, segment: SourceSegment, name: string): Column {
  const n = segment.length;
  switch (name) {
    case 'source':
      return Column.ofConstant(n, segment.source);
    case 'id':
      return Column.ofRunIds(segment.ids);
    case 'status':
      return segment.status;
    case 'start_time':
      return segment.startTime;
    case 'stop_time':
      return segment.stopTime;
    case 'heartbeat':
      return segment.heartbeat;
    case 'duration':
      return durationColumn(segment);

    case 'comment':
      return loadCommentAndConfigTags(db, segment);
    case 'result': {
      const column = loadJsonPath(db, segment, 'result', []);
      // A run without a result stores null: that is "no result", not a null value.
      for (let i = 0; i < n; i++) if (column.kinds[i] === Kind.Null) column.kinds[i] = Kind.Missing;
      return column;
    }
    case 'tags':
      return loadTags(db, segment);
    case 'artifacts':
      return loadCount(db, segment, 'artifacts');
    case 'metrics':
      return loadCount(db, segment, 'metrics');
    default:
      throw new Error(`no loader for the column "${name}"`);
  }
}

/** Rows of `SELECT run_id, <expr> ... ORDER BY run_id`, checked against the segment. */
function scan(db: Database, segment: SourceSegment, expr: string): unknown[][] {
  const rows = db
    .prepare(
      `SELECT run_id, ${expr} FROM runs WHERE source = ?${onlyRuns(segment.only)} ORDER BY run_id`,
    )
    .raw()
    .all(segment.source, ...onlyParams(segment.only)) as unknown[][];
  checkRows(rows, segment);
  return rows;
}

/** SQLite's JSON path cannot quote a `"` and does not know which digits are list indexes. */
export function sqlJsonPath(keys: readonly string[]): string | null {
  if (keys.some((key) => key.includes('"') || /^[0-9]+$/u.test(key))) return null;
  if (keys.length === 0) return '$';
  return `$${keys.map((key) => `."${key}"`).join('')}`;
}

/**
 * The column of a path under a JSON root, read from run_json (JSONB; see
 * run-table-migration.ts); from the text in runs when run_json does not match the runs.
 */
function loadJsonPath(db: Database, segment: SourceSegment, root: string, keys: string[]): Column {
  const jsonPath = sqlJsonPath(keys);
  if (jsonPath !== null) {
    const packed = new Column(segment.length);
    if (readJsonPathPacked(db, segment, root, jsonPath, packed, null)) return packed;
    const rows = db
      .prepare(
        `SELECT run_id, ${root} -> ? FROM run_json
         WHERE source = ?${onlyRuns(segment.only)} ORDER BY run_id`,
      )
      .raw()
      .all(jsonPath, segment.source, ...onlyParams(segment.only)) as unknown[][];
    if (rowsMatch(rows, segment)) {
      const column = new Column(segment.length);
      for (let i = 0; i < rows.length; i++) {
        const json = (rows[i] as unknown[])[1];
        if (typeof json === 'string') column.setJson(i, json);
      }
      return column;
    }
  }
  const rows = scan(db, segment, ROOT_COLUMNS[root] as string);
  const column = new Column(segment.length);
  for (let i = 0; i < rows.length; i++) {
    const text = (rows[i] as unknown[])[1];
    if (typeof text !== 'string') continue;
    column.setValue(i, walkPath(JSON.parse(text) as unknown, keys));
  }
  return column;
}

const UNIT = String.fromCharCode(31);

/**
 * A packed read, or null when SQLite cannot build it: one column of 100k runs in one text can
 * pass SQLite's string size limit (paths holding big lists). The row-by-row read then serves.
 */
function packedOrNull(read: () => unknown): unknown {
  try {
    return read();
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === 'SQLITE_TOOBIG')
      return null;
    throw error;
  }
}
const NONE = String.fromCharCode(30);

/** The run ids SQLite packed (unit separated), checked against the segment's rows [from, to). */
function idsMatch(
  count: number,
  idText: string | null,
  segment: SourceSegment,
  { from, to }: RowRange,
): boolean {
  if (count !== to - from) return false;
  if (count === 0) return true;
  const ids = (idText as string).split(UNIT);
  if (ids.length !== count) return false;
  for (let i = 0; i < count; i++) if (ids[i] !== segment.ids[from + i]) return false;
  return true;
}

/**
 * Rows [from, to) of a segment (run_id order, as its ids): one slice of a column loaded in
 * steps (sliced-column-load.ts). Only for a segment of every run of its source (`only` null).
 */
export interface RowRange {
  readonly from: number;
  readonly to: number;
}

/** The SQL condition and parameters picking a range's runs, or the segment's (range null). */
function runsOf(
  segment: SourceSegment,
  range: RowRange | null,
): { sql: string; params: string[]; range: RowRange } {
  if (range === null) {
    const all = { from: 0, to: segment.length };
    return { sql: onlyRuns(segment.only), params: onlyParams(segment.only), range: all };
  }
  if (segment.only !== null) throw new Error('a range of a partial segment');
  const first = segment.ids[range.from] as string;
  const last = segment.ids[range.to - 1] as string;
  return { sql: ' AND run_id BETWEEN ? AND ?', params: [first, last], range };
}

/**
 * loadJsonPath's run_json pass with the column packed by SQLite into one text (JSON text
 * never holds a raw control character, so unit and record separators cannot clash; a
 * mismatch in the counts still sends the load row by row), for the segment's runs or the rows
 * of `range`, set into `column` (at their rows). False, with nothing set, when the rows do not
 * match or SQLite cannot pack them.
 */
export function readJsonPathPacked(
  db: Database,
  segment: SourceSegment,
  root: string,
  jsonPath: string,
  column: Column,
  range: RowRange | null,
): boolean {
  return readJsonPathsPacked(db, segment, root, [jsonPath], [column], range);
}

/**
 * readJsonPathPacked for several paths of one root in the same pass over run_json
 * (`columns[k]` gets `jsonPaths[k]`): the pass reads each run's whole row, all its roots'
 * JSONB, so five paths in one pass cost ~1.7× one path, five passes 5× (70k runs of bench:ui's
 * table: 323 against ~950 ms). False, with nothing set, as readJsonPathPacked.
 */
export function readJsonPathsPacked(
  db: Database,
  segment: SourceSegment,
  root: string,
  jsonPaths: readonly string[],
  columns: readonly Column[],
  range: RowRange | null,
): boolean {
  const runs = runsOf(segment, range);
  const packs = jsonPaths.map((_, k) => `, group_concat(ifnull(v${k}, char(30)), char(31))`);
  const picks = jsonPaths.map((_, k) => `, ${root} -> ? AS v${k}`);
  const packed = packedOrNull(() =>
    preparedStatement(
      db,
      `SELECT count(*), group_concat(run_id, char(31))${packs.join('')}
         FROM (SELECT run_id${picks.join('')} FROM run_json
           WHERE source = ?${runs.sql} ORDER BY run_id)`,
    )
      .raw()
      .get(...jsonPaths, segment.source, ...runs.params),
  ) as [number, string | null, ...(string | null)[]] | null;
  if (packed === null) return false;
  const [count, idText, ...valueTexts] = packed;
  if (!idsMatch(count, idText, segment, runs.range)) return false;
  if (count === 0) return true;
  const values = valueTexts.map((text) => (text as string).split(UNIT));
  if (values.some((each) => each.length !== count)) return false;
  const from = runs.range.from;
  values.forEach((each, k) => {
    const column = columns[k] as Column;
    for (let i = 0; i < count; i++) {
      const json = each[i] as string;
      if (json !== NONE) column.setJson(from + i, json);
    }
  });
  return true;
}

function checkRows(rows: unknown[][], segment: SourceSegment): void {
  if (!rowsMatch(rows, segment)) throw new StaleSegmentError();
}

function rowsMatch(rows: unknown[][], segment: SourceSegment): boolean {
  if (rows.length !== segment.length) return false;
  for (let i = 0; i < rows.length; i++) {
    if ((rows[i] as unknown[])[0] !== segment.ids[i]) return false;
  }
  return true;
}

/** The value at `keys` (object keys; digit keys also index lists), or undefined. */
export function walkPath(value: unknown, keys: readonly string[]): unknown {
  let at = value;
  for (const key of keys) {
    if (Array.isArray(at) && /^[0-9]+$/u.test(key)) at = at[Number(key)];
    else if (
      at !== null &&
      typeof at === 'object' &&
      !Array.isArray(at) &&
      Object.hasOwn(at, key)
    ) {
      at = (at as Record<string, unknown>)[key];
    } else return undefined;
  }
  return at;
}

function durationColumn(segment: SourceSegment): Column {
  const column = new Column(segment.length);
  const { startTime, stopTime, heartbeat } = segment;
  for (let i = 0; i < segment.length; i++) {
    if (startTime.kinds[i] !== Kind.Date) continue;
    const end =
      stopTime.kinds[i] === Kind.Date
        ? stopTime.nums[i]
        : heartbeat.kinds[i] === Kind.Date
          ? heartbeat.nums[i]
          : undefined;
    if (end === undefined) continue;
    column.setNumber(i, ((end as number) - (startTime.nums[i] as number)) / 1000);
  }
  return column;
}

/** omniboard.tags (else config.tags, as the readers store them) plus config.tags. */
function loadTags(db: Database, segment: SourceSegment): Column {
  const stored = segment.storedTags;
  const fromConfig = loadColumn(db, segment, 'config.tags', ['config', 'tags']);
  const column = new Column(segment.length);
  // Few distinct lists: the union is computed once per pair of them.
  const unions = new Map<string, { list: unknown[]; json: string }>();
  for (let i = 0; i < segment.length; i++) {
    const a = stored.kinds[i] === Kind.List ? stored.code(i) : -1;
    const b = fromConfig.kinds[i] === Kind.List ? fromConfig.code(i) : -1;
    const key = `${a},${b}`;
    let union = unions.get(key);
    if (union === undefined) {
      const tags = new Set<string>();
      for (const json of [a < 0 ? null : stored.dict[a], b < 0 ? null : fromConfig.dict[b]]) {
        if (json === null || json === undefined) continue;
        for (const tag of JSON.parse(json) as unknown[]) if (typeof tag === 'string') tags.add(tag);
      }
      const list = [...tags];
      union = { list, json: JSON.stringify(list) };
      unions.set(key, union);
    }
    column.setList(i, union.list, union.json);
  }
  return column;
}

/**
 * meta.comment, and config.tags in the same pass: free-text search needs both (with notes,
 * experiment and tags), and a pass over run_json costs the same for one path or two.
 */
function loadCommentAndConfigTags(db: Database, segment: SourceSegment): Column {
  const rows = db
    .prepare(
      `SELECT run_id, meta -> '$."comment"', config -> '$."tags"' FROM run_json
       WHERE source = ?${onlyRuns(segment.only)} ORDER BY run_id`,
    )
    .raw()
    .all(segment.source, ...onlyParams(segment.only)) as unknown[][];
  if (!rowsMatch(rows, segment)) return loadJsonPath(db, segment, 'meta', ['comment']);
  const comment = new Column(segment.length);
  const tags = new Column(segment.length);
  for (let i = 0; i < rows.length; i++) {
    const [, commentJson, tagsJson] = rows[i] as [string, unknown, unknown];
    if (typeof commentJson === 'string') comment.setJson(i, commentJson);
    if (typeof tagsJson === 'string') tags.setJson(i, tagsJson);
  }
  if (!segment.columns.has('config.tags')) segment.columns.set('config.tags', tags);
  return comment;
}

function loadCount(db: Database, segment: SourceSegment, table: 'artifacts' | 'metrics'): Column {
  const rows = db
    .prepare(
      `SELECT run_id, COUNT(*) FROM ${table}
       WHERE source = ?${onlyRuns(segment.only)} GROUP BY run_id`,
    )
    .raw()
    .all(segment.source, ...onlyParams(segment.only)) as [string, number][];
  const column = new Column(segment.length);
  for (let i = 0; i < segment.length; i++) column.setNumber(i, 0);
  for (const [runId, count] of rows) {
    const row = segment.rowOf(runId);
    if (row !== undefined) column.setNumber(row, count);
  }
  return column;
}

/** Summaries stored in the metrics table, with their columns there (see migration 7). */
export const SUMMARY_FIELDS = [
  'count',
  'first',
  'last',
  'min',
  'max',
  'mean',
  `last${STORED_LAST_N}`,
];
const SUMMARY_SQL =
  'count, first_value, last_value, min_value, max_value, mean_value, last10_value';

function loadMetricColumns(
  db: Database,
  segment: SourceSegment,
  name: string,
  aggregate: string,
): void {
  const id = (agg: string): string => metricColumnId(name, agg);
  const field = SUMMARY_FIELDS.indexOf(aggregate);
  if (field >= 0) {
    const column = new Column(segment.length);
    if (readSummaryPacked(db, segment, name, SUMMARY_COLUMNS[field] as string, column, null)) {
      segment.columns.set(id(aggregate), column);
      return;
    }
    // Read row by row: every summary at once, as one scan gives them all.
    const rows = db
      .prepare(
        `SELECT run_id, ${SUMMARY_SQL} FROM metrics
         WHERE source = ? AND name = ?${onlyRuns(segment.only)}`,
      )
      .raw()
      .all(segment.source, name, ...onlyParams(segment.only)) as unknown[][];
    const columns = SUMMARY_FIELDS.map(() => new Column(segment.length));
    for (const row of rows) {
      const at = segment.rowOf(row[0] as string);
      if (at === undefined) continue;
      columns.forEach((column, k) => {
        const value = row[k + 1];
        if (value === null || value === undefined) return;
        column.setNumber(at, typeof value === 'number' ? value : Number(value));
      });
    }
    // A summary already loaded packed keeps its column (the same values).
    SUMMARY_FIELDS.forEach((summary, k) => {
      if (!segment.columns.has(id(summary))) segment.columns.set(id(summary), columns[k] as Column);
    });
    return;
  }
  const n = lastNCount(aggregate) ?? 1;
  segment.columns.set(
    id(aggregate),
    n <= METRIC_TAIL_POINTS
      ? loadLastNFromTails(db, segment, name, n)
      : loadLastN(db, segment, name, n),
  );
}

export const SUMMARY_COLUMNS = SUMMARY_SQL.split(', ');

/**
 * A summary as text SQLite can pack and JS reads back to the same number: reals with 17
 * digits (the sign of -0 is lost by printf, so it is written apart; infinities come back as
 * "Inf"), integers as they are, texts ("NaN" as stored) behind a "T", null as nothing.
 */
const summaryText = (x: string): string =>
  `CASE typeof(${x})
     WHEN 'real' THEN iif(${x} = 0 AND atan2(${x}, -1) < 0, '-0', printf('%!.17g', ${x}))
     WHEN 'integer' THEN ${x} WHEN 'null' THEN '' ELSE 'T' || ${x} END`;

function summaryNumber(text: string): number {
  const value = Number(text);
  if (value === value) return value;
  if (text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return value;
}

/**
 * One summary of a metric for every run of the segment (or the rows of `range`), packed by
 * SQLite into one text (see summaryText) instead of a row per run, set into `column`. False,
 * with nothing set, when it cannot be (blobs, a separator in a text): the caller reads row by
 * row.
 */
export function readSummaryPacked(
  db: Database,
  segment: SourceSegment,
  name: string,
  sqlColumn: string,
  column: Column,
  range: RowRange | null,
): boolean {
  const runs = runsOf(segment, range);
  const packed = packedOrNull(() =>
    preparedStatement(
      db,
      `SELECT count(*), group_concat(run_id, char(31)), group_concat(${summaryText('v')}, char(31)),
         sum(typeof(v) = 'blob')
       FROM (SELECT run_id, ${sqlColumn} AS v FROM metrics
         WHERE source = ? AND name = ?${runs.sql} ORDER BY run_id)`,
    )
      .raw()
      .get(segment.source, name, ...runs.params),
  ) as [number, string | null, string | null, number | null] | null;
  if (packed === null) return false;
  const [count, idText, valueText, blobs] = packed;
  if (count === 0) return true;
  if ((blobs as number) > 0) return false;
  const ids = (idText as string).split(UNIT);
  const values = (valueText as string).split(UNIT);
  if (ids.length !== count || values.length !== count) return false;
  let at = runs.range.from;
  for (let k = 0; k < count; k++) {
    const id = ids[k] as string;
    // Both in run_id order: walk forward instead of looking every id up.
    const from = at;
    while (at < segment.length && segment.ids[at] !== id) at++;
    let row = at;
    if (at === segment.length) {
      row = segment.rowOf(id) ?? -1;
      at = from;
    }
    if (row < 0) continue;
    const text = values[k] as string;
    if (text === '') continue;
    column.setNumber(
      row,
      text.charCodeAt(0) === 0x54 /* T */ ? Number(text.slice(1)) : summaryNumber(text),
    );
  }
  return true;
}

/** Tails read per query: bounds the text SQLite builds (two hex digits per byte). */
const TAIL_BATCH = 8192;

/**
 * Mean of the last `n` (<= METRIC_TAIL_POINTS) points of each run from the stored tails (see
 * metric-tails.ts): one range of a narrow table, read in batches that SQLite packs into a few
 * values (ids, totals, lengths and every tail's bytes in one blob) instead of a row and a
 * Buffer per run. A tail that does not hold the points it should (a cache written by hand, a
 * write that failed half way) is computed from the chunks.
 */
function loadLastNFromTails(db: Database, segment: SourceSegment, name: string, n: number): Column {
  const column = new Column(segment.length);
  const packed = (from: string): string =>
    `SELECT count(*), group_concat(run_id, char(31)), group_concat(total, ','),
       group_concat(length(tail), ','), unhex(group_concat(hex(tail), '')), max(run_id)
     FROM (SELECT run_id, total, tail FROM metric_tails
       WHERE source = ? AND name = ?${onlyRuns(segment.only)} ${from}
       ORDER BY run_id LIMIT ${TAIL_BATCH})`;
  const only = onlyParams(segment.only);
  const first = db.prepare(packed('')).raw();
  const next = db.prepare(packed('AND run_id > ?')).raw();
  const seen = new Uint8Array(segment.length);
  let valid = 0;
  let complete = true;
  let at = 0;
  let after: string | null = null;
  for (;;) {
    const row = (
      after === null
        ? first.get(segment.source, name, ...only)
        : next.get(segment.source, name, ...only, after)
    ) as [number, string, string, string, Buffer | null, string];
    const [count, idText, totalText, lengthText, blob, last] = row;
    if (count === 0) break;
    const ids = idText.split(String.fromCharCode(31));
    const totals = totalText.split(',');
    const lengths = lengthText.split(',');
    if (ids.length !== count) return loadLastN(db, segment, name, n);
    const values = blobToFloat64(blob ?? Buffer.alloc(0));
    let offset = 0;
    for (let k = 0; k < count; k++) {
      const id = ids[k] as string;
      const bytes = Number(lengths[k]);
      // Not float64s: the packed values would be misaligned from here on.
      if (bytes % 8 !== 0) return loadLastN(db, segment, name, n);
      const length = bytes / 8;
      offset += length;
      // Both in run_id order: walk forward instead of looking every id up.
      const from = at;
      while (at < segment.length && segment.ids[at] !== id) at++;
      let row = at;
      if (at === segment.length) {
        row = segment.rowOf(id) ?? -1;
        at = from;
      }
      if (row < 0) continue;
      if (length !== Math.min(Number(totals[k]), METRIC_TAIL_POINTS)) {
        complete = false;
        continue;
      }
      seen[row] = 1;
      valid++;
      // meanOfTail over values[offset - min(n, length), offset): the same sum in point order.
      let sum = 0;
      let used = 0;
      for (let j = offset - Math.min(n, length); j < offset; j++) {
        const v = values[j] as number;
        if (Number.isNaN(v)) continue;
        sum += v;
        used++;
      }
      if (used > 0) column.setNumber(row, sum / used);
    }
    if (count < TAIL_BATCH) break;
    after = last;
  }
  // Every metric with points has a tail, unless the tails missed a write.
  const withPoints = db
    .prepare(
      `SELECT count(*) FROM metrics
       WHERE source = ? AND name = ?${onlyRuns(segment.only)} AND count > 0`,
    )
    .pluck()
    .get(segment.source, name, ...only) as number;
  if (complete && valid === withPoints) return column;
  const fromChunks = loadLastN(db, segment, name, n);
  for (let i = 0; i < segment.length; i++) {
    if (seen[i] === 1) continue;
    column.kinds[i] = fromChunks.kinds[i] as number;
    column.nums[i] = fromChunks.nums[i] as number;
  }
  return column;
}

type ChunkRow = [runId: string, pointCount: number, values: Buffer, metricCount: number];

/**
 * Mean of the last `n` points of each run, reading only the chunks that hold them: chunks are
 * full but the last (both writers fill the last chunk before adding one). A run whose chunks
 * do not hold enough points after all is read again whole.
 */
function loadLastN(db: Database, segment: SourceSegment, name: string, n: number): Column {
  const column = new Column(segment.length);
  // The counts come from the summary index, cheaply; with one chunk per run (the usual case)
  // the chunks need no join with the metrics table to know which to read.
  const counts = loadColumn(db, segment, metricColumnId(name, 'count'), ['metrics', name, 'count']);
  let most = 0;
  for (let i = 0; i < segment.length; i++) {
    if (counts.kinds[i] === Kind.Number) most = Math.max(most, counts.nums[i] as number);
  }
  const chunks = (
    most <= METRIC_CHUNK_POINTS
      ? db
          .prepare(
            `SELECT run_id, point_count, "values", point_count FROM metric_chunks
             WHERE source = ? AND name = ?${onlyRuns(segment.only)} ORDER BY run_id, chunk_no`,
          )
          .raw()
          .all(segment.source, name, ...onlyParams(segment.only))
      : db
          .prepare(
            `SELECT c.run_id, c.point_count, c."values", m.count FROM metric_chunks c
             JOIN metrics m ON m.source = c.source AND m.run_id = c.run_id AND m.name = c.name
             WHERE c.source = ? AND c.name = ?${onlyRuns(segment.only, 'c.')}
               AND c.chunk_no >= CAST(MAX(m.count - ?, 0) / ? AS INTEGER)
             ORDER BY c.run_id, c.name, c.chunk_no`,
          )
          .raw()
          .all(segment.source, name, ...onlyParams(segment.only), n, METRIC_CHUNK_POINTS)
  ) as ChunkRow[];
  const allChunks = db.prepare(
    `SELECT point_count, "values" FROM metric_chunks
     WHERE source = ? AND run_id = ? AND name = ? ORDER BY chunk_no`,
  );
  let i = 0;
  while (i < chunks.length) {
    const [runId, , , metricCount] = chunks[i] as ChunkRow;
    let parts: Float64Array[] = [];
    let total = 0;
    for (; i < chunks.length && (chunks[i] as ChunkRow)[0] === runId; i++) {
      const [, count, blob] = chunks[i] as ChunkRow;
      parts.push(blobToFloat64(blob).subarray(0, count));
      total += count;
    }
    const row = segment.rowOf(runId);
    if (row === undefined) continue;
    if (total < Math.min(n, metricCount)) {
      const rows = allChunks.raw().all(segment.source, runId, name) as [number, Buffer][];
      parts = rows.map(([count, blob]) => blobToFloat64(blob).subarray(0, count));
      total = parts.reduce((sum, part) => sum + part.length, 0);
    }
    if (total === 0) continue;
    const mean = meanOfTail(parts, Math.min(n, total));
    if (mean !== null) column.setNumber(row, mean);
  }
  return column;
}

export function metricColumnId(name: string, aggregate: string): string {
  return formatColumnPath(['metrics', name, aggregate]);
}
