/**
 * The first page a restarted window asks, in the engine alone (issue 13):
 * `npx tsx tests/bench/restart-first-page.ts --cache FILE [--rounds N]`, on a table cache
 * written by `npm run bench:ui -- --data-dir D` (D/t…/table/cache.sqlite; opened read-only,
 * never changed, so the shared full-size data may be used). Per round, a new engine (the app
 * started again) answers the start's first page with the default columns (the sources
 * loaded), then the page again with the columns the catalog adds (config and metric
 * columns nobody filters or sorts by), timed two ways: each value read from its whole column
 * (what every page did before page-column.ts: ~100k runs read per column and source) and as
 * QueryEngine.query answers it now (the page's runs alone; the whole columns load in idle
 * time after). Prints wall and CPU time and the index's read counts. Nothing is asserted.
 */
import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';
import { QueryEngine, resolveColumn } from '../../main/core/query/query-engine';
import { DEFAULT_COLUMNS } from '../../shared/filter';
import { CATALOG_ADDED_COLUMNS } from '../support/run-table-data';

const { values } = parseArgs({
  options: {
    cache: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    limit: { type: 'string', default: '200' },
  },
});
if (values.cache === undefined) {
  console.error('usage: restart-first-page.ts --cache FILE [--rounds N] [--limit N]');
  process.exit(2);
}
const limit = Number(values.limit);
const columns = [...DEFAULT_COLUMNS, ...CATALOG_ADDED_COLUMNS];
const NOW = Date.UTC(2025, 0, 1);

for (let round = 1; round <= Number(values.rounds); round++) {
  for (const mode of ['whole columns', 'page reads'] as const) {
    const db = new Database(values.cache, { readonly: true });
    try {
      const engine = new QueryEngine(db, () => NOW, 8, false, false);
      engine.query({ columns: [...DEFAULT_COLUMNS], limit });
      const started = performance.now();
      const cpu = process.cpuUsage();
      if (mode === 'page reads') engine.query({ columns, limit });
      else {
        const ordered = engine.ordered({});
        const resolved = columns.map(resolveColumn);
        for (let k = 0; k < Math.min(limit, ordered.total); k++) {
          engine.row(ordered, k, resolved);
        }
      }
      const used = process.cpuUsage(cpu);
      const { columnLoads, pageReads } = engine.index.counts;
      console.log(
        `round ${round}, ${mode}: ${(performance.now() - started).toFixed(1)} ms wall, ` +
          `${((used.user + used.system) / 1000).toFixed(1)} ms CPU ` +
          `(column loads ${columnLoads}, page reads ${pageReads})`,
      );
    } finally {
      db.close();
    }
  }
}
