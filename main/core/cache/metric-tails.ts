import type { Database } from 'better-sqlite3';
import { preparedStatement } from './prepared-statement';

/**
 * Points kept per metric in `metric_tails`: any `lastN` with N up to this is read from the
 * tails (a few hundred bytes per run) instead of the chunks (up to 512 KB of values per run).
 */
export const METRIC_TAIL_POINTS = 100;

/** SQL expressions naming one metric: a trigger's NEW/OLD row, or statement parameters. */
interface MetricKey {
  source: string;
  runId: string;
  name: string;
}

const rowKey = (row: 'NEW' | 'OLD'): MetricKey => ({
  source: `${row}.source`,
  runId: `${row}.run_id`,
  name: `${row}.name`,
});

/**
 * SQL that writes the tail of one metric from its chunks: the last METRIC_TAIL_POINTS values
 * of the last chunk, preceded by the end of the chunk before when the last one holds fewer
 * (writers fill a chunk before starting the next). `total` is the metric's point count, so
 * that a reader can tell a tail that misses points. Nothing when the metric has no chunks.
 */
function insertTail(k: MetricKey): string {
  const key = (alias: string): string =>
    `${alias}.source = ${k.source} AND ${alias}.run_id = ${k.runId} AND ${alias}.name = ${k.name}`;
  const need = `(${METRIC_TAIL_POINTS} - l.point_count)`;
  return `
    INSERT OR REPLACE INTO metric_tails (source, name, run_id, total, tail)
    SELECT l.source, l.name, l.run_id,
      (SELECT SUM(c.point_count) FROM metric_chunks c WHERE ${key('c')}),
      CASE WHEN l.point_count >= ${METRIC_TAIL_POINTS}
        THEN substr(l."values", (l.point_count - ${METRIC_TAIL_POINTS}) * 8 + 1,
          ${METRIC_TAIL_POINTS * 8})
        ELSE ifnull(unhex(
          ifnull((SELECT hex(substr(p."values", max(p.point_count - ${need}, 0) * 8 + 1,
              min(${need}, p.point_count) * 8))
            FROM metric_chunks p WHERE ${key('p')} AND p.chunk_no = l.chunk_no - 1), '')
          || hex(substr(l."values", 1, l.point_count * 8))), x'')
      END
    FROM metric_chunks l WHERE ${key('l')}
    ORDER BY l.chunk_no DESC LIMIT 1`;
}

function refreshTail(row: 'NEW' | 'OLD'): string {
  const k = rowKey(row);
  return `
    DELETE FROM metric_tails
      WHERE source = ${k.source} AND name = ${k.name} AND run_id = ${k.runId};
    ${insertTail(k)};`;
}

/**
 * Writes the tail of a metric whose first `values.length` points its chunks now hold, as the
 * insert trigger of migration 9 did from the chunks (writers fill a chunk before starting the
 * next, so the last chunk and the one before hold the metric's last points); an empty metric
 * has no chunk and no tail. Every writer of chunks calls this once it has written them.
 */
export function writeMetricTail(
  db: Database,
  key: readonly [source: string, runId: string, name: string],
  values: Float64Array,
): void {
  const count = values.length;
  if (count === 0) return;
  const tail = values.subarray(Math.max(0, count - METRIC_TAIL_POINTS), count);
  preparedStatement(
    db,
    `INSERT OR REPLACE INTO metric_tails (source, name, run_id, total, tail)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(key[0], key[2], key[1], count, Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength));
}

/**
 * Migration 21: no trigger writes a tail when a chunk is inserted; the writers do
 * (`writeMetricTail`). With an insert trigger, each chunk's INSERT was a statement SQLite must
 * be able to undo alone inside the sync's transaction, so every page it changed was first
 * copied to the statement journal (a file, once a statement of the transaction had copied
 * more than 64 KiB), and the tails' b-tree (about four 800-byte tails a page, filled out of
 * order) splits pages at most inserts: a 2k-run first sync wrote 363 MB to statement journals,
 * 175 MB of it for the chunks and their tails (issue 13). The update and delete triggers stay:
 * a chunk's update or delete (a run's metrics removed with it) still fixes its tail.
 */
export function dropTailInsertTrigger(db: Database): void {
  db.exec('DROP TRIGGER metric_chunks_tail_insert');
}

/**
 * Migration 9: `metric_tails`, the last METRIC_TAIL_POINTS values of every metric as float64
 * bytes, ordered by metric name so that a `lastN` column of a source is one range of the
 * table. Triggers on metric_chunks keep it, whoever writes the chunks (a sync, a live refresh,
 * another process); existing metrics are filled here from their last chunks, once. Since
 * migration 21 the writers write a tail on insert themselves (`writeMetricTail`).
 */
export function createMetricTails(db: Database): void {
  db.exec(`
    CREATE TABLE metric_tails (
      source TEXT NOT NULL,
      name TEXT NOT NULL,
      run_id TEXT NOT NULL,
      total INTEGER NOT NULL,
      tail BLOB NOT NULL,
      PRIMARY KEY (source, name, run_id)
    ) WITHOUT ROWID;
    CREATE TRIGGER metric_chunks_tail_insert AFTER INSERT ON metric_chunks
      BEGIN ${refreshTail('NEW')} END;
    CREATE TRIGGER metric_chunks_tail_update AFTER UPDATE ON metric_chunks
      BEGIN ${refreshTail('OLD')} ${refreshTail('NEW')} END;
    CREATE TRIGGER metric_chunks_tail_delete AFTER DELETE ON metric_chunks
      BEGIN ${refreshTail('OLD')} END;
  `);
  const keys = db
    .prepare('SELECT DISTINCT source, run_id, name FROM metric_chunks')
    .raw()
    .all() as [string, string, string][];
  const backfill = db.prepare(insertTail({ source: '@source', runId: '@run_id', name: '@name' }));
  for (const [source, runId, name] of keys) backfill.run({ source, run_id: runId, name });
}
