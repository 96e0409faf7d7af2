import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { QueryEngine } from '../../main/core/query/query-engine';
import { createRunTableService } from '../../main/core/query/run-table-service';
import { informativeColumns } from '../../shared/default-table-columns';
import { DEFAULT_COLUMNS } from '../../shared/filter';
import { writeRunTableData } from '../support/run-table-data';

const NOW = Date.UTC(2025, 0, 1);
let dir: string;
let store: CacheStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-warm-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  writeRunTableData(store, 'a', { runs: 40, seed: 1, nowMs: NOW });
  writeRunTableData(store, 'b', { runs: 20, seed: 2, nowMs: NOW });
});

afterEach(() => {
  vi.useRealTimers();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function service() {
  const engine = new QueryEngine(store.database, () => NOW);
  const table = createRunTableService({ store, now: () => NOW, emitProgress: () => {}, engine });
  return { engine, table };
}

describe('warming the run table up at start', () => {
  it("loads what the default view's first page needs, so that query reads no segment again", async () => {
    const setup = service();
    const view = await setup.table.saveView({
      name: 'lr sorted',
      columns: ['id', 'status', 'config.g1.p4', 'metrics.metric_0.last'],
      filter: 'status = COMPLETED',
      sort: [{ column: 'config.g1.p4', desc: true }],
      sources: ['a'],
      isDefault: true,
    });
    const { engine, table } = service();
    expect(engine.index.counts.loads).toBe(0);
    table.warmUp();
    expect(engine.index.counts.loads).toBe(1);

    const first = await table.queryRuns({
      columns: view.columns,
      sort: view.sort,
      sources: ['a'],
      limit: 100,
    });
    expect(first.rows.length).toBeGreaterThan(0);
    expect(engine.index.counts.loads).toBe(1);
  });

  it('stays quiet when the default view names a source that is gone', async () => {
    const setup = service();
    await setup.table.saveView({
      name: 'old',
      columns: ['id'],
      filter: '',
      sort: [],
      sources: ['removed'],
      isDefault: true,
    });
    const { table } = service();
    expect(() => table.warmUp()).not.toThrow();
  });

  // A restarted window's table of start columns adds the catalog's informative columns, then
  // the user sorts by one: ready (loaded, key kept) if the warm-up prepared them in idle time.
  async function restartedSortOfInformative(withCatalog: boolean) {
    const first = service();
    // Without a stored catalog: the columns the table adds once its build is done.
    const added = withCatalog
      ? informativeColumns((await first.table.listColumns({})).columns)
      : ['config.g1.p4', 'metrics.metric_0.last'];
    expect(added.length).toBeGreaterThan(1);
    const shown = [...DEFAULT_COLUMNS, ...added];
    const sorted = added[0] as string;
    const expected = await first.table.queryRuns({ columns: shown, sort: [{ column: sorted }] });

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { engine, table } = service();
    table.warmUp();
    vi.runAllTimers();
    const before = { ...engine.index.counts };
    const clicked = await table.queryRuns({ columns: shown, sort: [{ column: sorted }] });
    expect(clicked.rows).toEqual(expected.rows);
    return {
      pageReads: engine.index.counts.pageReads - before.pageReads,
      columnLoads: engine.index.counts.columnLoads - before.columnLoads,
      catalogs: store.database.prepare('SELECT COUNT(*) FROM column_catalogs').pluck().get(),
    };
  }

  it('prepares the columns a table of start columns adds from a stored catalog', async () => {
    const click = await restartedSortOfInformative(true);
    // Every shown column was loaded in idle time: the sort's page reads nothing run by run.
    expect(click).toEqual({ pageReads: 0, columnLoads: 0, catalogs: 2 });
  });

  it("builds no catalog at start and prepares only the view's columns without one", async () => {
    const click = await restartedSortOfInformative(false);
    expect(click.catalogs).toBe(0);
    expect(click.pageReads + click.columnLoads).toBeGreaterThan(0);
  });
});
