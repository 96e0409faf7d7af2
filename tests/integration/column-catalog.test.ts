// The column picker's persisted catalog (issue 6): after any sequence of writes (sync,
// live refresh, another process, a removed source, an upgraded or damaged cache) listColumns
// answers exactly what walking every run answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../shared/contract';
import { CacheStore } from '../../main/core/cache/cache-store';
import { LiveRunStore } from '../../main/core/cache/live-run-store';
import { migrations, schemaVersion } from '../../main/core/cache/migrations';
import { createColumnCatalog } from '../../main/core/cache/column-catalog-migration';

import { SeededRandom } from '../../main/core/demo/seeded-random';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { buildCatalog, catalogOf } from '../../main/core/query/column-catalog-store';
import { listColumns } from '../../main/core/query/discover-columns';
import { QueryEngine } from '../../main/core/query/query-engine';
import { listColumnsByWalkingAllRuns, oracleColumns } from '../support/column-discovery-oracle';

const COLUMN_CATALOG_VERSION = migrations.indexOf(createColumnCatalog) + 1;

type SchemaObject = { type: string; name: string; sql: string | null };

function schemaObjects(db: Database.Database): SchemaObject[] {
  return db
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    .all() as SchemaObject[];
}

/**
 * Makes the schema what a fresh cache of `version` has: drops what the migrations from
 * `version` on created, and puts back what they dropped (migration 21 drops a trigger of 9).
 */
function downgrade(db: Database.Database, version: number): void {
  const older = new Database(':memory:');
  for (const migration of migrations.slice(0, version)) migration(older);
  const olderObjects = schemaObjects(older);
  older.close();
  const id = ({ type, name }: SchemaObject): string => `${type} ${name}`;
  const kept = new Set(olderObjects.map(id));
  const order = ['trigger', 'view', 'index', 'table'];
  const extra = schemaObjects(db)
    .filter((object) => !kept.has(id(object)))
    .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  // IF EXISTS: a table's own indexes and triggers go with it.
  for (const { type, name } of extra) db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name}"`);
  const present = new Set(schemaObjects(db).map(id));
  const missing = olderObjects
    .filter((object) => !present.has(id(object)) && object.sql !== null)
    .sort((a, b) => order.indexOf(b.type) - order.indexOf(a.type));
  for (const { sql } of missing) db.exec(sql as string);
  db.pragma(`user_version = ${version}`);
}

const NOW = Date.UTC(2025, 0, 1);
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-column-catalog-'));
  file = join(dir, 'cache.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function addSource(store: CacheStore, name: string): void {
  store.addSource({ name, kind: 'folder', location: `/x/${name}`, createdAt: '2025-01-01' });
}

/** Small pools, so that values repeat, kinds mix and paths come and go. */
function randomRun(id: string, random: SeededRandom): ParsedRun {
  const pick = <T>(values: readonly T[]): T => random.pick(values as T[]);
  const leaf = (): JsonValue =>
    pick<JsonValue>([
      1,
      2,
      2.5,
      0,
      'a',
      'b',
      '1',
      '[1]',
      true,
      false,
      null,
      [1],
      [],
      {},
      { x: 1 },
      '2024-03-01T00:00:00Z',
      '7 cats',
    ]);
  const object = (depth: number): JsonObject => {
    const out: JsonObject = {};
    for (const key of ['a', 'b', 'c.d', '$e', '0'].filter(() => random.chance(0.5))) {
      out[key] = depth > 0 && random.chance(0.3) ? object(depth - 1) : leaf();
    }
    return out;
  };
  const run = emptyParsedRun(id, pick(['COMPLETED', 'RUNNING', 'FAILED']));
  run.config = object(2);
  if (random.chance(0.3)) run.config['tags'] = pick<JsonValue>([['x'], ['x', 'y'], 'x', [1]]);
  run.info = object(1);
  run.meta = random.chance(0.5) ? { comment: pick<JsonValue>(['hi', 'yo', 3, null]) } : {};
  run.hostInfo = random.chance(0.8) ? { hostname: pick(['h1', 'h2']) } : {};
  run.experimentInfo = { name: pick(['e1', 'e2']) };
  run.result = random.chance(0.3) ? null : random.chance(0.5) ? leaf() : object(1);
  run.tags = random.chance(0.5) ? [pick(['p', 'q'])] : [];
  for (let m = 0; m < random.int(0, 3); m++) {
    const values = Float64Array.of(pick([0.5, 1, 2, 0.1 + 0.2, NaN]));
    run.metrics.push({
      name: pick(['loss', 'acc', 'a.b']),
      steps: Float64Array.of(0),
      values,
      timestamps: Float64Array.of(NOW),
    });
  }
  for (let a = 0; a < random.int(0, 2); a++) {
    run.artifacts.push({ name: `f${a}`, absPath: null, size: 1 });
  }
  return run;
}

function write(store: CacheStore, source: string, id: string, run: ParsedRun): void {
  store.writeRun(source, { id, dir: null, fingerprint: String(Math.random()) }, run);
}

/** Both answers from a fresh engine, as after an app start on this connection. */
function answers(store: CacheStore): { catalog: unknown; oracle: unknown } {
  const engine = new QueryEngine(store.database, () => NOW, 0);
  const segments = engine.index.segmentsOf(engine.resolveSources(undefined));
  const catalog = oracleColumns(listColumns(store.database, engine, segments));
  const sources = store.database
    .prepare('SELECT name FROM sources ORDER BY name')
    .pluck()
    .all() as string[];
  const oracle = listColumnsByWalkingAllRuns(store.database, sources);
  return { catalog, oracle };
}

function expectSameAsWalking(store: CacheStore): void {
  const { catalog, oracle } = answers(store);
  expect(catalog).toEqual(oracle);
}

function catalogRows(store: CacheStore): number {
  return store.database.prepare('SELECT count(*) FROM column_catalogs').pluck().get() as number;
}

describe('the persisted column catalog', () => {
  it('equals walking every run after random inserts, updates and deletes', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const store = CacheStore.open(join(dir, `random-${seed}.sqlite`));
      const random = new SeededRandom(seed);
      addSource(store, 'a');
      addSource(store, 'b');
      for (let step = 0; step < 60; step++) {
        const source = random.chance(0.6) ? 'a' : 'b';
        const id = String(random.int(1, 25));
        if (random.chance(0.25)) store.deleteRun(source, id);
        else write(store, source, id, randomRun(id, random));
        if (step % 6 === 5) expectSameAsWalking(store);
      }
      expectSameAsWalking(store);
      expect(catalogRows(store)).toBe(2);
      store.close();
    }
  });

  it('follows a live refresh that rewrites fields, metrics and artifacts of running runs', () => {
    const store = CacheStore.open(file);
    const random = new SeededRandom(7);
    addSource(store, 'live');
    for (let i = 1; i <= 20; i++) write(store, 'live', String(i), randomRun(String(i), random));
    expectSameAsWalking(store);
    const live = new LiveRunStore(store);
    for (let round = 0; round < 5; round++) {
      for (const id of ['3', '4', '5']) {
        const run = randomRun(id, random);
        const result = live.updateRun('live', { id, dir: null, fingerprint: `r${round}` }, run);
        expect(result.found).toBe(true);
      }
      expectSameAsWalking(store);
    }
    store.close();
  });

  it('builds a first catalog from a snapshot, and keeps it only if no run changed meanwhile', () => {
    const app = CacheStore.open(file);
    const random = new SeededRandom(11);
    addSource(app, 'snap');
    for (let i = 1; i <= 12; i++) write(app, 'snap', String(i), randomRun(String(i), random));
    const cli = CacheStore.open(file);
    // Another process writes after the snapshot was read, before the catalog is stored.
    const catalog = catalogOf(app.database, 'snap', () =>
      write(cli, 'snap', '13', randomRun('13', random)),
    );
    expect(catalog.toJson()).toBe(buildCatalog(app.database, 'snap').toJson());
    expect(catalogRows(app)).toBe(1);
    expectSameAsWalking(app);

    // Nothing written meanwhile: the snapshot's catalog is the one stored.
    addSource(app, 'quiet');
    for (let i = 1; i <= 5; i++) write(app, 'quiet', String(i), randomRun(String(i), random));
    const quiet = catalogOf(app.database, 'quiet', () => undefined);
    expect(quiet.toJson()).toBe(buildCatalog(app.database, 'quiet').toJson());
    expect(catalogRows(app)).toBe(2);
    cli.close();
    app.close();
  });

  it('sees what another process wrote to the same cache file', () => {
    const app = CacheStore.open(file);
    const random = new SeededRandom(8);
    addSource(app, 'shared');
    for (let i = 1; i <= 15; i++) write(app, 'shared', String(i), randomRun(String(i), random));
    expectSameAsWalking(app);
    const cli = CacheStore.open(file);
    for (let i = 10; i <= 20; i++) write(cli, 'shared', String(i), randomRun(String(i), random));
    cli.deleteRun('shared', '2');
    expectSameAsWalking(app);
    // The other process brings the catalog up to date too; the app's copy in memory is stale.
    expectSameAsWalking(cli);
    write(cli, 'shared', '1', randomRun('1', random));
    expectSameAsWalking(app);
    cli.close();
    app.close();
  });

  it('builds the catalog once for a cache written before it existed', () => {
    const store = CacheStore.open(file);
    const random = new SeededRandom(9);
    addSource(store, 'old');
    for (let i = 1; i <= 30; i++) write(store, 'old', String(i), randomRun(String(i), random));
    const current = schemaVersion(store.database);
    // What a cache of the previous version looks like: no catalog tables, no triggers, and
    // nothing of the migrations after it either (each would find its own table there).
    downgrade(store.database, COLUMN_CATALOG_VERSION - 1);
    store.close();
    const upgraded = CacheStore.open(file);
    expect(schemaVersion(upgraded.database)).toBe(current);
    expect(catalogRows(upgraded)).toBe(0);
    expectSameAsWalking(upgraded);
    expect(catalogRows(upgraded)).toBe(1);
    write(upgraded, 'old', '31', randomRun('31', random));
    const changes = upgraded.database
      .prepare('SELECT count(*) FROM column_catalog_changes')
      .pluck()
      .get();
    expect(changes).toBe(1);
    expectSameAsWalking(upgraded);
    upgraded.close();
  });

  it('recomputes a damaged or missing catalog', () => {
    const store = CacheStore.open(file);
    const random = new SeededRandom(10);
    addSource(store, 'x');
    for (let i = 1; i <= 20; i++) write(store, 'x', String(i), randomRun(String(i), random));
    const { oracle } = answers(store);
    for (const body of ['not json', '{"format":1,"entries":[[1]],"metrics":[]}', '{"format":99}']) {
      store.database.prepare('UPDATE column_catalogs SET body = ?, generation = -1').run(body);
      expect(answers(store).catalog).toEqual(oracle);
    }
    store.database.exec('DELETE FROM column_catalogs');
    write(store, 'x', '21', randomRun('21', random));
    expectSameAsWalking(store);
    store.close();
  });

  it('logs nothing for a removed source and starts afresh when it comes back', () => {
    const store = CacheStore.open(file);
    const random = new SeededRandom(11);
    addSource(store, 'gone');
    for (let i = 1; i <= 10; i++) write(store, 'gone', String(i), randomRun(String(i), random));
    expectSameAsWalking(store);
    expect(store.removeSource('gone')).toBe(true);
    const left = store.database
      .prepare(
        'SELECT (SELECT count(*) FROM column_catalogs) + (SELECT count(*) FROM column_catalog_changes)',
      )
      .pluck()
      .get();
    expect(left).toBe(0);
    addSource(store, 'gone');
    write(store, 'gone', '1', randomRun('1', random));
    expectSameAsWalking(store);
    store.close();
  });

  it('keeps the cap: a column past it, and back under it when runs go', () => {
    const store = CacheStore.open(file);
    addSource(store, 'many');
    const random = new SeededRandom(12);
    store.database.transaction(() => {
      for (let i = 1; i <= 2300; i++) {
        const run = randomRun(String(i), random);
        run.config['unique'] = i;
        run.config['few'] = i % 1500;
        write(store, 'many', String(i), run);
      }
    })();
    const unique = (): unknown => {
      const engine = new QueryEngine(store.database, () => NOW, 0);
      const columns = listColumns(store.database, engine, engine.index.segmentsOf(['many']));
      return columns
        .filter((column) => column.id === 'config.unique' || column.id === 'config.few')
        .map((column) => [column.id, column.distinct, column.distinctCapped]);
    };
    expect(unique()).toEqual([
      ['config.few', 1000, true],
      ['config.unique', 1000, true],
    ]);
    // 2300 distinct values are more than the catalog tracks one by one: removals count down
    // what it knows to be left, and past the cap only a recount can tell how many are.
    for (let left = 2000; left >= 800; left -= 300) {
      store.database.transaction(() => {
        for (let i = left + 1; i <= left + 300; i++) store.deleteRun('many', String(i));
      })();
      const capped = left > 1000;
      expect(unique()).toEqual([
        ['config.few', capped ? 1000 : left, capped],
        ['config.unique', capped ? 1000 : left, capped],
      ]);
    }
    expectSameAsWalking(store);
    store.close();
  });
});
