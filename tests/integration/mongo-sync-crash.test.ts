// A MongoDB sync killed with SIGKILL again and again, each time at a known point (the child
// blocks there and says so, so no kill depends on the machine's speed): while listing, and
// inside the transaction of the first, the last and runs between. After every kill the cache
// opens, passes integrity_check, keeps exactly the runs committed before the kill, and every
// run in it is whole (its row, metric summaries, chunks and artifacts equal those of a clean
// sync). The last sync completes and the cache then equals a clean sync.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScript } from '../support/bundled-script';
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

// Bundled once for this file: started as plain `node`, not through tsx, at every kill.
const childScript = await bundledScript(
  fileURLToPath(new URL('./mongo-sync-child.ts', import.meta.url)),
);
const DATABASE = 'crash';
/** Where each round's sync is killed (mongo-sync-child.ts): `write:F` is the run F of the way. */
const STOPS = ['write:0.5', 'listing', 'write:0', 'write:1', 'write:0.3', 'write:0.8', 'write:0.1'];

interface ChildLine {
  event: string;
  phase?: string;
  recoveredFrom?: string | null;
  at?: 'listing' | 'write';
  runId?: string;
  write?: number;
  toRead?: number;
}

/** Runs the child and SIGKILLs it once it says it is blocked at `stop` (or lets it end). */
function syncAndKill(
  cacheFile: string,
  uri: string,
  stop: string | null,
): Promise<{ killed: boolean; lines: ChildLine[] }> {
  const args = [childScript, cacheFile, uri, DATABASE];
  if (stop !== null) args.push(stop);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: ChildLine[] = [];
  let killed = false;
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as ChildLine;
    lines.push(line);
    if (line.event === 'hung' && !killed) {
      killed = true;
      child.kill('SIGKILL');
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve({ killed, lines }));
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

/** Runs cached as a clean sync has them (not missing, not left stale by makeStale). */
function freshRuns(cached: Map<string, string>): Set<string> {
  return new Set(
    [...cached].filter(([, value]) => value.includes('"fingerprint":"fresh"')).map(([id]) => id),
  );
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
    // The clean sync every killed one is compared with.
    const cleanFile = join(work, 'clean.sqlite');
    const store = CacheStore.open(cleanFile);
    const connections = new RecordingConnections({ p1: server.uri });
    try {
      addSourceRow(store, 'lab', DATABASE);
      await syncMongoSource({ store, source: 'lab', connections, fetchBatch: 4 });
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
    for (const [round, stop] of STOPS.entries()) {
      // Each round finds the cache behind: half of the runs gone, a quarter stale (re-read
      // and replaced), so that every sync has work to be killed in.
      if (round > 0) makeStale(cacheFile, rng);
      const before = existsSync(cacheFile) ? freshRuns(snapshot(cacheFile)) : new Set<string>();
      const { killed, lines } = await syncAndKill(cacheFile, server.uri, stop);
      expect(lines[0]).toMatchObject({ event: 'started', recoveredFrom: null });
      expect(killed, `round ${round} (${stop}) reached its stop point`).toBe(true);
      const hung = lines.find((line) => line.event === 'hung') as ChildLine;
      checkSound(cacheFile);
      const cached = snapshot(cacheFile);
      for (const [id, value] of cached) {
        const expected = reference.get(id) as string;
        // A run not yet re-read keeps its stale mark; every column else must be whole.
        expect(value.replace('"fingerprint":null', '"fingerprint":"fresh"'), `run ${id}`).toBe(
          expected,
        );
      }
      const after = freshRuns(cached);
      for (const id of before) expect(after.has(id), `run ${id} kept`).toBe(true);
      if (hung.at === 'listing') {
        expect(after.size, `round ${round}: nothing written while listing`).toBe(before.size);
      } else {
        // Killed inside the transaction of write k: the k - 1 before it are committed and the
        // run being written is not (absent, or still stale).
        const write = hung.write as number;
        expect(write).toBeLessThanOrEqual(hung.toRead as number);
        expect(after.size, `round ${round}: the ${write - 1} runs committed`).toBe(
          before.size + write - 1,
        );
        expect(after.has(hung.runId as string), `run ${hung.runId} half-written`).toBe(false);
        // The stops inside writes fall between the first run and the last of the sync.
        if (stop !== 'write:1') expect(write).toBeLessThan(hung.toRead as number);
      }
    }

    const { killed, lines } = await syncAndKill(cacheFile, server.uri, null);
    expect(killed).toBe(false);
    expect(lines.at(-1)).toMatchObject({ event: 'summary' });
    checkSound(cacheFile);
    expect(snapshot(cacheFile)).toEqual(reference);
  }, 300_000);
});
