/**
 * MongoDB sync benchmark (issue 4): a generated database in the test server (its own process),
 * synced by a separate process through the core. Printed as ratios measured in the same run:
 * - initial sync throughput vs a plain driver read of the same collections (goal >= 0.5);
 * - no-change re-sync vs initial sync (goal < 0.05, and < 1 s);
 * - re-sync after 100 runs gained 100 points per metric vs initial (goal: ~ the changed share);
 * - peak RSS of the syncing process (goal < 500 MB).
 *
 * Standalone: tsx tests/bench/mongo-sync-bench.ts [--mongo-runs N] [--mongo-points P]
 *   [--mongo-metrics M] [--big-metric-points B] [--big-metric-runs R]
 * The size: --mongo-runs 20000 --mongo-points 1000 --big-metric-points 300000.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient, ObjectId } from 'mongodb';
import type { Document } from 'mongodb';

export interface MongoSyncBenchOptions {
  runs: number;
  metricsPerRun: number;
  pointsPerMetric: number;
  bigMetricRuns: number;
  bigMetricPoints: number;
}

/** Smoke size for `npm run bench` in CI; the flags above give the size. */
export const MONGO_BENCH_DEFAULTS: MongoSyncBenchOptions = {
  runs: 500,
  metricsPerRun: 5,
  pointsPerMetric: 200,
  bigMetricRuns: 2,
  bigMetricPoints: 20_000,
};

const CHANGED_RUNS = 100;
const NEW_POINTS = 100;
const here = path.dirname(fileURLToPath(import.meta.url));

type Line = Record<string, unknown>;

/** Spawns a tsx script; resolves its JSON lines as they come, through `onLine`. */
function start(
  script: string,
  args: string[],
  onLine: (line: Line) => void,
  heapMb?: number,
): ChildProcess {
  const flags = heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    try {
      onLine(JSON.parse(text) as Line);
    } catch {
      process.stderr.write(`${text}\n`);
    }
  });
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', resolve));
}

function nextLine(lines: Line[], waiters: ((line: Line) => void)[]): Promise<Line> {
  const ready = lines.shift();
  if (ready !== undefined) return Promise.resolve(ready);
  return new Promise((resolve) => waiters.push(resolve));
}

/** A child whose JSON lines can be awaited one after the other. */
function worker(script: string, args: string[], heapMb?: number) {
  const lines: Line[] = [];
  const waiters: ((line: Line) => void)[] = [];
  const child = start(
    script,
    args,
    (line) => {
      const waiter = waiters.shift();
      if (waiter !== undefined) waiter(line);
      else lines.push(line);
    },
    heapMb,
  );
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${path.basename(script)} exited with ${code}`));
    });
  });
  return {
    child,
    next: () => Promise.race([nextLine(lines, waiters), failed]),
  };
}

/** 100 runs gain 100 points in each metric (and a new heartbeat), as a live lab would. */
async function growRuns(uri: string, now: number): Promise<number> {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const db = client.db('bench');
    let added = 0;
    for (let id = 1; id <= CHANGED_RUNS; id++) {
      const run: Document | null = await db
        .collection<{ _id: number }>('runs')
        .findOne({ _id: id });
      const refs = ((run?.info as Document | undefined)?.metrics ?? []) as Document[];
      for (const ref of refs) {
        // By _id (the run's reference), as Sacred itself updates it: no collection scan.
        const metric = await db
          .collection('metrics')
          .findOne(
            { _id: new ObjectId(String(ref.id)) },
            { projection: { steps: { $slice: -1 } } },
          );
        const last = Number((metric?.steps as number[] | undefined)?.[0] ?? 0);
        const steps = Array.from({ length: NEW_POINTS }, (_, i) => last + 1 + i);
        const push: Document = {
          steps: { $each: steps },
          values: { $each: steps.map((step) => 1 / step) },
          timestamps: { $each: steps.map((step) => new Date(now + step)) },
        };
        await db.collection('metrics').updateOne({ _id: metric?._id }, { $push: push });
        added += NEW_POINTS;
      }
      await db
        .collection<{ _id: number }>('runs')
        .updateOne({ _id: id }, { $set: { heartbeat: new Date(now + 60_000) } });
    }
    return added;
  } finally {
    await client.close();
  }
}

const ratio = (a: number, b: number): string => (a / b).toFixed(3);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export async function runMongoSyncBench(options: MongoSyncBenchOptions): Promise<string[]> {
  const now = Date.parse('2026-11-27T00:00:00Z');
  const out: string[] = [];
  const work = mkdtempSync(path.join(tmpdir(), 'altar-mongo-bench-'));
  // The server holds every point in memory: give it room (the machine has 24 GB).
  const server = worker(
    path.join(here, 'mongo-bench-server.ts'),
    [
      options.runs,
      options.metricsPerRun,
      options.pointsPerMetric,
      options.bigMetricRuns,
      options.bigMetricPoints,
      now,
    ].map(String),
    16_384,
  );
  try {
    const seeded = await server.next();
    const uri = String(seeded.uri);
    out.push(
      `mongo data: ${String(seeded.runs)} runs, ${String(seeded.metricDocs)} metric documents, ` +
        `${String(seeded.points)} points (${options.metricsPerRun} metrics × ` +
        `${options.pointsPerMetric} points per run, ${options.bigMetricRuns} runs with a ` +
        `${options.bigMetricPoints}-point metric), config of 50+ keys`,
    );

    const plain = worker(path.join(here, 'mongo-bench-worker.ts'), ['plain', uri]);
    const baseline = await plain.next();
    await exited(plain.child);

    const sync = worker(path.join(here, 'mongo-bench-worker.ts'), [
      'sync',
      uri,
      path.join(work, 'data'),
    ]);
    const initial = await sync.next();
    const noChange = await sync.next();
    const grown = await growRuns(uri, now);
    sync.child.stdin?.write('go\n');
    const changed = await sync.next();
    await exited(sync.child);

    const baseMs = Number(baseline.ms);
    const initialMs = Number(initial.ms);
    const noChangeMs = Number(noChange.ms);
    const changedMs = Number(changed.ms);
    const changedSummary = changed.summary as Document;
    out.push(
      `mongo plain driver read of runs + metrics (every document deserialized): ` +
        `${seconds(baseMs)} (${String(baseline.docs)} documents, ${String(baseline.points)} points)`,
    );
    out.push(
      `mongo initial sync throughput / plain read: ${ratio(baseMs, initialMs)}  ` +
        `(goal >= 0.5; sync ${seconds(initialMs)})`,
    );
    out.push(
      `mongo no-change re-sync / initial sync: ${ratio(noChangeMs, initialMs)}  ` +
        `(goal < 0.05 and < 1 s; re-sync ${seconds(noChangeMs)})`,
    );
    out.push(
      `mongo re-sync after ${CHANGED_RUNS} runs gained ${NEW_POINTS} points per metric ` +
        `(${grown} points) / initial sync: ${ratio(changedMs, initialMs)}  ` +
        `(changed share of the runs ${ratio(CHANGED_RUNS, Number(seeded.runs))}; ` +
        `re-sync ${seconds(changedMs)}, ${String(changedSummary.updated)} updated, ` +
        `${String(changedSummary.points)} points written)`,
    );
    // The test server is JavaScript holding every point in one heap: its share of a small
    // sync grows with the database (GC), which a real mongod's would not. The syncing
    // process's own CPU time shows what the app spends.
    out.push(
      `mongo syncing process CPU, re-sync after the change / initial sync: ` +
        `${ratio(Number(changed.cpuMs), Number(initial.cpuMs))}  ` +
        `(no-change re-sync ${ratio(Number(noChange.cpuMs), Number(initial.cpuMs))}; ` +
        `CPU ${seconds(Number(initial.cpuMs))} initial, ${seconds(Number(noChange.cpuMs))} ` +
        `no-change, ${seconds(Number(changed.cpuMs))} after the change)`,
    );
    out.push(
      `mongo peak RSS of the syncing process: ${Number(changed.maxRssMb).toFixed(0)} MB ` +
        `(goal < 500 MB; plain read process ${Number(baseline.maxRssMb).toFixed(0)} MB)`,
    );
    return out;
  } finally {
    server.child.kill('SIGTERM');
    await exited(server.child);
    rmSync(work, { recursive: true, force: true });
  }
}

/** The bench's flags, shared with tests/bench/run-benchmarks.ts. */
export const mongoBenchFlags = {
  'mongo-runs': { type: 'string' },
  'mongo-points': { type: 'string' },
  'mongo-metrics': { type: 'string' },
  'big-metric-points': { type: 'string' },
  'big-metric-runs': { type: 'string' },
} as const;

export function mongoBenchOptions(
  values: Partial<Record<keyof typeof mongoBenchFlags, string | boolean | undefined>>,
): MongoSyncBenchOptions {
  const number = (key: keyof typeof mongoBenchFlags, fallback: number): number => {
    const text = values[key];
    if (typeof text !== 'string') return fallback;
    const parsed = Number(text);
    if (!Number.isSafeInteger(parsed) || parsed < 0) throw new Error(`--${key}: bad number`);
    return parsed;
  };
  const d = MONGO_BENCH_DEFAULTS;
  return {
    runs: Math.max(CHANGED_RUNS, number('mongo-runs', d.runs)),
    metricsPerRun: Math.max(1, number('mongo-metrics', d.metricsPerRun)),
    pointsPerMetric: number('mongo-points', d.pointsPerMetric),
    bigMetricRuns: number('big-metric-runs', d.bigMetricRuns),
    bigMetricPoints: number('big-metric-points', d.bigMetricPoints),
  };
}

if (
  process.argv[1] !== undefined &&
  fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
) {
  const { values } = parseArgs({ options: mongoBenchFlags });
  for (const line of await runMongoSyncBench(mongoBenchOptions(values))) console.log(line);
}
