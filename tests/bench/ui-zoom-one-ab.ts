/**
 * The one-run zoom (issue 13's row "zoom on one run's 1M-point metric, mouse-up → shown") of
 * two builds, alternated session by session on the same plot cache, each beside plotly's own
 * local relayout of the same drag measured in the same session (bench:ui's baseline, a cold
 * page of its own). The row's rule: shown ≤ 1.25 × the relayout or the relayout + 17 ms.
 *   npx tsx tests/bench/ui-zoom-one-ab.ts --plot-dir DIR --base OTHER/dist/cli.mjs [--sessions 6]
 * DIR must hold a plot cache of bench:ui (the serve may write blocks into it: use a copy).
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import { repoRoot, startServedApp } from '../support/serve-process';
import { defaultChromium } from './renderer-memory-bench';
import { PLOT, dragZoom, localRelayoutOfSameZoom } from './ui-bench-plot-session';
import { coldPage, launchBrowser, median, timedClick } from './ui-bench-page';

const { values } = parseArgs({
  options: {
    'plot-dir': { type: 'string' },
    base: { type: 'string' },
    sessions: { type: 'string', default: '6' },
  },
});
const dir = values['plot-dir'];
const baseCli = values.base;
if (dir === undefined || baseCli === undefined) {
  throw new Error('usage: ui-zoom-one-ab.ts --plot-dir DIR --base OTHER/dist/cli.mjs');
}

interface OneZoom {
  shown: number;
  refined: number;
  relayout: number;
  /** The page main thread's CPU from the mouse-up's task to the first paint after it. */
  shownCpu: number;
  relayoutCpu: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { type?: string } };
}

/**
 * CPU (trace `tdur`) of the renderer main thread's top-level tasks from the one holding the
 * last mouse-up to the one holding the first paint after it: what the page did before the zoom
 * could be seen, less sensitive to the machine's load than the wall time.
 */
function cpuToFirstPaint(tracePath: string): number {
  const raw = JSON.parse(readFileSync(tracePath, 'utf8')) as
    TraceEvent[] | { traceEvents: TraceEvent[] };
  rmSync(tracePath, { force: true });
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const up = events
    .filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'mouseup')
    .at(-1);
  if (up === undefined) return NaN;
  const main = events.filter((e) => e.pid === up.pid && e.tid === up.tid && e.ph === 'X');
  const paint = main
    .filter((e) => e.name === 'Paint' && e.ts > up.ts)
    .sort((a, b) => a.ts - b.ts)[0];
  if (paint === undefined) return NaN;
  let cpu = 0;
  for (const e of main) {
    if (e.name !== 'RunTask') continue;
    const end = e.ts + (e.dur ?? 0);
    if (end < up.ts || e.ts > paint.ts) continue;
    cpu += (e.tdur ?? 0) / 1000;
  }
  return cpu;
}

const appTrace = path.join(tmpdir(), `ui-zoom-one-ab-${process.pid}-app.json`);
const copyTrace = path.join(tmpdir(), `ui-zoom-one-ab-${process.pid}-copy.json`);

async function session(browser: Browser, cli: string): Promise<OneZoom> {
  const app = await startServedApp({ dataDir: dir as string, keepDataDir: true, cli });
  try {
    const { context, page } = await coldPage(browser);
    let zoom: { shownMs: number; refinedMs: number };
    try {
      await page.goto(app.url);
      const rows = page.locator('[data-testid="run-row"]');
      await rows.first().waitFor({ timeout: 600_000 });
      await page.waitForTimeout(1500);
      await rows.first().click({ modifiers: ['Control'] });
      await page.locator('[data-testid="plot-selected"]:not([disabled])').waitFor();
      await timedClick(page, '[data-testid="plot-selected"]', {
        kind: 'selector',
        selector: `${PLOT}.drawn .scatterlayer .trace`,
      });
      await browser.startTracing(page, { path: appTrace });
      zoom = await dragZoom(page, [0.4, 0.5], [0.6, 0.5], 'xaxis', true);
      await browser.stopTracing();
    } finally {
      await context.close();
    }
    const relayout = await localRelayoutOfSameZoom(
      browser,
      app.url,
      [0.4, 0.5],
      [0.6, 0.5],
      copyTrace,
    );
    return {
      shown: zoom.shownMs,
      refined: zoom.refinedMs,
      relayout,
      shownCpu: cpuToFirstPaint(appTrace),
      relayoutCpu: cpuToFirstPaint(copyTrace),
    };
  } finally {
    await app.stop();
  }
}

const sides = [
  { name: 'base', cli: path.resolve(baseCli) },
  { name: 'this', cli: path.join(repoRoot, 'dist/cli.mjs') },
];
const results = new Map<string, OneZoom[]>(sides.map((side) => [side.name, []]));
const ms = (value: number): string => value.toFixed(0);
const browser = await launchBrowser(defaultChromium());
try {
  for (let round = 1; round <= Number(values.sessions); round++) {
    // Alternate which build goes first, so neither always follows the other.
    const order = round % 2 === 1 ? sides : [...sides].reverse();
    for (const side of order) {
      const z = await session(browser, side.cli);
      results.get(side.name)!.push(z);
      console.log(
        `session ${round} ${side.name}: shown ${ms(z.shown)} ms (local relayout ` +
          `${ms(z.relayout)} ms; over it ${ms(z.shown - z.relayout)} ms), refined ${ms(z.refined)} ms; ` +
          `main-thread CPU mouse-up → first paint ${ms(z.shownCpu)} ms (local relayout ${ms(z.relayoutCpu)} ms)`,
      );
    }
  }
} finally {
  await browser.close();
}
for (const side of sides) {
  const zs = results.get(side.name)!;
  const within = zs.filter((z) => z.shown <= Math.max(1.25 * z.relayout, z.relayout + 17)).length;
  console.log(
    `${side.name}: shown median ${ms(median(zs.map((z) => z.shown)))} ms, local relayout median ` +
      `${ms(median(zs.map((z) => z.relayout)))} ms, shown − relayout median ` +
      `${ms(median(zs.map((z) => z.shown - z.relayout)))} ms, within the rule ${within} of ` +
      `${zs.length}; refined median ${ms(median(zs.map((z) => z.refined)))} ms; CPU to first paint ` +
      `median ${ms(median(zs.map((z) => z.shownCpu)))} ms (local relayout ` +
      `${ms(median(zs.map((z) => z.relayoutCpu)))} ms)`,
  );
}
