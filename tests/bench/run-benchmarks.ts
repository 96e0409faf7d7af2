/**
 * `npm run bench [-- --folder-runs N --big-points P --plot-points P --plot-runs R]`: folder-source
 * sync (first sync against plain readFileSync + JSON.parse of the same files, a no-change re-sync
 * against a stat walk of the folder) and metric reads, each printed as a ratio against a
 * baseline measured in the same run (never an absolute time goal). Then metric
 * plots, the run table (--table-runs N), the renderer's memory in Chromium on the built app
 * (--renderer-runs N) and MongoDB sync.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAltarCore } from '../../main/core/altar-core';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import { runMetricPlotBench } from './metric-plot-bench';
import { runRendererMemoryBench } from './renderer-memory-bench';
import { parsePointRange, runRunTableBench } from './run-table-bench';
import { mongoBenchFlags, mongoBenchOptions, runMongoSyncBench } from './mongo-sync-bench';

const { values } = parseArgs({
  options: {
    // The folder source (Sacred run folders); the size is 20000. --runs is the old name.
    'folder-runs': { type: 'string', default: '300' },
    runs: { type: 'string' },
    'big-points': { type: 'string', default: '300000' },
    // Metric plots (tests/bench/metric-plot-bench.ts); the size is 1000000 × 20. Small at
    // smoke size: the full-array baseline goes through HTTP/JSON and takes seconds per 100k.
    'plot-points': { type: 'string', default: '100000' },
    'plot-runs': { type: 'string', default: '4' },
    // The run table (tests/bench/run-table-bench.ts); the size is 100000.
    'table-runs': { type: 'string', default: '5000' },
    // Its metric lengths (log-uniform MIN-MAX); small at smoke size, the is 1000-100000.
    'table-metric-points': { type: 'string', default: '100-1000' },
    // The renderer's memory in Chromium on the built app (tests/bench/renderer-memory-bench.ts);
    // the size is 100000 (`tsx tests/bench/renderer-memory-bench.ts --table-runs 100000`).
    'renderer-runs': { type: 'string', default: '2000' },
    // MongoDB sync (tests/bench/mongo-sync-bench.ts); the size is --mongo-runs 20000
    // --mongo-points 1000 --big-metric-points 300000.
    ...mongoBenchFlags,
  },
});
const runs = Number(values.runs ?? values['folder-runs']);
const bigPoints = Number(values['big-points']);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * The first sync's floor: plain Node readFileSync + JSON.parse of every file of the folder
 * once, in memory, storing nothing (the broken variants of the data set fail and are skipped).
 */
function plainRead(folder: string): number {
  let points = 0;
  for (const dir of readdirSync(folder)) {
    const runDir = path.join(folder, dir);
    if (!statSync(runDir).isDirectory() || dir.startsWith('_')) continue;
    for (const file of readdirSync(runDir)) {
      const text = readFileSync(path.join(runDir, file), 'utf8');
      if (!file.endsWith('.json')) continue;
      try {
        const value: unknown = JSON.parse(text);
        if (file === 'metrics.json' && value && typeof value === 'object') {
          for (const metric of Object.values(value as Record<string, { values?: unknown[] }>)) {
            points += metric.values?.length ?? 0;
          }
        }
      } catch {
        // broken variants are part of the data set
      }
    }
  }
  return points;
}

/** The no-change re-sync's floor: list every run folder and stat every file in it. */
function statWalk(folder: string): number {
  let files = 0;
  for (const dir of readdirSync(folder)) {
    const runDir = path.join(folder, dir);
    if (!statSync(runDir).isDirectory()) continue;
    for (const file of readdirSync(runDir)) {
      statSync(path.join(runDir, file));
      files++;
    }
  }
  return files;
}

function ratio(a: number, b: number): string {
  return (a / b).toFixed(3);
}

const work = mkdtempSync(path.join(tmpdir(), 'altar-bench-'));
try {
  const folder = path.join(work, 'runs');
  const generated = await generateSacredFolder(folder, {
    runs,
    seed: 3,
    bigMetricPoints: bigPoints,
  });
  console.log(
    `data: ${generated.runIds.length} runs, ${generated.points} metric points (one metric of ${bigPoints})`,
  );

  const baseline = await timed(() => plainRead(folder));
  const core = createAltarCore({ dataDir: path.join(work, 'data'), door: 'direct' });
  await core.addFolderSource({ name: 'bench', path: folder });
  const initial = await timed(() => core.syncSources({ names: ['bench'] }));
  const resync = await timed(() => core.syncSources({ names: ['bench'] }));
  const walk = await timed(() => statWalk(folder));

  const list = await core.listRuns({ source: 'bench' });
  const big = list.runs.find((run) => run.metrics.some((m) => m.count === bigPoints));
  const bigName = big?.metrics.find((m) => m.count === bigPoints)?.name;
  let metricLine = 'metric: no big metric generated';
  if (big && bigName) {
    const full = await timed(() => core.getMetric({ source: 'bench', id: big.id, name: bigName }));
    const shown = await timed(() =>
      core.getMetric({ source: 'bench', id: big.id, name: bigName, maxPoints: 2000 }),
    );
    metricLine =
      `metric of ${bigPoints} points for a 1000 px plot: ${shown.value.values.length} points sent ` +
      `(${ratio(shown.value.values.length, full.value.values.length)} of full), ` +
      `time ratio downsampled/full read ${ratio(shown.ms, full.ms)}`;
  }
  await core.close();
  clearInterval(sampler);

  console.log(
    `baselines: readFileSync + JSON.parse of every file ${baseline.ms.toFixed(0)} ms ` +
      `(${baseline.value} points); stat walk ${walk.ms.toFixed(0)} ms (${walk.value} files)`,
  );
  console.log(
    `first sync / read+parse: ${ratio(initial.ms, baseline.ms)}  (sync ${initial.ms.toFixed(0)} ms)`,
  );
  console.log(
    `no-change re-sync / stat walk: ${ratio(resync.ms, walk.ms)}  (re-sync ${resync.ms.toFixed(0)} ms, ` +
      `${resync.value[0]?.unchanged ?? 0} unchanged)`,
  );
  console.log(metricLine);
  console.log(`peak RSS of the benchmark process: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
  const plotLines = await runMetricPlotBench({
    points: Number(values['plot-points']),
    runs: Number(values['plot-runs']),
  });
  for (const line of plotLines) console.log(line);
  for (const line of await runRunTableBench({
    runs: Number(values['table-runs']),
    metricPoints: parsePointRange(values['table-metric-points']),
  })) {
    console.log(line);
  }
  for (const line of await runRendererMemoryBench({ runs: Number(values['renderer-runs']) })) {
    console.log(line);
  }
  for (const line of await runMongoSyncBench(mongoBenchOptions(values))) console.log(line);
} finally {
  clearInterval(sampler);
  rmSync(work, { recursive: true, force: true });
}
