/**
 * The 20-run zoom (mouse-up → shown, → refined) of two builds, alternated session by session on
 * the same plot cache, so both meet the same load (issue 13: on the shared 2-core machine one
 * build's rounds and another's minutes later differ more than a change does). Each session is
 * bench:ui's (a cold serve and page, one run plotted, then every run plotted and zoomed on a
 * tenth of the steps), then `--zooms` more zooms after double-click resets (warm reads).
 * Per zoom it prints shown and refined, when the refine's reply came (after mouse-up), the
 * animation frames the page ran between that reply and the refined figure, the page's and
 * the serve's CPU, and the refine's steps after mouse-up: request sent, reply's first byte, the
 * refined points committed by React, plotly's redraw of them started.
 *   npx tsx tests/bench/ui-zoom-ab.ts --plot-dir DIR --base OTHER/dist/cli.mjs
 *     [--runs 20] [--sessions 4] [--zooms 2]
 * DIR must hold a plot cache of bench:ui (the serve may write blocks into it: use a copy).
 * A first session of the base warms the cache and is not counted.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import { repoRoot, startServedApp } from '../support/serve-process';
import { defaultChromium } from './renderer-memory-bench';
import { PLOT, dragZoom, selectAllRuns } from './ui-bench-plot-session';
import { coldPage, launchBrowser, median, timedClick } from './ui-bench-page';

const { values } = parseArgs({
  options: {
    'plot-dir': { type: 'string' },
    base: { type: 'string' },
    runs: { type: 'string', default: '20' },
    sessions: { type: 'string', default: '4' },
    zooms: { type: 'string', default: '2' },
  },
});
const dir = values['plot-dir'];
const baseCli = values.base;
if (dir === undefined || baseCli === undefined) {
  throw new Error('usage: ui-zoom-ab.ts --plot-dir DIR --base OTHER/dist/cli.mjs');
}
const runs = Number(values.runs);
const zooms = Number(values.zooms);

interface Zoom {
  shown: number;
  refined: number;
  /** CPU of the page's main thread from mouse-up to refined (trace `tdur`), and of serve. */
  pageCpu: number;
  serveCpu: number;
  /** The refine's reply in the page (its response end), ms after mouse-up. */
  reply: number;
  /** Animation frames the page ran between the reply and the refined figure. */
  framesAfterReply: number;
  /** The refine's request sent, and its reply's first byte, ms after mouse-up. */
  sent: number;
  firstByte: number;
  /** The refined points committed by React (the requery count moved), ms after mouse-up. */
  committed: number;
  /** plotly's redraw of them started (the figure's effect took `drawn` off), ms after mouse-up. */
  redrawStart: number;
}

/** utime + stime of a process, in ms (Linux). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** The renderer main thread's CPU in top-level tasks from the last mouse-up for `ms`. */
function pageCpuAfterMouseUp(tracePath: string, ms: number): number {
  const raw = JSON.parse(readFileSync(tracePath, 'utf8')) as
    TraceEvent[] | { traceEvents: TraceEvent[] };
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const up = events
    .filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'mouseup')
    .at(-1);
  if (up === undefined) return NaN;
  const end = up.ts + ms * 1000;
  let cpu = 0;
  for (const e of events) {
    if (e.name !== 'RunTask' || e.pid !== up.pid || e.tid !== up.tid) continue;
    if (e.ts + (e.dur ?? 0) < up.ts || e.ts > end) continue;
    cpu += (e.tdur ?? 0) / 1000;
  }
  return cpu;
}

interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { type?: string } };
}

async function session(browser: Browser, cli: string): Promise<{ plot: number; zooms: Zoom[] }> {
  const app = await startServedApp({ dataDir: dir as string, keepDataDir: true, cli });
  const { context, page } = await coldPage(browser);
  try {
    await page.goto(app.url);
    const rows = page.locator('[data-testid="run-row"]');
    await rows.first().waitFor({ timeout: 600_000 });
    await page.waitForTimeout(1500);
    await rows.first().click({ modifiers: ['Control'] });
    await page.locator('[data-testid="plot-selected"]:not([disabled])').click();
    await page.locator(`${PLOT}.drawn .scatterlayer .trace`).first().waitFor({ timeout: 600_000 });
    await selectAllRuns(page, runs);
    const plot = await timedClick(page, '[data-testid="plot-selected"]', {
      kind: 'selector',
      selector: `${PLOT}.drawn .scatterlayer .trace:nth-child(${runs})`,
    });
    const out: Zoom[] = [];
    for (let i = 0; i <= zooms; i++) {
      if (i > 0) {
        // Back to the whole range (plotly's double-click), drawn from the kept points.
        await page.locator(`${PLOT} .nsewdrag`).first().dblclick();
        await page.locator('[data-testid="plot-frame"][data-zoomed="no"]').waitFor();
        await page.locator(`${PLOT}.drawn`).waitFor();
        await page.waitForTimeout(500);
      }
      const tracePath = path.join(tmpdir(), `ui-zoom-ab-${process.pid}.json`);
      await browser.startTracing(page, { path: tracePath });
      // Every animation frame's time, to count the frames between the reply and the refined
      // figure (frames the page waited through instead of drawing).
      await page.evaluate((plotSelector) => {
        const frames: number[] = [];
        const global = globalThis as unknown as { __frames: number[]; __framesStop: boolean };
        global.__frames = frames;
        global.__framesStop = false;
        const loop = (): void => {
          frames.push(performance.now());
          if (!global.__framesStop) requestAnimationFrame(loop);
        };
        requestAnimationFrame(loop);
        // The steps between the reply and the refined figure, on the page's clock.
        const steps = { committed: NaN, redrawStart: NaN };
        (globalThis as unknown as { __refineSteps: typeof steps }).__refineSteps = steps;
        const plot = document.querySelector<HTMLElement>(plotSelector);
        const frame = plot?.closest<HTMLElement>('[data-testid="plot-frame"]');
        if (plot === null || frame === null || frame === undefined) throw new Error('no plot');
        const requeries = frame.dataset.requeryCount;
        new MutationObserver((_records, observer) => {
          const now = performance.now();
          if (Number.isNaN(steps.committed) && frame.dataset.requeryCount !== requeries) {
            steps.committed = now;
          }
          if (
            !Number.isNaN(steps.committed) &&
            Number.isNaN(steps.redrawStart) &&
            !plot.classList.contains('drawn')
          ) {
            steps.redrawStart = now;
            observer.disconnect();
          }
        }).observe(frame, {
          attributes: true,
          attributeFilter: ['data-requery-count', 'class'],
          subtree: true,
        });
      }, PLOT);
      const cpuBefore = processCpuMs(app.process.pid as number);
      const zoom = await dragZoom(page, [0.45, 0.5], [0.55, 0.5], 'xaxis', true);
      const serveCpu = processCpuMs(app.process.pid as number) - cpuBefore;
      await browser.stopTracing();
      const steps = await page.evaluate(() => {
        const global = globalThis as unknown as {
          __zoomWatch: { up: number; refined: number };
          __frames: number[];
          __framesStop: boolean;
          __refineSteps: { committed: number; redrawStart: number };
        };
        global.__framesStop = true;
        const { up, refined } = global.__zoomWatch;
        const asked = performance
          .getEntriesByType('resource')
          .filter((entry) => entry.name.endsWith('/api/getMetrics'))
          .at(-1) as PerformanceResourceTiming | undefined;
        const { committed, redrawStart } = global.__refineSteps;
        const after = { committed: committed - up, redrawStart: redrawStart - up };
        if (asked === undefined || asked.startTime < up) {
          return { reply: NaN, framesAfterReply: NaN, sent: NaN, firstByte: NaN, ...after };
        }
        const end = up + refined;
        const frames = global.__frames.filter((t) => t > asked.responseEnd && t < end).length;
        return {
          reply: asked.responseEnd - up,
          framesAfterReply: frames,
          sent: asked.startTime - up,
          firstByte: asked.responseStart - up,
          ...after,
        };
      });
      const pageCpu = pageCpuAfterMouseUp(tracePath, zoom.refinedMs);
      rmSync(tracePath, { force: true });
      out.push({
        shown: zoom.shownMs,
        refined: zoom.refinedMs,
        pageCpu,
        serveCpu,
        ...steps,
      });
    }
    return { plot, zooms: out };
  } finally {
    await context.close();
    await app.stop();
  }
}

const sides = [
  { name: 'base', cli: path.resolve(baseCli) },
  { name: 'this', cli: path.join(repoRoot, 'dist/cli.mjs') },
];
const results = new Map<string, { plot: number[]; first: Zoom[]; again: Zoom[] }>(
  sides.map((side) => [side.name, { plot: [], first: [], again: [] }]),
);
const ms = (value: number): string => `${value.toFixed(0)}`;
const browser = await launchBrowser(defaultChromium());
try {
  await session(browser, sides[0]!.cli);
  for (let round = 1; round <= Number(values.sessions); round++) {
    // Alternate which build goes first, so neither always follows the other.
    const order = round % 2 === 1 ? sides : [...sides].reverse();
    for (const side of order) {
      const s = await session(browser, side.cli);
      const r = results.get(side.name)!;
      r.plot.push(s.plot);
      r.first.push(s.zooms[0]!);
      r.again.push(...s.zooms.slice(1));
      console.log(
        `session ${round} ${side.name}: plot ${ms(s.plot)} ms; zooms refined (shown) ` +
          s.zooms
            .map(
              (z) =>
                `${ms(z.refined)} (${ms(z.shown)}; reply ${ms(z.reply)}, ${z.framesAfterReply} frames ` +
                `after; cpu page ${ms(z.pageCpu)} ` +
                `serve ${ms(z.serveCpu)}; sent ${ms(z.sent)}, first byte ${ms(z.firstByte)}, ` +
                `committed ${ms(z.committed)}, redraw ${ms(z.redrawStart)})`,
            )
            .join(', '),
      );
    }
  }
} finally {
  await browser.close();
}
for (const side of sides) {
  const r = results.get(side.name)!;
  console.log(
    `${side.name}: first zoom refined median ${ms(median(r.first.map((z) => z.refined)))} ms ` +
      `(shown ${ms(median(r.first.map((z) => z.shown)))}); later zooms refined median ` +
      `${ms(median(r.again.map((z) => z.refined)))} ms (shown ${ms(median(r.again.map((z) => z.shown)))}); ` +
      `plot ${runs} median ${ms(median(r.plot))} ms; page CPU mouse-up → refined median ` +
      `${ms(median([...r.first, ...r.again].map((z) => z.pageCpu)))} ms, serve CPU median ` +
      `${ms(median([...r.first, ...r.again].map((z) => z.serveCpu)))} ms; reply after mouse-up ` +
      `median ${ms(median([...r.first, ...r.again].map((z) => z.reply)))} ms; frames between reply ` +
      `and refined: ${[...r.first, ...r.again].map((z) => z.framesAfterReply).join(' ')}`,
  );
}
