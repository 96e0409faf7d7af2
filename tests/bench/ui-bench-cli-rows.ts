/**
 * The rows of issue 13's table that are felt outside the window, measured simply: a folder
 * source's first sync and no-change re-sync through the core (against plain readFileSync +
 * JSON.parse of the same files, and a stat walk), the cache size per run (against the run's raw
 * JSON), the built CLI's `--version` (against `node -e 0`) and a sort recomputed in the
 * engine (against SQLite's json_extract scan).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createAltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import { QueryEngine, resolveColumn } from '../../main/core/query/query-engine';
import { cacheFilePath } from '../../main/core/data-dir';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import { repoRoot } from '../support/serve-process';
import { median } from './ui-bench-page';

export interface FolderFigures {
  runs: number;
  firstSyncMs: number;
  readParseMs: number;
  resyncMs: number;
  statWalkMs: number;
  cacheBytesPerRun: number;
  rawJsonBytesPerRun: number;
}

export interface VersionFigures {
  versionMs: number;
  nodeMs: number;
}

function time(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

function runDirs(folder: string): string[] {
  return readdirSync(folder)
    .filter((dir) => !dir.startsWith('_'))
    .map((dir) => path.join(folder, dir))
    .filter((dir) => statSync(dir).isDirectory());
}

/** Plain Node: readFileSync + JSON.parse of every JSON file of every run; bytes read. */
function readAndParse(folder: string): number {
  let bytes = 0;
  for (const dir of runDirs(folder)) {
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) continue;
      const text = readFileSync(path.join(dir, file), 'utf8');
      bytes += text.length;
      try {
        JSON.parse(text);
      } catch {
        // the data set has broken variants on purpose
      }
    }
  }
  return bytes;
}

function statWalk(folder: string): void {
  for (const dir of readdirSync(folder)) {
    const runDir = path.join(folder, dir);
    if (!statSync(runDir).isDirectory()) continue;
    for (const file of readdirSync(runDir)) statSync(path.join(runDir, file));
  }
}

/** A generated Sacred folder of `runs` runs with short metrics, synced into a fresh cache. */
export async function measureFolder(work: string, runs: number): Promise<FolderFigures> {
  const folder = path.join(work, 'folder-runs');
  const dataDir = path.join(work, 'folder-data');
  rmSync(folder, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  await generateSacredFolder(folder, { runs, seed: 3 });
  let rawBytes = 0;
  const readParseMs = time(() => {
    rawBytes = readAndParse(folder);
  });
  const core = createAltarCore({ dataDir, door: 'direct' });
  const synced = await (async () => {
    try {
      await core.addFolderSource({ name: 'bench', path: folder });
      let started = performance.now();
      await core.syncSources({ names: ['bench'] });
      const first = performance.now() - started;
      started = performance.now();
      await core.syncSources({ names: ['bench'] });
      const again = performance.now() - started;
      return { first, again, runs: (await core.listRuns({ source: 'bench' })).runs.length };
    } finally {
      await core.close();
    }
  })();
  const { first: firstSyncMs, again: resyncMs } = synced;
  const statWalkMs = time(() => statWalk(folder));
  const file = cacheFilePath(dataDir);
  const cacheBytes = ['', '-wal']
    .map((suffix) => {
      try {
        return statSync(file + suffix).size;
      } catch {
        return 0;
      }
    })
    .reduce((a, b) => a + b, 0);
  return {
    runs: synced.runs,
    firstSyncMs,
    readParseMs,
    resyncMs,
    statWalkMs,
    cacheBytesPerRun: cacheBytes / Math.max(1, synced.runs),
    rawJsonBytesPerRun: rawBytes / Math.max(1, synced.runs),
  };
}

/**
 * The `altar-viewer --version` command (bin/altar-viewer.cjs, what npm links as altar-viewer)
 * against `node -e 0`, interleaved, median of `repeat` (at least 11: one start is ~0.15 s, and
 * a median of 3 moved by 20–40 ms on this machine).
 */
export function measureVersion(repeat: number): VersionFigures {
  const cli = path.join(repoRoot, 'bin/altar-viewer.cjs');
  const rounds = Math.max(11, repeat);
  const version: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < rounds; i++) {
    version.push(time(() => execFileSync(process.execPath, [cli, '--version'], { stdio: 'pipe' })));
    node.push(time(() => execFileSync(process.execPath, ['-e', '0'], { stdio: 'pipe' })));
  }
  return { versionMs: median(version), nodeMs: median(node) };
}

/**
 * A sort recomputed in the engine (columns loaded, every kept query order forgotten, as after
 * any sync; the column's sort key kept, so this is one pass over it) against the json_extract
 * scan on the same connection, median of 5 each; beside it the same sort with the column's
 * sort key built again (`forgetSortKeys`: after a sync that changed the column's values).
 */
export function measureEngineSort(
  dataDir: string,
  column: string,
  nowMs: number,
): { engineMs: number; keysRebuiltMs: number; scanMs: number } {
  const store = CacheStore.open(cacheFilePath(dataDir));
  try {
    const engine = new QueryEngine(store.database, () => nowMs, 0);
    const query = (desc: boolean) =>
      engine.query({ columns: [column], sort: [{ column, desc }], limit: 100 });
    query(false);
    const engineTimes: number[] = [];
    const rebuiltTimes: number[] = [];
    const scanTimes: number[] = [];
    const jsonPath = `$.${column.replace(/^config\./u, '')}`;
    const scan = store.database.prepare(
      `SELECT source, run_id, json_extract(config, ?) AS k FROM runs
       ORDER BY k IS NULL, k ASC LIMIT 100`,
    );
    for (let i = 0; i < 5; i++) {
      engine.forgetOrders();
      engineTimes.push(time(() => query(i % 2 === 0)));
      engine.forgetSortKeys();
      rebuiltTimes.push(time(() => query(i % 2 === 0)));
      scanTimes.push(time(() => scan.all(jsonPath)));
    }
    return {
      engineMs: median(engineTimes),
      keysRebuiltMs: median(rebuiltTimes),
      scanMs: median(scanTimes),
    };
  } finally {
    store.close();
  }
}

/**
 * The first sort by a column after the app restarts, in the engine (the column loaded, the
 * click's query timed; then the column not loaded, as a restarted window's click meets it):
 * its sort key built as before (an engine that keeps no key in the
 * cache file) against the key read from the cache file (stored by an engine before it, as the
 * app stores every key it builds), median of 3 restarts each, on the same connection. The
 * stored keys are removed after, so the cache is left as it came.
 */
export async function measureRestartSort(
  dataDir: string,
  column: string,
  nowMs: number,
): Promise<{
  builtMs: number;
  storedMs: number;
  read: boolean;
  /** The click with the column not loaded (its stored key checked on sampled runs). */
  unloadedMs: number;
  /** The same click loading the column whole first. */
  loadedOnClickMs: number;
  unloadedRead: boolean;
}> {
  const store = CacheStore.open(cacheFilePath(dataDir));
  const db = store.database;
  try {
    const firstSort = (engine: QueryEngine): number => {
      engine.query({ columns: [column], limit: 100 });
      // A page reads a column for its runs alone (page-column.ts): load it whole, as the row
      // says, so that the click's query alone is timed.
      const { path: columnPath } = resolveColumn(column);
      for (const segment of engine.ordered({}).segments) {
        engine.index.column(segment, column, columnPath);
      }
      return time(() => engine.query({ columns: [column], sort: [{ column }], limit: 100 }));
    };
    const built: number[] = [];
    for (let i = 0; i < 3; i++)
      built.push(firstSort(new QueryEngine(db, () => nowMs, 0, false, false)));
    // The app's engine: builds the key on the click, then writes it in idle time.
    const storing = new QueryEngine(db, () => nowMs, 0, false);
    firstSort(storing);
    // Two keys: the default sort's (start time, the first query) and the column's.
    for (let wait = 0; wait < 600 && storing.sortKeyCounts.saved < 2; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const stored: number[] = [];
    let read = true;
    for (let i = 0; i < 3; i++) {
      const engine = new QueryEngine(db, () => nowMs, 0, false);
      stored.push(firstSort(engine));
      read &&= engine.sortKeyCounts.stored === 2 && engine.sortKeyCounts.onDemand === 0;
    }
    // The click as it comes after a restart: the column shown but not loaded (its page read
    // it for its runs alone), against the same click loading the column whole first (what it
    // did before stored keys were checked on sampled runs).
    const unloaded: number[] = [];
    const loadedOnClick: number[] = [];
    let unloadedRead = true;
    for (let i = 0; i < 3; i++) {
      for (const loadFirst of [false, true]) {
        const engine = new QueryEngine(db, () => nowMs, 0, false);
        engine.query({ columns: [column], limit: 100 });
        const loads = engine.index.counts.columnLoads;
        const { path: columnPath } = resolveColumn(column);
        const ms = time(() => {
          if (loadFirst) {
            for (const segment of engine.ordered({}).segments) {
              engine.index.column(segment, column, columnPath);
            }
          }
          engine.query({ columns: [column], sort: [{ column }], limit: 100 });
        });
        if (loadFirst) loadedOnClick.push(ms);
        else {
          unloaded.push(ms);
          unloadedRead &&=
            engine.sortKeyCounts.storedUnloaded === 1 && engine.index.counts.columnLoads === loads;
        }
      }
    }
    return {
      builtMs: median(built),
      storedMs: median(stored),
      read,
      unloadedMs: median(unloaded),
      loadedOnClickMs: median(loadedOnClick),
      unloadedRead,
    };
  } finally {
    db.exec('DELETE FROM stored_column_orders');
    store.close();
  }
}
