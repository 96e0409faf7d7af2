// The column picker's first open builds the source's catalog (seconds at 100k runs). It is
// built in slices off a read snapshot, so other calls are answered meanwhile, and the runs
// written during the build are counted as the finished catalog is stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../../shared/contract';
import { CacheStore } from '../../main/core/cache/cache-store';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import { hasReadyCatalog } from '../../main/core/query/column-catalog-store';
import { QueryEngine } from '../../main/core/query/query-engine';
import { createRunTableService } from '../../main/core/query/run-table-service';
import { listColumnsByWalkingAllRuns, oracleColumns } from '../support/column-discovery-oracle';
import { generateRun, writeRunTableData } from '../support/run-table-data';

const NOW = Date.UTC(2025, 0, 1);
const SLICE = 40;
const RUNS = SLICE * 3 + 17;
let dir: string;
let store: CacheStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-catalog-bg-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  writeRunTableData(store, 'a', { runs: RUNS, seed: 4, nowMs: NOW });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A build that stops after its first slice until `release` is called. */
function heldBuild() {
  let reached!: () => void;
  const atFirstSlice = new Promise<void>((resolve) => (reached = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let slices = 0;
  const table = createRunTableService({
    store,
    now: () => NOW,
    emitProgress: () => {},
    engine: new QueryEngine(store.database, () => NOW),
    catalogBuildHooks: {
      runsPerSlice: SLICE,
      afterSlice: async () => {
        slices++;
        if (slices === 1) {
          reached();
          await released;
        }
      },
    },
  });
  return { table, atFirstSlice, release, slices: () => slices };
}

function pending<T>(promise: Promise<T>): { settled: () => boolean } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled };
}

function picked(columns: readonly ColumnInfo[]): ColumnInfo[] {
  return oracleColumns(columns);
}

describe('the column catalog built in the background', () => {
  it('answers a runs query while the first open of the picker is still building', async () => {
    const { table, atFirstSlice, release, slices } = heldBuild();
    const listing = table.listColumns({});
    const listed = pending(listing);
    await atFirstSlice;

    const page = await table.queryRuns({ columns: ['id', 'status'], limit: 5 });
    expect(page.rows).toHaveLength(5);
    expect(page.total).toBe(RUNS);
    expect(listed.settled()).toBe(false);
    expect(hasReadyCatalog(store.database, 'a')).toBe(false);

    release();
    const { columns } = await listing;
    expect(slices()).toBeGreaterThanOrEqual(4);
    expect(hasReadyCatalog(store.database, 'a')).toBe(true);
    expect(picked(columns)).toEqual(listColumnsByWalkingAllRuns(store.database, ['a']));
  });

  it('counts runs added, changed and removed while it was building', async () => {
    const { table, atFirstSlice, release } = heldBuild();
    const listing = table.listColumns({});
    await atFirstSlice;

    const random = new SeededRandom(99);
    const options = { runs: 1, nowMs: NOW, configKeys: 60 };
    store.database.transaction(() => {
      // A new run, a changed one (in a slice already counted: ids sort as text), a removed one.
      for (const id of ['new-1', '1', `${RUNS}`]) {
        store.writeRun('a', { id, dir: null, fingerprint: 'g' }, generateRun(id, random, options));
      }
      store.database.prepare("DELETE FROM runs WHERE source = 'a' AND run_id = '2'").run();
    })();

    release();
    const { columns } = await listing;
    expect(picked(columns)).toEqual(listColumnsByWalkingAllRuns(store.database, ['a']));
    // And a second open, from the stored catalog, agrees.
    const again = await table.listColumns({});
    expect(picked(again.columns)).toEqual(listColumnsByWalkingAllRuns(store.database, ['a']));
  });

  it('leaves no half-built catalog when stopped, and the next open builds it again', async () => {
    const { table, atFirstSlice, release } = heldBuild();
    const building = table.prepareColumnCatalogs();
    await atFirstSlice;
    table.stopBackgroundWork();
    release();
    await building;
    expect(hasReadyCatalog(store.database, 'a')).toBe(false);
    const count = store.database
      .prepare("SELECT count(*) FROM column_catalogs WHERE source = 'a'")
      .pluck()
      .get();
    expect(count).toBe(0);

    const next = createRunTableService({ store, now: () => NOW, emitProgress: () => {} });
    const { columns } = await next.listColumns({});
    expect(picked(columns)).toEqual(listColumnsByWalkingAllRuns(store.database, ['a']));
    expect(hasReadyCatalog(store.database, 'a')).toBe(true);
  });
});
