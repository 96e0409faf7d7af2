/**
 * Metric plots of many long runs: `tsx tests/bench/metric-plot-bench.ts --plot-points 1000000
 * --plot-runs 20` (also run, at a small size, by `npm run bench`). Writes the runs straight into
 * the cache, then times what a plot asks the core for: every trace downsampled for a first
 * plot, and every trace re-queried for a zoom on 1% of the steps, through the browser door
 * (the HTTP host, JSON over loopback, decoded as the renderer's client does). Baselines from
 * the same run: the full arrays for the first plot, the full-resolution range for the zoom.
 * Drawing (plotly) is not timed here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Envelope } from '../../shared/client-api';
import { httpRoutes } from '../../shared/client-api';
import type { MetricSeries } from '../../shared/contract';
import type { MetricBatch } from '../../shared/contract/metrics-methods';
import { unpackMetricBatch } from '../../shared/metric-batch';
import { decodeWire, encodeWire } from '../../shared/wire-codec';
import { createAltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import { startHttpHost } from '../../main/hosts/http-host';

export interface MetricPlotBenchOptions {
  points: number;
  runs: number;
  /** Points asked per trace: two per pixel of a 2000 px wide plot. */
  maxPoints?: number;
}

export const METRIC = 'train.loss';

/** A loss curve: decaying level, noise, rare spikes and a short NaN stretch. */
export function lossRun(id: number, points: number) {
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

const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

interface Answer {
  series: MetricSeries[];
  /** JSON bytes received over HTTP. */
  bytes: number;
}

/**
 * The browser door as the renderer's HTTP client uses it (renderer/src/api/http-client.ts):
 * POST /api/getMetric with the wire-encoded arguments over loopback, the JSON reply read and
 * decoded. One request per trace, all in flight at once, as a plot asks for them.
 */
function httpAsker(origin: string, token: string) {
  return async (ids: string[], extra: Record<string, number>): Promise<Answer> => {
    const replies = await Promise.all(
      ids.map(async (id) => {
        const response = await fetch(`${origin}${httpRoutes.api}getMetric`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: encodeWire({ source: 'bench', id, name: METRIC, ...extra }),
        });
        const text = await response.text();
        const envelope = decodeWire(text) as Envelope<MetricSeries>;
        if (!envelope.ok) throw new Error(`getMetric ${id}: ${envelope.error.message}`);
        return { series: envelope.result, bytes: Buffer.byteLength(text) };
      }),
    );
    return {
      series: replies.map((reply) => reply.series),
      bytes: replies.reduce((sum, reply) => sum + reply.bytes, 0),
    };
  };
}

/**
 * The same traces in one getMetrics request (what the plot sends since issue 13), unpacked into
 * one MetricSeries per trace as the renderer does.
 */
function httpBatchAsker(origin: string, token: string) {
  return async (ids: string[], extra: Record<string, number>): Promise<Answer> => {
    const { maxPoints, ...range } = extra;
    const response = await fetch(`${origin}${httpRoutes.api}getMetrics`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: encodeWire({
        traces: ids.map((id) => ({ source: 'bench', id, name: METRIC, ...range })),
        ...(maxPoints === undefined ? {} : { maxPoints }),
      }),
    });
    const text = await response.text();
    const envelope = decodeWire(text) as Envelope<MetricBatch>;
    if (!envelope.ok) throw new Error(`getMetrics: ${envelope.error.message}`);
    const series = unpackMetricBatch(envelope.result).map((entry) => {
      if ('error' in entry) throw new Error(`getMetrics: ${entry.error.message}`);
      return entry;
    });
    return { series, bytes: Buffer.byteLength(text) };
  };
}

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
      `plot data: ${runs} runs × ${points} points of "${METRIC}" written to the cache in ` +
        `${fmt(write.ms)}; times below are through the HTTP door (JSON over loopback), ` +
        `drawing not included`,
    );

    const rendererDir = path.join(work, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>');
    const core = createAltarCore({ dataDir, door: 'http' });
    const host = await startHttpHost(core, { rendererDir });
    const ask = httpAsker(`http://127.0.0.1:${host.port}`, host.token);
    const askBatch = httpBatchAsker(`http://127.0.0.1:${host.port}`, host.token);
    const ids = Array.from({ length: runs }, (_, i) => String(i + 1));
    try {
      // Warm-up (statement preparation, page cache, the HTTP connection) on one run.
      await ask(['1'], { maxPoints });
      await askBatch(['1'], { maxPoints });

      const first = await timed(() => ask(ids, { maxPoints }));
      const firstBatch = await timed(() => askBatch(ids, { maxPoints }));
      const full = await timed(() => ask(ids, {}));
      const fullPoints = full.value.series.reduce((sum, s) => sum + s.values.length, 0);
      const fullBytes = full.value.bytes;
      full.value.series.length = 0;

      const center = Math.floor(points / 2);
      const half = Math.max(1, Math.floor(points / 200));
      const range = { xMin: center - half, xMax: center + half };
      // The zoom's baseline: every point of the range at full resolution, serialised and sent.
      // Three rounds, alternating, the median of each (small answers, noisy machine).
      const zooms: { ms: number; value: Answer }[] = [];
      const zoomFulls: { ms: number; value: Answer }[] = [];
      const zoomBatches: { ms: number; value: Answer }[] = [];
      for (let round = 0; round < 3; round++) {
        zooms.push(await timed(() => ask(ids, { maxPoints, ...range })));
        zoomBatches.push(await timed(() => askBatch(ids, { maxPoints, ...range })));
        zoomFulls.push(await timed(() => ask(ids, range)));
      }
      const median = (samples: { ms: number; value: Answer }[]) =>
        [...samples].sort((a, b) => a.ms - b.ms)[1] as { ms: number; value: Answer };
      const zoom = median(zooms);
      const zoomBatch = median(zoomBatches);
      const zoomFull = median(zoomFulls);

      const perTrace = (series: MetricSeries[]) => Math.max(...series.map((s) => s.values.length));
      const firstPoints = first.value.series.reduce((sum, s) => sum + s.values.length, 0);
      const zoomSeries = zoom.value.series[0];
      lines.push(
        `first plot, all ${runs} traces downsampled to ≤ ${maxPoints} over HTTP: ${fmt(first.ms)}; ` +
          `baseline full arrays over HTTP: ${fmt(full.ms)}; ratio ${(first.ms / full.ms).toFixed(3)}`,
        `points per trace: ${perTrace(first.value.series)} vs ${points}; JSON received: ` +
          `${mb(first.value.bytes)} (${firstPoints} points) vs ${mb(fullBytes)} (${fullPoints} points)`,
        `zoom to 1% of the steps (${range.xMin}..${range.xMax}), all ${runs} traces over HTTP ` +
          `(median of 3): ` +
          `${fmt(zoom.ms)}, ${perTrace(zoom.value.series)} points per trace ` +
          `(${zoomSeries?.pointsInRange ?? 0} in range, ` +
          `${zoomSeries?.downsampled ? 'downsampled' : 'all of them'}, ${mb(zoom.value.bytes)}); ` +
          `baseline the full-resolution range over HTTP: ${fmt(zoomFull.ms)} ` +
          `(${perTrace(zoomFull.value.series)} points per trace, ${mb(zoomFull.value.bytes)}); ` +
          `ratio ${(zoom.ms / zoomFull.ms).toFixed(3)}`,
        `one getMetrics request for all ${runs} traces (what the plot sends) vs one getMetric ` +
          `per trace: first plot ${fmt(firstBatch.ms)} vs ${fmt(first.ms)} ` +
          `(ratio ${(firstBatch.ms / first.ms).toFixed(2)}, ${mb(firstBatch.value.bytes)} vs ` +
          `${mb(first.value.bytes)}); zoom (median of 3) ${fmt(zoomBatch.ms)} vs ${fmt(zoom.ms)} ` +
          `(ratio ${(zoomBatch.ms / zoom.ms).toFixed(2)})`,
      );
    } finally {
      await host.close();
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
