// The column picker's first open builds the source's catalog on a worker thread: the main
// thread, which answers the window, does none of the counting. A thread that cannot start or
// dies leaves the build to the main thread's slices; the runs written meanwhile are counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import { startCatalogBuildThread } from '../../main/core/query/catalog-build-thread';
import type { CatalogBuildThread } from '../../main/core/query/catalog-build-thread';
import { hasReadyCatalog } from '../../main/core/query/column-catalog-store';
import { createRunTableService } from '../../main/core/query/run-table-service';
import type { CatalogBuildHooks } from '../../main/core/query/background-catalog-build';
import { listColumnsByWalkingAllRuns, oracleColumns } from '../support/column-discovery-oracle';
import { loggedWarnings } from '../support/logged-warnings';
import { generateRun, writeRunTableData } from '../support/run-table-data';

const NOW = Date.UTC(2025, 0, 1);
const RUNS = 150;
let dir: string;
let store: CacheStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-catalog-thread-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  writeRunTableData(store, 'a', { runs: RUNS, seed: 5, nowMs: NOW });
});

/** What the build said in the log. */
const warnings = loggedWarnings();

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function tableWith(hooks: CatalogBuildHooks) {
  return createRunTableService({
    store,
    now: () => NOW,
    emitProgress: () => {},
    catalogBuildHooks: hooks,
  });
}

/**
 * A real build thread whose answer is handed on only once `release` is called, after
 * `beforeAnswer` ran (the thread has then finished reading its snapshot).
 */
function heldThread(beforeAnswer: () => void = () => {}) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let answered!: () => void;
  const hasAnswered = new Promise<void>((resolve) => (answered = resolve));
  const started: string[] = [];
  const startThread: CatalogBuildHooks['startThread'] = (data) => {
    const thread = startCatalogBuildThread(data);
    if (thread === null) throw new Error('no build thread could start in the test');
    started.push(data.source);
    const held: CatalogBuildThread = {
      answer: thread.answer.then(async (body) => {
        answered();
        beforeAnswer();
        await released;
        return body;
      }),
      stop: () => {
        thread.stop();
        release();
      },
    };
    return held;
  };
  return { startThread, release, hasAnswered, started };
}

const walked = (): unknown => listColumnsByWalkingAllRuns(store.database, ['a']);

describe('the column catalog built on its own thread', () => {
  it('answers runs queries meanwhile and lists what walking every run lists', async () => {
    const held = heldThread();
    const table = tableWith({ startThread: held.startThread });
    const listing = table.listColumns({});
    await held.hasAnswered;
    // The thread is done counting; its answer is held: the main thread answers meanwhile.
    const page = await table.queryRuns({ columns: ['id', 'status'], limit: 5 });
    expect(page.total).toBe(RUNS);
    expect(hasReadyCatalog(store.database, 'a')).toBe(false);
    held.release();
    const { columns } = await listing;
    expect(held.started).toEqual(['a']);
    expect(oracleColumns(columns)).toEqual(walked());
    expect(hasReadyCatalog(store.database, 'a')).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('counts the runs written after its snapshot, from the change log', async () => {
    const random = new SeededRandom(7);
    const options = { runs: 1, nowMs: NOW, configKeys: 60 };
    const held = heldThread(() => {
      store.database.transaction(() => {
        for (const id of ['new-1', '1', `${RUNS}`]) {
          store.writeRun(
            'a',
            { id, dir: null, fingerprint: 'g' },
            generateRun(id, random, options),
          );
        }
        store.database.prepare("DELETE FROM runs WHERE source = 'a' AND run_id = '2'").run();
      })();
    });
    const table = tableWith({ startThread: held.startThread });
    const listing = table.listColumns({});
    held.release();
    const { columns } = await listing;
    expect(oracleColumns(columns)).toEqual(walked());
    const again = await table.listColumns({});
    expect(oracleColumns(again.columns)).toEqual(walked());
  });

  it('builds on the main thread when the thread cannot start its code, and says so', async () => {
    const table = tableWith({
      startThread: (data) => startCatalogBuildThread(data, { code: 'throw new Error("no build")' }),
    });
    const { columns } = await table.listColumns({});
    expect(oracleColumns(columns)).toEqual(walked());
    expect(hasReadyCatalog(store.database, 'a')).toBe(true);
    expect(warnings).toEqual([
      expect.stringMatching(/column catalog is built on the main thread.*no build/),
    ]);
  });

  it('builds on the main thread when the thread dies, answers nonsense or none can start', async () => {
    for (const [startThread, reason] of [
      [() => ({ answer: Promise.reject(new Error('killed')), stop: () => {} }), /killed/],
      [() => null, /no worker thread can start/],
      [() => ({ answer: Promise.resolve('{"not":"a catalog"}'), stop: () => {} }), /not a catalog/],
    ] as const) {
      store.database.prepare('DELETE FROM column_catalogs').run();
      warnings.length = 0;
      const table = tableWith({ startThread });
      const { columns } = await table.listColumns({});
      expect(oracleColumns(columns)).toEqual(walked());
      expect(hasReadyCatalog(store.database, 'a')).toBe(true);
      expect(warnings).toEqual([expect.stringMatching(reason)]);
    }
  });

  it('leaves no half-built catalog when stopped, and the next open builds it again', async () => {
    const held = heldThread();
    const table = tableWith({ startThread: held.startThread });
    const building = table.prepareColumnCatalogs();
    await held.hasAnswered;
    table.stopBackgroundWork();
    await building;
    const rows = store.database
      .prepare("SELECT count(*) FROM column_catalogs WHERE source = 'a'")
      .pluck()
      .get();
    expect(rows).toBe(0);

    const next = tableWith({});
    const { columns } = await next.listColumns({});
    expect(oracleColumns(columns)).toEqual(walked());
    expect(hasReadyCatalog(store.database, 'a')).toBe(true);
  });
});
