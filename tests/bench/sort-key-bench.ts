/**
 * Sort keys kept per column (column-order.ts), in the engine: `tsx tests/bench/sort-key-bench.ts
 * --runs 100000 [--think-ms 1500] [--data-dir DIR]`. On the run table's generated data (two
 * sources, 70/30), for several config and metric columns, times:
 * - the first sort by a column shown `think-ms` before (its key built in idle time meanwhile),
 *   beside the same sort with the key built on the click (`forgetSortKeys`: what every first
 *   sort cost before, and what one costs right after a sync changed the column);
 * - a sort recomputed with no kept query order (`forgetOrders`), both directions, with and
 *   without a filter;
 * - SQLite's json_extract scan for the same first page, the baseline of the same run;
 * - the process's resident memory with 20 columns shown and sorted.
 * Times are printed, never asserted; read them against the baseline (a shared machine).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { QueryEngine } from '../../main/core/query/query-engine';
import { writeRunTableData } from '../support/run-table-data';

const NOW = Date.UTC(2025, 0, 1);
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5000' },
    'think-ms': { type: 'string', default: '1500' },
    // An existing data dir written with the same sizes (kept between runs when given).
    'data-dir': { type: 'string' },
  },
});
const runs = Number(values.runs);
const thinkMs = Number(values['think-ms']);
const SHOWN = ['experiment', 'status', 'start_time', 'host'];
const SORTED = [
  'config.g1.p4',
  'metrics.metric_0.last',
  'config.g3.p2',
  'metrics.metric_1.max',
  'config.g2.p1',
];
const MORE = [
  'duration',
  'tags',
  'notes',
  'command',
  'result',
  'config.g0.p1',
  'config.g4.p3',
  'config.seed',
  'metrics.metric_2.mean',
  'metrics.metric_3.min',
  'metrics.metric_4.last',
];

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function time(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

function residentMb(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'mu').exec(
    readFileSync('/proc/self/status', 'utf8'),
  );
  return match?.[1] === undefined ? NaN : Number(match[1]) / 1024;
}

const keep = values['data-dir'];
const dataDir = keep ?? mkdtempSync(path.join(tmpdir(), 'altar-sort-key-bench-'));
try {
  if (keep === undefined || !existsSync(cacheFilePath(dataDir))) {
    const started = performance.now();
    const store = CacheStore.open(cacheFilePath(dataDir));
    const lab = { nowMs: NOW, distinctText: true, pointsPerMetric: 10 };
    const first = Math.ceil(runs * 0.7);
    writeRunTableData(store, 'lab-a', { ...lab, runs: first, seed: 11 });
    writeRunTableData(store, 'lab-b', { ...lab, runs: runs - first, seed: 12 });
    store.close();
    console.log(
      `data: ${runs} runs written in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  const store = CacheStore.open(cacheFilePath(dataDir));
  const residentBefore = residentMb('VmRSS');
  const engine = new QueryEngine(store.database, () => NOW, 0);
  engine.query({ columns: SHOWN, limit: 100 });
  const sortBy = (column: string, desc: boolean, where?: string) => () =>
    engine.query({ columns: [...SHOWN, column], sort: [{ column, desc }], where, limit: 100 });

  const firstSort: number[] = [];
  const keyOnClick: number[] = [];
  const recomputed: number[] = [];
  const filtered: number[] = [];
  for (const column of SORTED) {
    // The user adds the column, reads it, clicks its header.
    engine.query({ columns: [...SHOWN, column], limit: 100 });
    await sleep(thinkMs);
    firstSort.push(time(sortBy(column, false)));
    for (let i = 0; i < 6; i++) {
      engine.forgetSortKeys();
      keyOnClick.push(time(sortBy(column, i % 2 === 0)));
      engine.forgetOrders();
      recomputed.push(time(sortBy(column, i % 2 === 0)));
      engine.forgetOrders();
      filtered.push(time(sortBy(column, i % 2 === 0, 'status = COMPLETED')));
    }
  }
  const scan = store.database.prepare(
    `SELECT source, run_id, experiment, status, start_time, hostname,
       json_extract(config, '$.g1.p4') AS k FROM runs ORDER BY k IS NULL, k ASC LIMIT 100`,
  );
  const scans = [0, 1, 2].map(() => time(() => scan.all()));
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  console.log(`sort keys, ${runs} runs in 2 sources (median over ${SORTED.length} columns)`);
  console.log(`first sort, column shown ${thinkMs} ms before: ${ms(median(firstSort))}`);
  console.log(`  the same with the key built on the click: ${ms(median(keyOnClick))}`);
  console.log(`recomputed (no kept order), both directions: ${ms(median(recomputed))}`);
  console.log(`  with the filter status = COMPLETED: ${ms(median(filtered))}`);
  console.log(`baseline: SQLite json_extract scan (first page) ${ms(median(scans))}`);

  const shown = [...SHOWN];
  for (const column of [...SORTED, ...MORE]) {
    shown.push(column);
    engine.query({ columns: shown, limit: 100 });
    engine.query({ columns: shown, sort: [{ column, desc: true }], limit: 100 });
  }
  await sleep(thinkMs);
  console.log(
    `resident with ${shown.length} columns shown and sorted: ${residentMb('VmRSS').toFixed(0)} MB ` +
      `(peak ${residentMb('VmHWM').toFixed(0)} MB; ${residentBefore.toFixed(0)} MB with the ` +
      `cache open and nothing loaded)`,
  );
  store.close();
} finally {
  if (keep === undefined) rmSync(dataDir, { recursive: true, force: true });
}
