/**
 * The run table at scale: `tsx tests/bench/run-table-bench.ts --table-runs 100000` (also run,
 * at a small size, by `npm run bench`). Writes generated runs (50 config keys, 5 metrics each)
 * straight into the cache, then times what the table asks the core for, each operation next
 * to a naive SQLite baseline measured in the same run (json_extract over the stored JSON):
 * open (first 100 rows), sort by a nested config key, filter `config.x > v and status = ...`,
 * sort by a metric summary, typing a free-text search. The headline times are recomputed: the
 * columns are loaded but the engine forgets every kept query order before each iteration
 * (`QueryEngine.forgetOrders`), so the filter is evaluated again and the sort done again from the
 * column's kept sort key (column-order.ts: a pass over it; ascending over every run, the key
 * itself). Beside them: first use (the first query that needs a column, loading it), keys
 * rebuilt (`forgetSortKeys`: the column's sort key built again, as after a sync that changed
 * its values) and the kept-order time (the same query repeated, a lookup).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Database } from 'better-sqlite3';
import { createAltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { listColumns } from '../../main/core/query/discover-columns';
import { QueryEngine, resolveColumn } from '../../main/core/query/query-engine';
import { createRunTableService } from '../../main/core/query/run-table-service';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { DEFAULT_COLUMNS } from '../../shared/filter';
import { generateRun, writeRunTableData } from '../support/run-table-data';

export interface RunTableBenchOptions {
  runs: number;
  iterations?: number;
  /** Each metric's length, log-uniform in this range (lab-like: 1k–100k points). */
  metricPoints?: { min: number; max: number };
}

/** `--metric-points 1000-100000` → { min: 1000, max: 100000 }; one number is a fixed length. */
export function parsePointRange(text: string): { min: number; max: number } {
  const [low, high] = text.split('-');
  const min = Number(low);
  const max = high === undefined ? min : Number(high);
  if (!Number.isFinite(min) || !Number.isFinite(max) || min < 1) {
    throw new Error(`--metric-points: expected MIN-MAX, got "${text}"`);
  }
  return { min, max: Math.max(min, max) };
}

interface Operation {
  name: string;
  /** The engine's query for iteration i. */
  query: (i: number) => Parameters<QueryEngine['query']>[0];
  /** The same answer (first 100 rows and the total) from SQLite alone. */
  baseline: (db: Database, i: number) => unknown;
}

const NOW = Date.UTC(2025, 0, 1);
const PAGE = 100;
const TYPED = ['r', 're', 'res', 'resn', 'resne', 'resnet', 'resnet_', 'resnet_c', 'good', 'base'];

function generateRunTableRuns(count: number, seed: number, nowMs: number): ParsedRun[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, (_, k) =>
    generateRun(String(k + 1), random, { runs: count, nowMs }),
  );
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const OPERATIONS: Operation[] = [
  {
    name: 'open (first 100 rows)',
    query: () => ({ columns: [...DEFAULT_COLUMNS], limit: PAGE }),
    baseline: (db) => [
      db
        .prepare(
          `SELECT source, run_id, experiment, status, start_time, stop_time, hostname FROM runs
           ORDER BY start_time DESC LIMIT ${PAGE}`,
        )
        .all(),
      db.prepare('SELECT COUNT(*) FROM runs').get(),
    ],
  },
  {
    name: 'sort by config.g1.p4',
    query: (i) => ({
      columns: [...DEFAULT_COLUMNS, 'config.g1.p4'],
      sort: [{ column: 'config.g1.p4', desc: i % 2 === 0 }],
      limit: PAGE,
    }),
    baseline: (db, i) => [
      db
        .prepare(
          `SELECT source, run_id, experiment, status, start_time, hostname,
             json_extract(config, '$.g1.p4') AS k FROM runs
           ORDER BY k IS NULL, k ${i % 2 === 0 ? 'DESC' : 'ASC'} LIMIT ${PAGE}`,
        )
        .all(),
      db.prepare('SELECT COUNT(*) FROM runs').get(),
    ],
  },
  {
    name: 'filter config.g0.p1 > v and status = COMPLETED',
    query: (i) => ({
      columns: [...DEFAULT_COLUMNS, 'config.g0.p1'],
      where: `config.g0.p1 > ${(i % 10) - 5} and status = COMPLETED`,
      limit: PAGE,
    }),
    baseline: (db, i) => {
      const where = `json_extract(config, '$.g0.p1') > ${(i % 10) - 5} AND status = 'COMPLETED'`;
      return [
        db
          .prepare(
            `SELECT source, run_id, experiment, status, start_time, hostname,
               json_extract(config, '$.g0.p1') FROM runs WHERE ${where}
             ORDER BY start_time DESC LIMIT ${PAGE}`,
          )
          .all(),
        db.prepare(`SELECT COUNT(*) FROM runs WHERE ${where}`).get(),
      ];
    },
  },
  {
    name: 'sort by metrics.metric_0.last',
    query: (i) => ({
      columns: [...DEFAULT_COLUMNS, 'metrics.metric_0.last'],
      sort: [{ column: 'metrics.metric_0.last', desc: i % 2 === 0 }],
      limit: PAGE,
    }),
    baseline: (db, i) => [
      db
        .prepare(
          `SELECT r.source, r.run_id, r.experiment, r.status, r.start_time, r.hostname,
             m.last_value AS k FROM runs r
           LEFT JOIN metrics m ON m.source = r.source AND m.run_id = r.run_id
             AND m.name = 'metric_0'
           ORDER BY k IS NULL, k ${i % 2 === 0 ? 'DESC' : 'ASC'} LIMIT ${PAGE}`,
        )
        .all(),
      db.prepare('SELECT COUNT(*) FROM runs').get(),
    ],
  },
  {
    name: 'free-text search (typing)',
    query: (i) => ({
      columns: [...DEFAULT_COLUMNS],
      where: JSON.stringify(TYPED[i % TYPED.length]),
      limit: PAGE,
    }),
    baseline: (db, i) => {
      const like = `'%${TYPED[i % TYPED.length] as string}%'`;
      const where = `experiment LIKE ${like} OR comment LIKE ${like}
        OR json_extract(meta, '$.comment') LIKE ${like} OR tags LIKE ${like}
        OR json_extract(config, '$.tags') LIKE ${like}`;
      return [
        db
          .prepare(
            `SELECT source, run_id, experiment, status, start_time, hostname FROM runs
             WHERE ${where} ORDER BY start_time DESC LIMIT ${PAGE}`,
          )
          .all(),
        db.prepare(`SELECT COUNT(*) FROM runs WHERE ${where}`).get(),
      ];
    },
  },
];

/**
 * What the live refresh costs the table every few seconds: 5 running runs of lab-a get a new
 * heartbeat and a point more per metric (as refresh-live-runs.ts writes them), then every
 * column loaded so far is brought up to date. This process wrote: the rows are patched. The
 * same write through another connection (the CLI's sync) takes the old path: lab-a reloaded.
 */
function measureRefresh(store: CacheStore, engine: QueryEngine, file: string): string {
  const sources = engine.resolveSources(undefined);
  const loaded = engine.index
    .segmentsOf(sources)
    .map((segment) => [...segment.columns.keys()].map((id) => resolveColumn(id)));
  const catchUp = (): void => {
    engine.index.segmentsOf(sources).forEach((segment, s) => {
      for (const column of loaded[s] ?? []) engine.index.column(segment, column.id, column.path);
    });
  };
  const other = CacheStore.open(file);
  const write = (into: CacheStore, round: number): void => {
    for (let k = 0; k < 5; k++) {
      const id = String(1 + k * 97);
      const run = generateRun(id, new SeededRandom(Number(id)), { runs: 1, nowMs: NOW });
      run.status = 'RUNNING';
      run.stopTime = null;
      run.heartbeat = new Date(NOW - 1000 + round).toISOString();
      for (const metric of run.metrics) {
        metric.steps = Float64Array.from([...metric.steps, 1000 + round]);
        metric.values = Float64Array.from([...metric.values, round / 10]);
        metric.timestamps = Float64Array.from([...metric.timestamps, NOW]);
      }
      into.writeRun('lab-a', { id, dir: null, fingerprint: `r${round}` }, run);
    }
  };
  const refresh: number[] = [];
  const full: number[] = [];
  const before = { ...engine.index.counts };
  try {
    for (let round = 0; round < 6; round++) {
      write(store, 2 * round);
      refresh.push(time(catchUp));
      write(other, 2 * round + 1);
      full.push(time(catchUp));
    }
  } finally {
    other.close();
  }
  const patched = engine.index.counts.refreshes - before.refreshes;
  const columns = loaded[sources.indexOf('lab-a')]?.length ?? 0;
  return (
    `refresh of 5 changed runs (${columns} loaded columns of lab-a patched, ${patched} times): ` +
    `p50 ${percentile(refresh, 50).toFixed(1)} ms; full reload (the same write by another ` +
    `process): p50 ${percentile(full, 50).toFixed(0)} ms`
  );
}

export async function runRunTableBench(options: RunTableBenchOptions): Promise<string[]> {
  const iterations = options.iterations ?? 20;
  const work = mkdtempSync(path.join(tmpdir(), 'altar-table-bench-'));
  const lines: string[] = [];
  try {
    const dataDir = path.join(work, 'data');
    const writing = performance.now();
    const writer = CacheStore.open(cacheFilePath(dataDir));
    // Two sources, as the table lists runs across sources.
    const first = Math.ceil(options.runs * 0.7);
    // Lab-like data: long metrics and free text with many distinct values.
    const metricPoints = options.metricPoints ?? { min: 1000, max: 100_000 };
    const lab = { nowMs: NOW, metricPoints, distinctText: true };
    writeRunTableData(writer, 'lab-a', { ...lab, runs: first, seed: 11 });
    writeRunTableData(writer, 'lab-b', { ...lab, runs: options.runs - first, seed: 12 });
    const distinct = writer.database
      .prepare(
        `SELECT COUNT(DISTINCT experiment) AS experiments, COUNT(DISTINCT comment) AS comments,
           (SELECT COUNT(*) FROM metrics) AS metrics,
           (SELECT SUM(count) FROM metrics) AS points FROM runs`,
      )
      .get() as { experiments: number; comments: number; metrics: number; points: number };
    writer.close();
    lines.push(
      `run table: ${options.runs} runs in 2 sources (50 config keys, ${distinct.metrics} metrics ` +
        `of ${metricPoints.min}–${metricPoints.max} points, log-uniform, ${distinct.points} points; ` +
        `${distinct.experiments} distinct experiments, ${distinct.comments} distinct comments), written in ` +
        `${((performance.now() - writing) / 1000).toFixed(1)} s; ${iterations} iterations per operation`,
    );

    // First rows from a cold start, through the core as the app opens it.
    const started = performance.now();
    const core = createAltarCore({ dataDir, door: 'direct', now: () => NOW });
    const opened = performance.now();
    const page = await core.queryRuns({ columns: [...DEFAULT_COLUMNS], limit: PAGE });
    const done = performance.now();
    lines.push(
      `first ${page.rows.length} rows from core start: ${(done - started).toFixed(0)} ms ` +
        `(opening the cache file ${(opened - started).toFixed(0)} ms, first query ` +
        `${(done - opened).toFixed(0)} ms; total ${page.total})`,
    );
    await core.close();

    const store = CacheStore.open(cacheFilePath(dataDir));
    const engine = new QueryEngine(store.database, () => NOW, 0);
    const db = store.database;
    lines.push(
      'operation (recomputed: no kept order)         | p50 ms | p95 ms | baseline p50 | speedup | first use ms | kept order p50 | keys rebuilt p50',
    );
    for (const operation of OPERATIONS) {
      const firstUse = time(() => engine.query(operation.query(0)));
      const samples: number[] = [];
      const kept: number[] = [];
      const baseline: number[] = [];
      const rebuilt: number[] = [];
      for (let i = 0; i < iterations; i++) {
        // Columns stay loaded; every kept order, full-column sort and rank is dropped, so the
        // headline is the filter and sort done again (as after any sync).
        engine.forgetOrders();
        samples.push(time(() => engine.query(operation.query(i))));
        // The same query again without forgetting: the kept full-column order (a lookup).
        kept.push(time(() => engine.query(operation.query(i))));
        // Every sort key dropped too: what the sort costs after a sync changed the column.
        engine.forgetSortKeys();
        rebuilt.push(time(() => engine.query(operation.query(i))));
        baseline.push(time(() => operation.baseline(db, i)));
      }
      const p50 = percentile(samples, 50);
      const base = percentile(baseline, 50);
      lines.push(
        `${operation.name.padEnd(46)} | ${p50.toFixed(1).padStart(6)} | ` +
          `${percentile(samples, 95).toFixed(1).padStart(6)} | ${base.toFixed(1).padStart(12)} | ` +
          `${`${(base / p50).toFixed(1)}x`.padStart(7)} | ${firstUse.toFixed(0).padStart(12)} | ` +
          `${percentile(kept, 50).toFixed(1).padStart(14)} | ` +
          `${percentile(rebuilt, 50).toFixed(1).padStart(16)}`,
      );
    }
    const firstConfig = time(() =>
      engine.query({ sort: [{ column: 'config.g3.p2' }], columns: ['config.g3.p2'], limit: PAGE }),
    );
    const firstMetricMean = time(() =>
      engine.query({ sort: [{ column: 'metrics.metric_2.mean' }], limit: PAGE }),
    );
    const firstLastN = time(() =>
      engine.query({ sort: [{ column: 'metrics.metric_3.last5' }], limit: PAGE }),
    );
    const firstLongLastN = time(() =>
      engine.query({ sort: [{ column: 'metrics.metric_4.last200' }], limit: PAGE }),
    );
    lines.push(
      `first use of another config column (sort): ${firstConfig.toFixed(0)} ms; ` +
        `of a metric mean (stored at write time): ${firstMetricMean.toFixed(0)} ms; ` +
        `of metrics.metric_3.last5 (stored tails): ${firstLastN.toFixed(0)} ms; ` +
        `of metrics.metric_4.last200 (chunks): ${firstLongLastN.toFixed(0)} ms`,
    );
    const segments = engine.index.segmentsOf(engine.resolveSources(undefined));
    // The picker's first open through the run table service, as the app calls it: the catalog
    // is built in slices, and runs queries sent meanwhile (one every 10 ms) are answered
    // between two slices. Their worst wait is what the rest of the window feels.
    const table = createRunTableService({ store, now: () => NOW, emitProgress: () => {}, engine });
    let columnCount = 0;
    let building = true;
    const opening = performance.now();
    const firstOpen = table.listColumns({}).then(({ columns }) => {
      building = false;
      columnCount = columns.length;
      return performance.now() - opening;
    });
    const waits: number[] = [];
    while (building) {
      const sent = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 0));
      await table.queryRuns({ columns: [...DEFAULT_COLUMNS], limit: PAGE });
      waits.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const listing = await firstOpen;
    const listingAgain = time(() => listColumns(db, engine, segments));
    lines.push(
      `listColumns (${columnCount} columns with types and distinct counts): first ${listing.toFixed(0)} ms ` +
        `(builds the persisted catalog in slices, once per cache), then ${listingAgain.toFixed(0)} ms; ` +
        `${waits.length} runs queries meanwhile: p50 ${percentile(waits, 50).toFixed(0)} ms, ` +
        `max ${Math.max(0, ...waits).toFixed(0)} ms (they waited for the whole build before)`,
    );
    // As after an app start: a new connection and engine, the table open, then the picker.
    const restarted = CacheStore.open(cacheFilePath(dataDir));
    const afterStart = new QueryEngine(restarted.database, () => NOW, 0);
    afterStart.query({ columns: [...DEFAULT_COLUMNS], limit: PAGE });
    const listingAfterStart = time(() =>
      listColumns(
        restarted.database,
        afterStart,
        afterStart.index.segmentsOf(afterStart.resolveSources(undefined)),
      ),
    );
    // A sync (another connection, as the CLI would) rewrites 5 runs; the table refreshes.
    const changed = generateRunTableRuns(5, 99, NOW);
    store.database.transaction(() => {
      for (const [k, run] of changed.entries()) {
        store.writeRun('lab-a', { id: String(k + 1), dir: null, fingerprint: 'changed' }, run);
      }
    })();
    afterStart.query({ columns: [...DEFAULT_COLUMNS], limit: PAGE });
    const listingAfterChange = time(() =>
      listColumns(
        restarted.database,
        afterStart,
        afterStart.index.segmentsOf(afterStart.resolveSources(undefined)),
      ),
    );
    restarted.close();
    lines.push(
      `listColumns first use after app start: ${listingAfterStart.toFixed(0)} ms; ` +
        `after a sync rewrote 5 runs: ${listingAfterChange.toFixed(0)} ms`,
    );
    lines.push(
      `heap after loading the columns: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB, ` +
        `RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
    );
    lines.push(measureRefresh(store, engine, cacheFilePath(dataDir)));
    store.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      'table-runs': { type: 'string', default: '5000' },
      iterations: { type: 'string', default: '20' },
      'metric-points': { type: 'string', default: '1000-100000' },
    },
  });
  for (const line of await runRunTableBench({
    runs: Number(values['table-runs']),
    iterations: Number(values.iterations),
    metricPoints: parsePointRange(values['metric-points']),
  })) {
    console.log(line);
  }
}
