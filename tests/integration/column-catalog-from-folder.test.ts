// The column picker's catalog of a synced Sacred folder lists what the run files hold: checked
// against a brute force over the folder's own config.json, run.json and metrics.json files
// (JSON.parse, a walk to the leaves, a JS Set per column), not against the cache or the
// catalog's code. Two sources are built together (one after the other since issue 13's memory
// work): each gets its own columns.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../../shared/contract';
import { formatColumnPath } from '../../shared/filter';
import { CacheStore } from '../../main/core/cache/cache-store';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import { QueryEngine } from '../../main/core/query/query-engine';
import { createRunTableService } from '../../main/core/query/run-table-service';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';

const NOW = Date.UTC(2025, 0, 1);
const CAP = 1000;
let work: string;
let store: CacheStore;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'altar-catalog-folder-'));
  store = CacheStore.open(join(work, 'cache.sqlite'));
});

afterEach(() => {
  store.close();
  rmSync(work, { recursive: true, force: true });
});

interface Expected {
  present: number;
  /** A NaN or infinity was seen: only presence is compared (the reader's spelling of them is its own). */
  special: boolean;
  values: Set<unknown>;
  kinds: Set<string>;
}

/** Python's json writes NaN and ±Infinity bare, which JSON.parse refuses: read as a marker. */
const PYTHON_FLOAT = /([:[,]\s*)(?:-?Infinity|NaN)(?=\s*[,\]}])/g;
const SPECIAL = '(test marker: a special float)';

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** Every leaf path of `doc` under `group` (non-empty objects expanded), counted once per run. */
function walk(out: Map<string, Expected>, path: string[], doc: unknown): void {
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const keys = Object.keys(doc);
    if (keys.length > 0 || path.length === 1) {
      for (const key of keys) walk(out, [...path, key], (doc as Record<string, unknown>)[key]);
      return;
    }
  }
  const id = formatColumnPath(path);
  let seen = out.get(id);
  if (seen === undefined) {
    seen = { present: 0, special: false, values: new Set(), kinds: new Set() };
    out.set(id, seen);
  }
  seen.present++;
  if (doc === SPECIAL) seen.special = true;
  seen.values.add(doc !== null && typeof doc === 'object' ? JSON.stringify(doc) : doc);
  seen.kinds.add(kindOf(doc));
}

/** The columns of config, host and meta, and the runs per metric, from the raw files. */
function bruteForce(folder: string, runIds: readonly string[]) {
  const columns = new Map<string, Expected>();
  const metricRuns = new Map<string, number>();
  for (const id of runIds) {
    const read = (name: string): unknown =>
      JSON.parse(
        readFileSync(join(folder, id, name), 'utf8').replace(PYTHON_FLOAT, `$1"${SPECIAL}"`),
      );
    const run = read('run.json') as { host: unknown; meta: unknown };
    walk(columns, ['config'], read('config.json'));
    walk(columns, ['host'], run.host);
    walk(columns, ['meta'], run.meta);
    // A run that logged no metric has no metrics.json.
    const metrics = existsSync(join(folder, id, 'metrics.json')) ? read('metrics.json') : {};
    for (const name of Object.keys(metrics as object)) {
      metricRuns.set(name, (metricRuns.get(name) ?? 0) + 1);
    }
  }
  return { columns, metricRuns };
}

async function syncedSource(name: string, runs: number, seed: number) {
  const folder = join(work, name);
  const generated = await generateSacredFolder(folder, {
    runs,
    seed,
    variants: false,
    now: NOW,
    metricMedian: 5,
  });
  store.addSource({ name, kind: 'folder', location: folder, createdAt: '2025-01-01' });
  const summary = await syncFolderSource({ store, source: name, now: () => NOW });
  expect(summary.added).toBe(generated.runIds.length);
  return bruteForce(folder, generated.runIds);
}

function picker() {
  return createRunTableService({
    store,
    now: () => NOW,
    emitProgress: () => {},
    engine: new QueryEngine(store.database, () => NOW),
  });
}

function byId(columns: readonly ColumnInfo[]): Map<string, ColumnInfo> {
  return new Map(columns.map((column) => [column.id, column]));
}

describe('the column catalog of a synced Sacred folder', () => {
  it('lists every config, host and meta leaf and every metric of the run files, with their counts', async () => {
    const lab = await syncedSource('lab', 60, 3);
    const other = await syncedSource('other', 25, 9);
    const table = picker();
    // Both sources' first builds at once, as the window's first open asks.
    const [labColumns, otherColumns] = await Promise.all([
      table.listColumns({ sources: ['lab'] }),
      table.listColumns({ sources: ['other'] }),
    ]);
    for (const [expected, got] of [
      [lab, labColumns.columns],
      [other, otherColumns.columns],
    ] as const) {
      const listed = byId(got);
      const groups = new Set(['config', 'host', 'meta']);
      expect(
        got
          .filter((column) => groups.has(column.group))
          .map((column) => column.id)
          .sort(),
      ).toEqual([...expected.columns.keys()].sort());
      for (const [id, seen] of expected.columns) {
        const column = listed.get(id);
        expect(column?.present, id).toBe(seen.present);
        if (seen.special) continue;
        expect(column?.distinct, id).toBe(Math.min(seen.values.size, CAP));
        expect(column?.distinctCapped, id).toBe(seen.values.size > CAP);
        const [only] = seen.kinds;
        if (seen.kinds.size === 1 && (only === 'number' || only === 'bool' || only === 'list')) {
          expect(column?.type, id).toBe(only);
        }
      }
      expect(expected.metricRuns.size).toBeGreaterThan(0);
      for (const [name, runs] of expected.metricRuns) {
        const metric = got.filter(
          (column) => column.group === 'metrics' && column.path[1] === name,
        );
        expect(metric.length, name).toBeGreaterThan(0);
        for (const column of metric) expect(column.present, column.id).toBe(runs);
      }
    }
  });
});
