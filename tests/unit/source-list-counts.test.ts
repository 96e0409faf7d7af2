import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { writeRunTableData } from '../support/run-table-data';

let dir: string | null = null;
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('the source list', () => {
  it('counts runs and unreadable runs per source from indexes, not by reading every run', () => {
    dir = mkdtempSync(join(tmpdir(), 'altar-sources-'));
    const store = CacheStore.open(join(dir, 'cache.sqlite'));
    try {
      writeRunTableData(store, 'a', { runs: 12, seed: 1, nowMs: Date.UTC(2025, 0, 1) });
      writeRunTableData(store, 'b', { runs: 5, seed: 2, nowMs: Date.UTC(2025, 0, 1) });
      store.database
        .prepare(
          `UPDATE runs SET unreadable = 'run.json is not valid JSON' WHERE run_id IN ('2', '7')`,
        )
        .run();
      const counts = store
        .listSources()
        .map((row) => [row.name, row.run_count, row.unreadable_count]);
      expect(counts).toEqual([
        ['a', 12, 2],
        ['b', 5, 1],
      ]);

      // The UI asks for this list after every change; a plan that scans the runs' rows took
      // ~250 ms at 100k runs. Both counts must be answered by an index.
      const plan = store.database
        .prepare(
          `EXPLAIN QUERY PLAN SELECT
             (SELECT COUNT(*) FROM runs r WHERE r.source = s.name),
             (SELECT COUNT(*) FROM runs r WHERE r.source = s.name AND r.unreadable IS NOT NULL)
           FROM sources s`,
        )
        .all() as Array<{ detail: string }>;
      const searches = plan.map((step) => step.detail).filter((d) => d.includes(' r '));
      expect(searches).toHaveLength(2);
      for (const search of searches)
        expect(search).toMatch(/COVERING INDEX|USING INDEX runs_unreadable/u);
    } finally {
      store.close();
    }
  });
});
