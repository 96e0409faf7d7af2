import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScript } from '../support/bundled-script';
import { CacheStore } from '../../main/core/cache/cache-store';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';
import { tempDir, writeSyntheticRun } from './core-test-folder';

// Bundled once for this file: started as plain `node`, not through tsx, at every kill.
const childScript = await bundledScript(
  fileURLToPath(new URL('./core-sync-child.ts', import.meta.url)),
);
const RUNS = 10;
const POINTS = 70_000; // more than one 65,536-point chunk per metric

interface ChildLine {
  event: string;
  phase?: string;
  done?: number;
  runId?: string;
}

/** Runs the sync child and SIGKILLs it at the first line for which `killWhen` is true. */
function syncAndKill(
  cacheFile: string,
  folder: string,
  killWhen: (line: ChildLine) => boolean,
  hangAt?: number,
  runsPerCommit?: number,
): Promise<{ killed: boolean; lines: ChildLine[] }> {
  const args = [childScript, cacheFile, folder];
  if (hangAt !== undefined) args.push(String(hangAt));
  if (runsPerCommit !== undefined) args.push(String(runsPerCommit));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: ChildLine[] = [];
  let killed = false;
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as ChildLine;
    lines.push(line);
    if (!killed && killWhen(line)) {
      killed = true;
      child.kill('SIGKILL');
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve({ killed, lines }));
  });
}

/** Every cached run is whole: metric counts match their chunks, nothing dangles. */
function checkConsistent(cacheFile: string, points = POINTS): { runs: string[] } {
  const db = new Database(cacheFile, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const runs = db.prepare('SELECT run_id FROM runs ORDER BY run_id').pluck().all() as string[];
    const metrics = db
      .prepare(
        `SELECT m.run_id, m.count, COUNT(c.chunk_no) AS chunks, COALESCE(SUM(c.point_count), 0) AS points
         FROM metrics m LEFT JOIN metric_chunks c USING (source, run_id, name)
         GROUP BY m.source, m.run_id, m.name`,
      )
      .all() as { run_id: string; count: number; chunks: number; points: number }[];
    for (const metric of metrics) {
      expect(metric.points).toBe(metric.count);
      expect(metric.chunks).toBe(Math.ceil(metric.count / 65_536));
    }
    // Every run written by the synthetic folder has its one metric.
    expect(metrics.map((m) => m.run_id).sort()).toEqual(runs);
    for (const run of runs) expect(metrics.find((m) => m.run_id === run)?.count).toBe(points);
    return { runs };
  } finally {
    db.close();
  }
}

describe('a sync killed with SIGKILL', () => {
  let folder: string;
  let work: string;

  beforeAll(() => {
    work = tempDir('crash');
    folder = join(work, 'runs');
    for (let i = 1; i <= RUNS; i++)
      writeSyntheticRun(folder, String(i), { points: POINTS, nanAt: [7] });
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('leaves no half-written run when killed inside a run transaction', async () => {
    const cacheFile = join(work, 'hang', 'cache.sqlite');
    const { killed, lines } = await syncAndKill(
      cacheFile,
      folder,
      (line) => line.event === 'in-transaction',
      3,
    );
    expect(killed).toBe(true);
    const hungRun = lines.find((line) => line.event === 'in-transaction')?.runId;
    expect(hungRun).toBeDefined();

    // The two committed runs are there and whole; the one killed mid-write is not.
    const { runs } = checkConsistent(cacheFile);
    expect(runs).toHaveLength(2);
    expect(runs).not.toContain(hungRun);

    const store = CacheStore.open(cacheFile);
    try {
      expect(store.recoveredFrom).toBeNull();
      const summary = await syncFolderSource({ store, source: 'big' });
      expect(summary).toMatchObject({ added: RUNS - 2, unchanged: 2, updated: 0, removed: 0 });
    } finally {
      store.close();
    }
    expect(checkConsistent(cacheFile).runs).toHaveLength(RUNS);
  });

  it('leaves only whole runs when killed inside a transaction of many small runs', async () => {
    const small = join(work, 'small');
    for (let i = 1; i <= 12; i++) writeSyntheticRun(small, String(i), { points: 20 });
    const cacheFile = join(work, 'batch', 'cache.sqlite');
    // Four runs a transaction: the 6th run's write is in the second one.
    const { killed, lines } = await syncAndKill(
      cacheFile,
      small,
      (line) => line.event === 'in-transaction',
      6,
      4,
    );
    expect(killed).toBe(true);
    const hungRun = lines.find((line) => line.event === 'in-transaction')?.runId;
    expect(hungRun).toBeDefined();

    // What the killed transaction held is gone whole; what committed before it is whole.
    const { runs } = checkConsistent(cacheFile, 20);
    expect(runs.length).toBeLessThan(6);
    expect(runs).not.toContain(hungRun);

    const store = CacheStore.open(cacheFile);
    try {
      expect(store.recoveredFrom).toBeNull();
      const summary = await syncFolderSource({ store, source: 'big' });
      expect(summary).toMatchObject({ added: 12 - runs.length, unchanged: runs.length });
    } finally {
      store.close();
    }
    expect(checkConsistent(cacheFile, 20).runs).toHaveLength(12);
  });

  it('opens cleanly and finishes the sync after a kill at the first progress', async () => {
    const cacheFile = join(work, 'early', 'cache.sqlite');
    const { killed } = await syncAndKill(
      cacheFile,
      folder,
      (line) => line.event === 'progress' && line.phase === 'reading' && (line.done ?? 0) >= 1,
    );
    expect(killed).toBe(true);
    const before = checkConsistent(cacheFile).runs.length;

    const store = CacheStore.open(cacheFile);
    try {
      expect(store.recoveredFrom).toBeNull();
      const summary = await syncFolderSource({ store, source: 'big' });
      expect(summary.added + summary.updated).toBe(RUNS - before);
      expect(summary.unchanged).toBe(before);
    } finally {
      store.close();
    }
    expect(checkConsistent(cacheFile).runs).toHaveLength(RUNS);
  });
});
