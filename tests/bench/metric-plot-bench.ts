/**
 * Metric plots of many long runs: `tsx tests/bench/metric-plot-bench.ts --plot-points 1000000
 * --plot-runs 20` (also run, at a small size, by `npm run bench`). Writes the runs straight into
 * the cache, then times what a plot asks the core for: every trace downsampled for a first
 * plot, and every trace re-queried for a zoom on 1% of the steps, each next to a baseline
 * measured in the same run that sends the full arrays. Structured clone stands in for IPC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { MetricSeries } from '../../shared/contract';
import { createAltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';

export interface MetricPlotBenchOptions {
  points: number;
  runs: number;
  /** Points asked per trace: two per pixel of a 2000 px wide plot. */
  maxPoints?: number;
}

const METRIC = 'train.loss';

/** A loss curve: decaying level, noise, rare spikes and a short NaN stretch. */
function lossRun(id: number, points: number) {
  const steps = new Float64Array(points);
  const values = new Float64Array(points);
  const timestamps = new Float64Array(points);
  let seed = id * 7919 + 1;
  const start = Date.UTC(2024, 0, 1) + id * 3_600_000;
  for (let i = 0; i < points; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const noise = seed / 2_147_483_648 - 0.5;
    steps[i] = i;
    timestamps[i] = start + i * 25;
    values[i] = 2 * Math.exp(-i / (points / 5)) + 0.05 * noise + (i % 99_991 === 5 ? 3 : 0);
  }
  values.fill(NaN, Math.floor(points * 0.3), Math.floor(points * 0.3) + 50);
  const run = emptyParsedRun(String(id), 'COMPLETED');
  run.startTime = new Date(start).toISOString();
  run.metrics.push({ name: METRIC, steps, values, timestamps });
  return run;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** What crossing IPC costs: a structured clone of every answer. */
function cloned(series: MetricSeries[]): MetricSeries[] {
  return series.map((s) => structuredClone(s));
}

const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;

export async function runMetricPlotBench(options: MetricPlotBenchOptions): Promise<string[]> {
  const { points, runs } = options;
  const maxPoints = options.maxPoints ?? 4000;
  const work = mkdtempSync(path.join(tmpdir(), 'altar-plot-bench-'));
  const lines: string[] = [];
  try {
    const dataDir = path.join(work, 'data');
    const store = CacheStore.open(cacheFilePath(dataDir));
    store.addSource({ name: 'bench', kind: 'folder', location: work, createdAt: '2024-01-01Z' });
    const write = await timed(async () => {
      for (let id = 1; id <= runs; id++) {
        store.writeRun(
          'bench',
          { id: String(id), dir: null, fingerprint: 'x' },
          lossRun(id, points),
        );
      }
    });
    store.close();
    lines.push(
      `plot data: ${runs} runs × ${points} points of "${METRIC}" written to the cache in ${fmt(write.ms)}`,
    );

    const core = createAltarCore({ dataDir, door: 'direct' });
    const ids = Array.from({ length: runs }, (_, i) => String(i + 1));
    const ask = (extra: { maxPoints?: number; xMin?: number; xMax?: number }) =>
      Promise.all(ids.map((id) => core.getMetric({ source: 'bench', id, name: METRIC, ...extra })));
    try {
      // Warm-up (statement preparation, page cache) on one run, as a plot opened before would.
      await core.getMetric({ source: 'bench', id: '1', name: METRIC, maxPoints });

      const first = await timed(async () => cloned(await ask({ maxPoints })));
      const center = Math.floor(points / 2);
      const half = Math.max(1, Math.floor(points / 200));
      const zoomRange = { xMin: center - half, xMax: center + half };
      const zoom = await timed(async () => cloned(await ask({ maxPoints, ...zoomRange })));

      const full = await timed(async () => cloned(await ask({})));
      const fullPoints = full.value.reduce((sum, s) => sum + s.values.length, 0);
      // The baseline's zoom: no re-query, but every trace filtered to the range on the client.
      const fullZoom = await timed(async () =>
        full.value.map((s) => {
          let n = 0;
          for (const step of s.steps) if (step >= zoomRange.xMin && step <= zoomRange.xMax) n++;
          return n;
        }),
      );
      full.value.length = 0;

      const perTrace = (series: MetricSeries[]) => Math.max(...series.map((s) => s.values.length));
      const bytes = (n: number) => `${((n * 24) / 1024 / 1024).toFixed(2)} MB`;
      const firstPoints = first.value.reduce((sum, s) => sum + s.values.length, 0);
      const zoomPoints = zoom.value.reduce((sum, s) => sum + s.values.length, 0);
      lines.push(
        `first plot, all ${runs} traces downsampled to ≤ ${maxPoints}: ${fmt(first.ms)} ` +
          `(goal < 1000 ms); baseline sending full arrays: ${fmt(full.ms)}; ` +
          `ratio ${(first.ms / full.ms).toFixed(3)}`,
        `points sent per trace: ${perTrace(first.value)} (goal ≤ ~4000); baseline: ${points}; ` +
          `data sent: ${bytes(firstPoints)} vs ${bytes(fullPoints)}`,
        `zoom to 1% of the steps (${zoomRange.xMin}..${zoomRange.xMax}), all ${runs} traces ` +
          `re-queried: ${fmt(zoom.ms)} (goal < 200 ms), ${perTrace(zoom.value)} points per trace ` +
          `(${zoom.value[0]?.pointsInRange ?? 0} in range, ${zoom.value[0]?.downsampled ? 'downsampled' : 'all of them'}); ` +
          `baseline (full arrays already sent, filtered on the client): ${fmt(fullZoom.ms)}, ` +
          `${fullZoom.value[0] ?? 0} points per trace drawn`,
        `zoom data sent: ${bytes(zoomPoints)}`,
      );
    } finally {
      await core.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      'plot-points': { type: 'string', default: '200000' },
      'plot-runs': { type: 'string', default: '4' },
    },
  });
  const lines = await runMetricPlotBench({
    points: Number(values['plot-points']),
    runs: Number(values['plot-runs']),
  });
  for (const line of lines) console.log(line);
}
