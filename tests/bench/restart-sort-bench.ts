/**
 * The first sort after a restart and the calls answered during the idle-time column loads, in
 * the engine alone (issue 13): `npx tsx tests/bench/restart-sort-bench.ts --cache FILE
 * [--rounds N]`, on a table cache written by `npm run bench:ui -- --data-dir D`
 * (D/t…/table/cache.sqlite). The file is copied first (the bench stores sort keys in its copy),
 * so the shared full-size data may be used. Per round and column (a config and a metric
 * column), a new engine (the app started again) answers the restarted window's first page
 * (default columns plus the columns the catalog adds, the sorted one among them), then the
 * click on the column's sort is timed three ways in the same run:
 * - now: the key read from the cache file, checked on sampled runs, the page's columns read
 *   for its runs (no whole column);
 * - before (the baseline): the column loaded whole first, as the click did when the idle-time
 *   loads had not reached it, then the stored key checked against it;
 * - warm: after the idle-time work is done (the column loaded and its key kept).
 * Then the event loop's delay while the idle steps load the shown columns whole, as a call
 * arriving meanwhile waits for the step under way: loaded in slices (now) against a whole
 * column a step (before), and with nothing to do. Prints medians; nothing is asserted.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { QueryEngine, resolveColumn } from '../../main/core/query/query-engine';
import { DEFAULT_COLUMNS } from '../../shared/filter';
import { CATALOG_ADDED_COLUMNS } from '../support/run-table-data';
import { median } from './ui-bench-page';

const { values } = parseArgs({
  options: {
    cache: { type: 'string' },
    rounds: { type: 'string', default: '3' },
  },
});
if (values.cache === undefined) {
  console.error('usage: restart-sort-bench.ts --cache FILE [--rounds N]');
  process.exit(2);
}
const NOW = Date.UTC(2025, 0, 1);
const SORTED = ['config.g1.p4', 'metrics.metric_0.last'];
const COLUMNS = [...DEFAULT_COLUMNS, ...CATALOG_ADDED_COLUMNS];
const PAGE = 100;

const work = mkdtempSync(path.join(tmpdir(), 'altar-restart-sort-'));
const file = path.join(work, 'cache.sqlite');
copyFileSync(values.cache, file);
for (const suffix of ['-wal']) {
  try {
    copyFileSync(values.cache + suffix, file + suffix);
  } catch {
    // no WAL left
  }
}

const time = (fn: () => unknown): number => {
  const started = performance.now();
  fn();
  return performance.now() - started;
};
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The app started again: a new connection and engine, the window's first page answered. */
function restarted(): { db: Database.Database; engine: QueryEngine } {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  const engine = new QueryEngine(db, () => NOW);
  engine.query({ columns: COLUMNS, limit: PAGE });
  return { db, engine };
}

const click = (engine: QueryEngine, column: string, desc = false) =>
  engine.query({ columns: COLUMNS, sort: [{ column, desc }], limit: PAGE });

/** Lets the engine's idle steps run until nothing is queued (or `maxMs`). */
async function idle(engine: QueryEngine, maxMs = 120_000): Promise<void> {
  const started = performance.now();
  let last = JSON.stringify(engine.sortKeyCounts) + JSON.stringify(engine.index.counts);
  let quiet = 0;
  while (performance.now() - started < maxMs && quiet < 5) {
    await wait(100);
    const now = JSON.stringify(engine.sortKeyCounts) + JSON.stringify(engine.index.counts);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

// The first start: the keys are built and stored, as the app stores every key it builds.
{
  const { db, engine } = restarted();
  for (const column of SORTED) click(engine, column);
  await idle(engine);
  console.log(`keys stored by the first start: ${engine.sortKeyCounts.saved}`);
  db.close();
}

const rows: Record<string, number[]> = {};
const add = (name: string, ms: number) => (rows[name] ??= []).push(ms);
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const column of SORTED) {
    {
      const { db, engine } = restarted();
      const loads = engine.index.counts.columnLoads;
      add(
        `${column} now`,
        time(() => click(engine, column)),
      );
      add(`${column} now: whole loads`, engine.index.counts.columnLoads - loads);
      add(`${column} now: keys read unloaded`, engine.sortKeyCounts.storedUnloaded);
      await idle(engine);
      add(
        `${column} warm`,
        time(() => click(engine, column, true)),
      );
      db.close();
    }
    {
      const { db, engine } = restarted();
      const { path: columnPath } = resolveColumn(column);
      add(
        `${column} before`,
        time(() => {
          for (const segment of engine.ordered({}).segments) {
            engine.index.column(segment, column, columnPath);
          }
          click(engine, column);
        }),
      );
      db.close();
    }
  }
  // The idle-time loads of the shown columns, and how long a call arriving meanwhile waits.
  for (const mode of ['slices', 'whole column a step', 'nothing to do'] as const) {
    const { db, engine } = restarted();
    if (mode === 'whole column a step') engine.index.sliceRows = 1 << 30;
    if (mode === 'nothing to do') await idle(engine);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    await idle(engine);
    delay.disable();
    const ms = (ns: number) => ns / 1e6;
    add(`idle loads, ${mode}: event loop delay p99`, ms(delay.percentile(99)));
    add(`idle loads, ${mode}: event loop delay max`, ms(delay.max));
    add(`idle loads, ${mode}: seconds`, (performance.now() - started) / 1000);
    db.close();
  }
}
for (const [name, each] of Object.entries(rows)) {
  console.log(`${name}: ${median(each).toFixed(1)} (${each.map((v) => v.toFixed(1)).join(', ')})`);
}
rmSync(work, { recursive: true, force: true });
