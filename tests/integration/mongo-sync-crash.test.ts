// A MongoDB sync killed with SIGKILL at random moments, again and again: after every kill the
// cache opens, passes integrity_check, and every run in it is whole (its row, metric
// summaries, chunks and artifacts equal those of a clean sync). The last sync completes and
// the cache then equals a clean sync.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { syncMongoSource } from '../../main/core/mongo/sync-mongo-source';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import {
  REAL_MONGO_URI,
  RecordingConnections,
  addSourceRow,
  withWriter,
} from './mongo-sync-support';

const childScript = fileURLToPath(new URL('./mongo-sync-child.ts', import.meta.url));
const ROUNDS = 8;
const DATABASE = 'crash';

interface ChildLine {
  event: string;
  phase?: string;
  recoveredFrom?: string | null;
}

/** Runs the child and SIGKILLs it `delayMs` after it has opened the cache (or lets it end). */
function syncAndKill(
  cacheFile: string,
  uri: string,
  delayMs: number | null,
): Promise<{ killed: boolean; lines: ChildLine[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', childScript, cacheFile, uri, DATABASE],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: ChildLine[] = [];
  let killed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as ChildLine;
    lines.push(line);
    if (line.event === 'started' && delayMs !== null) {
      timer = setTimeout(() => {
        if (child.exitCode === null) {
          killed = true;
          child.kill('SIGKILL');
        }
      }, delayMs);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => {
      if (timer !== null) clearTimeout(timer);
      resolve({ killed, lines });
    });
  });
}

type Row = Record<string, unknown>;

/** Everything cached about each run, keyed by run id, for comparison with a clean sync. */
function snapshot(cacheFile: string): Map<string, string> {
  const db = new Database(cacheFile, { readonly: true });
  try {
    const byRun = new Map<string, Row>();
    const runs = db.prepare("SELECT * FROM runs WHERE source = 'lab'").all() as Row[];
    for (const run of runs) {
      // A stale mark left by the test (see makeStale) is the only allowed difference.
      byRun.set(run.run_id as string, {
        run: { ...run, fingerprint: run.fingerprint === 'stale' ? null : 'fresh' },
        metrics: [],
        artifacts: [],
      });
    }
    const add = (table: string, order: string, key: 'metrics' | 'artifacts'): void => {
      const rows = db
        .prepare(`SELECT * FROM ${table} WHERE source = 'lab' ORDER BY run_id, ${order}`)
        .all() as Row[];
      for (const row of rows) (byRun.get(row.run_id as string)?.[key] as Row[]).push(row);
    };
    add('metrics', 'position', 'metrics');
    add('artifacts', 'position', 'artifacts');
    const chunks = db
      .prepare(
        `SELECT run_id, name, COUNT(*) AS chunks, SUM(point_count) AS points,
           SUM(length(steps) + length("values") + length(timestamps)) AS bytes
         FROM metric_chunks WHERE source = 'lab' GROUP BY run_id, name ORDER BY run_id, name`,
      )
      .all() as Row[];
    for (const chunk of chunks) {
      const entry = byRun.get(chunk.run_id as string);
      expect(entry, `chunks of a run that is not cached: ${String(chunk.run_id)}`).toBeDefined();
      ((entry as Row).chunks ??= [] as Row[]) as Row[];
      ((entry as Row).chunks as Row[]).push(chunk);
    }
    return new Map(
      [...byRun].map(([id, value]) => [id, JSON.stringify(value, (_k, v: unknown) => blob(v))]),
    );
  } finally {
    db.close();
  }
}

function blob(value: unknown): unknown {
  return Buffer.isBuffer(value) ? value.toString('base64') : value;
}

function makeStale(cacheFile: string, rng: SeededRandom): void {
  const db = new Database(cacheFile);
  try {
    db.pragma('foreign_keys = ON');
    const ids = db.prepare("SELECT run_id FROM runs WHERE source = 'lab'").pluck().all();
    const drop = db.prepare("DELETE FROM runs WHERE source = 'lab' AND run_id = ?");
    const stale = db.prepare(
      "UPDATE runs SET fingerprint = 'stale' WHERE source = 'lab' AND run_id = ?",
    );
    for (const id of ids) {
      const dice = rng.float(0, 1);
      if (dice < 0.5) drop.run(id);
      else if (dice < 0.75) stale.run(id);
    }
  } finally {
    db.close();
  }
}

/** The cache opens, is sound, and each run's metric summaries match its chunks. */
function checkSound(cacheFile: string): void {
  const db = new Database(cacheFile, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const metrics = db
      .prepare(
        `SELECT m.run_id, m.name, m.count, COALESCE(SUM(c.point_count), 0) AS points
         FROM metrics m LEFT JOIN metric_chunks c USING (source, run_id, name)
         GROUP BY m.source, m.run_id, m.name`,
      )
      .all() as { run_id: string; name: string; count: number; points: number }[];
    for (const metric of metrics) expect(metric.points, metric.name).toBe(metric.count);
  } finally {
    db.close();
  }
}

describe.skipIf(REAL_MONGO_URI !== null)('a MongoDB sync killed with SIGKILL', () => {
  let server: MongoTestServer;
  let work: string;
  let reference: Map<string, string>;
  let cleanMs: number;

  beforeAll(async () => {
    server = await startMongoTestServer();
    await withWriter(server.uri, (client) =>
      generateSacredMongo(client.db(DATABASE), {
        runs: 150,
        seed: 41,
        now: Date.parse('2026-11-27T00:00:00Z'),
        metricPoints: 300,
      }),
    );
    work = mkdtempSync(join(tmpdir(), 'altar-mongo-crash-'));
    // The clean sync every killed one is compared with, and how long a whole sync takes.
    const cleanFile = join(work, 'clean.sqlite');
    const store = CacheStore.open(cleanFile);
    const connections = new RecordingConnections({ p1: server.uri });
    try {
      addSourceRow(store, 'lab', DATABASE);
      const started = performance.now();
      await syncMongoSource({ store, source: 'lab', connections, fetchBatch: 4 });
      cleanMs = performance.now() - started;
    } finally {
      await connections.close();
      store.close();
    }
    reference = snapshot(cleanFile);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('never leaves a cache that fails to open or holds half a run, and then completes', async () => {
    const cacheFile = join(work, 'killed.sqlite');
    const rng = new SeededRandom(7);
    let kills = 0;
    let partial = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Each round finds the cache behind: half of the runs gone, a quarter stale (re-read
      // and replaced), so that every sync has work to be killed in.
      if (round > 0) makeStale(cacheFile, rng);
      const delay = Math.round(rng.float(0, 0.8) * cleanMs);
      const { killed, lines } = await syncAndKill(cacheFile, server.uri, delay);
      expect(lines[0]).toMatchObject({ event: 'started', recoveredFrom: null });
      if (killed) kills++;
      checkSound(cacheFile);
      const cached = snapshot(cacheFile);
      for (const [id, value] of cached) {
        const expected = reference.get(id) as string;
        // A run not yet re-read keeps its stale mark; every column else must be whole.
        expect(value.replace('"fingerprint":null', '"fingerprint":"fresh"'), `run ${id}`).toBe(
          expected,
        );
      }
      if (cached.size > 0 && cached.size < reference.size) partial++;
    }
    // The kills really landed in the middle of syncs.
    expect(kills).toBeGreaterThan(ROUNDS / 2);
    expect(partial).toBeGreaterThan(0);

    const { killed, lines } = await syncAndKill(cacheFile, server.uri, null);
    expect(killed).toBe(false);
    expect(lines.at(-1)).toMatchObject({ event: 'summary' });
    checkSound(cacheFile);
    expect(snapshot(cacheFile)).toEqual(reference);
  }, 180_000);
});
