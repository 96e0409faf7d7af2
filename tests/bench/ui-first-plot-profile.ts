/**
 * Where the first plot of a session goes in the window (issue 13):
 * `npx tsx tests/bench/ui-first-plot-profile.ts [--cli DIR/dist/cli.mjs] [--out OUT]
 * [--repeat N] [--think-ms MS] [--plot-points P] [--plot-runs R] [--data-dir D]`.
 * Serves a build (dist/ by default; `--cli` another build's CLI, its dist/renderer beside it) on
 * generated plot data, opens the table cold in Chromium, waits `--think-ms` as the bench's user
 * does (the app's idle-time plotly preload may run then), selects the first run and clicks
 * "Plot", timed to the frame that shows the drawn trace. Prints, per round, the click's time and
 * the plotly chunk's and the metric requests' timings from the click (resource timing), and for
 * the first round with `--out` a Chromium trace (OUT/first-plot.trace.json) read back as: the
 * renderer main thread's tasks from 3 s before the click to the drawn frame (wall and CPU, and
 * what filled each), and the V8 work done off the main thread. `--think-ms 0` clicks before any
 * preload: the whole cost of plotly's first use. Nothing is asserted.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { cacheFilePath } from '../../main/core/data-dir';
import { startServedApp } from '../support/serve-process';
import { selfTimesByName } from './profile-summaries';
import type { TraceEvent } from './profile-summaries';
import { defaultChromium } from './renderer-memory-bench';
import { coldPage, launchBrowser, median, timedClick } from './ui-bench-page';
import { PLOT, writePlotData } from './ui-bench-plot-session';

const { values } = parseArgs({
  options: {
    cli: { type: 'string' },
    out: { type: 'string' },
    repeat: { type: 'string', default: '3' },
    'think-ms': { type: 'string', default: '1500' },
    'plot-points': { type: 'string', default: '100000' },
    'plot-runs': { type: 'string', default: '4' },
    'data-dir': { type: 'string' },
  },
});
const repeat = Math.max(1, Number(values.repeat));
const thinkMs = Number(values['think-ms']);
const plotPoints = Number(values['plot-points']);
const plotRuns = Number(values['plot-runs']);
const out = values.out === undefined ? undefined : path.resolve(values.out);
if (out !== undefined) mkdirSync(out, { recursive: true });

interface Timings {
  plotMs: number;
  /** The plotly chunk's request, from the click (negative: before it). */
  chunk: { start: number; end: number; kb: number } | null;
  api: { name: string; start: number; end: number; kb: number }[];
}

/** Resource timings of the plotly chunk and the API calls, relative to the click. */
async function timingsFromClick(page: Page, click: number): Promise<Omit<Timings, 'plotMs'>> {
  return page.evaluate((from) => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const chunkEntry = entries.find((entry) => /\/assets\/[^/]*plotly[^/]*\.js$/u.test(entry.name));
    const chunk =
      chunkEntry === undefined
        ? null
        : {
            start: chunkEntry.startTime - from,
            end: chunkEntry.responseEnd - from,
            kb: chunkEntry.encodedBodySize / 1024,
          };
    const api = entries
      .filter((entry) => entry.name.includes('/api/') && entry.startTime >= from)
      .map((entry) => ({
        name: new URL(entry.name).pathname,
        start: entry.startTime - from,
        end: entry.responseEnd - from,
        kb: entry.encodedBodySize / 1024,
      }));
    return { chunk, api };
  }, click);
}

/** Self CPU time by event name inside `outer` (its nested events of the same thread). */
function selfTimes(outer: TraceEvent, inside: TraceEvent[]): Map<string, number> {
  return selfTimesByName(
    inside.filter((event) => event !== outer),
    (event) => (event.tdur ?? event.dur ?? 0) / 1000,
  );
}

/**
 * The renderer main thread's top-level work around the click (tasks and the microtask
 * checkpoints after them) and what filled it, and the V8 work of other renderer threads.
 */
function readTrace(tracePath: string, plotMs: number): string[] {
  const raw = JSON.parse(readFileSync(tracePath, 'utf8')) as
    { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const mark = events.find((event) => event.name === 'plot-click');
  if (mark === undefined) return ['  (no plot-click mark in the trace)'];
  const threadNames = new Map<string, string>();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name') {
      threadNames.set(`${event.pid}:${event.tid}`, event.args?.name ?? '?');
    }
  }
  const mainTid = [...threadNames.entries()].find(
    ([key, name]) => name === 'CrRendererMain' && key.startsWith(`${mark.pid}:`),
  )?.[0];
  if (mainTid === undefined) return ['  (no renderer main thread)'];
  const from = mark.ts - 3_000_000;
  const to = mark.ts + plotMs * 1000 + 50_000;
  const rel = (ts: number): string => `${((ts - mark.ts) / 1000).toFixed(0).padStart(6)} ms`;
  const complete = events
    .filter((event) => event.ph === 'X' && event.dur !== undefined && event.pid === mark.pid)
    .filter((event) => event.ts + (event.dur ?? 0) >= from && event.ts <= to)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const onMain = complete.filter((event) => `${event.pid}:${event.tid}` === mainTid);
  // Top level: events not inside an earlier one.
  const top: TraceEvent[] = [];
  let coveredTo = -Infinity;
  for (const event of onMain) {
    if (event.ts >= coveredTo) {
      top.push(event);
      coveredTo = event.ts + (event.dur ?? 0);
    }
  }
  const lines: string[] = ['  renderer main thread, top-level work > 10 ms wall (from the click):'];
  let cpuTotal = 0;
  for (const task of top) {
    cpuTotal += (task.tdur ?? 0) / 1000;
    if ((task.dur ?? 0) < 10_000) continue;
    const end = task.ts + (task.dur ?? 0);
    const inside = onMain.filter((e) => e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end);
    const filled = [...selfTimes(task, inside).entries()]
      .filter(([name]) => name !== 'RunTask' && name !== 'ThreadControllerImpl::RunTask')
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
      .join(', ');
    lines.push(
      `  ${rel(task.ts)} +${((task.dur ?? 0) / 1000).toFixed(0).padStart(5)} ms wall, ` +
        `${((task.tdur ?? 0) / 1000).toFixed(0).padStart(4)} ms CPU (${task.name}): ${filled}`,
    );
  }
  lines.push(`  main thread CPU in the window: ${cpuTotal.toFixed(0)} ms`);
  // The idle-time preload's slices and plotly's evaluation, before and after the click.
  for (const name of ['FireIdleCallback', 'v8.evaluateModule', 'EvaluateScript']) {
    for (const [label, pick] of [
      ['before the click', (e: TraceEvent) => e.ts < mark.ts],
      ['after', (e: TraceEvent) => e.ts >= mark.ts],
    ] as const) {
      const found = events.filter(
        (e) => e.ph === 'X' && `${e.pid}:${e.tid}` === mainTid && e.name === name && pick(e),
      );
      if (found.length === 0) continue;
      const cpu = found.reduce((sum, e) => sum + (e.tdur ?? 0) / 1000, 0);
      const longest = Math.max(...found.map((e) => (e.tdur ?? 0) / 1000));
      lines.push(
        `  ${name} ${label}: ${found.length}, CPU ${cpu.toFixed(0)} ms, longest ${longest.toFixed(1)} ms CPU`,
      );
    }
  }
  const offMain = new Map<string, number>();
  for (const event of complete) {
    if (`${event.pid}:${event.tid}` === mainTid || !/^v8|^V8/u.test(event.name)) continue;
    const key = `${threadNames.get(`${event.pid}:${event.tid}`) ?? event.tid} ${event.name}`;
    offMain.set(key, (offMain.get(key) ?? 0) + (event.tdur ?? event.dur ?? 0) / 1000);
  }
  lines.push('  V8 work off the main thread (CPU ms, same window):');
  for (const [key, cpu] of [...offMain.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6)) {
    lines.push(`  ${cpu.toFixed(0).padStart(7)} ms  ${key}`);
  }
  return lines;
}

const work =
  values['data-dir'] === undefined
    ? mkdtempSync(path.join(tmpdir(), 'altar-first-plot-'))
    : path.resolve(values['data-dir']);
const browser = await launchBrowser(defaultChromium());
try {
  const dataDir = path.join(work, `plot-${plotRuns}x${plotPoints}`);
  if (!existsSync(cacheFilePath(dataDir))) {
    rmSync(dataDir, { recursive: true, force: true });
    writePlotData(dataDir, plotRuns, plotPoints);
  }
  const rounds: Timings[] = [];
  for (let round = 0; round < repeat; round++) {
    const app = await startServedApp({ dataDir, keepDataDir: true, cli: values.cli });
    const { context, page } = await coldPage(browser);
    try {
      const tracePath =
        out === undefined || round > 0 ? undefined : path.join(out, 'first-plot.trace.json');
      if (tracePath !== undefined) {
        await browser.startTracing(page, {
          path: tracePath,
          categories: [
            'devtools.timeline',
            'disabled-by-default-devtools.timeline',
            'toplevel',
            'v8',
            'v8.execute',
            'blink.user_timing',
            'loading',
          ],
        });
      }
      await page.goto(app.url);
      const rows = page.locator('[data-testid="run-row"]');
      await rows.first().waitFor({ timeout: 600_000 });
      await page.waitForTimeout(thinkMs);
      await rows.first().click({ modifiers: ['Control'] });
      await page.locator('[data-testid="plot-selected"]:not([disabled])').waitFor();
      const click = await page.evaluate(() => {
        performance.mark('plot-click');
        return performance.now();
      });
      const plotMs = await timedClick(page, '[data-testid="plot-selected"]', {
        kind: 'selector',
        selector: `${PLOT}.drawn .scatterlayer .trace`,
      });
      if (tracePath !== undefined) await browser.stopTracing();
      const timings = { plotMs, ...(await timingsFromClick(page, click)) };
      rounds.push(timings);
      const chunk =
        timings.chunk === null
          ? 'plotly chunk: not loaded'
          : `plotly chunk (${timings.chunk.kb.toFixed(0)} KB) fetched ` +
            `${timings.chunk.start.toFixed(0)}…${timings.chunk.end.toFixed(0)} ms`;
      const api = timings.api
        .map(
          (a) => `${a.name} ${a.start.toFixed(0)}…${a.end.toFixed(0)} ms (${a.kb.toFixed(0)} KB)`,
        )
        .join(', ');
      console.log(`round ${round + 1}: click → drawn ${plotMs.toFixed(0)} ms; ${chunk}; ${api}`);
      if (tracePath !== undefined) console.log(readTrace(tracePath, plotMs).join('\n'));
    } finally {
      await context.close();
      await app.stop();
    }
  }
  console.log(
    `first plot, click → drawn: median ${median(rounds.map((r) => r.plotMs)).toFixed(0)} ms of ` +
      `${rounds.length} (${rounds.map((r) => r.plotMs.toFixed(0)).join(', ')}); think ${thinkMs} ms, ` +
      `${plotRuns} runs × ${plotPoints} points, ${values.cli ?? 'dist/cli.mjs'}`,
  );
} finally {
  await browser.close();
  if (values['data-dir'] === undefined) rmSync(work, { recursive: true, force: true });
}
