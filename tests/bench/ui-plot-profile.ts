/**
 * Where a plot's time goes in the window (issue 13, the rows "20 runs × 1M: click Plot →
 * drawn" and "zoom on 20 runs × 1M, refined"):
 * `npx tsx tests/bench/ui-plot-profile.ts --plot-dir DIR --out OUT [--runs N]`, on a plot data
 * dir written by `npm run bench:ui -- --data-dir D` (D/t…/plot; copied, never changed). Serves
 * the built app on the copy, plots one run first (plotly loaded, as in the bench), then selects
 * every run and, around the click on Plot and around a drag zoom on that plot, takes a Chromium
 * performance trace (OUT/<step>.trace.json), the page's CPU profile (OUT/<step>.page.cpuprofile)
 * and the serve process's (OUT/<step>.serve.cpuprofile; tests/bench/serve-cpu-profiler.mjs), then
 * prints the API calls made (sent, first byte, done, size), the renderer main thread's CPU by
 * trace event and both profiles' hottest functions. Nothing is asserted.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import { startProfiledApp } from './profiled-step';
import { defaultChromium } from './renderer-memory-bench';
import { PLOT, dragZoom, selectAllRuns } from './ui-bench-plot-session';
import { coldPage, launchBrowser, timedClick } from './ui-bench-page';

const { values } = parseArgs({
  options: {
    'plot-dir': { type: 'string' },
    out: { type: 'string', default: 'plot-profile' },
    runs: { type: 'string', default: '20' },
    'think-ms': { type: 'string', default: '1500' },
  },
});
if (values['plot-dir'] === undefined) {
  console.error('usage: ui-plot-profile.ts --plot-dir DIR [--out OUT] [--runs N]');
  process.exit(2);
}
const out = path.resolve(values.out);
const runs = Number(values.runs);
const thinkMs = Number(values['think-ms']);
mkdirSync(out, { recursive: true });

async function session(browser: Browser, dataDir: string): Promise<void> {
  const { app, profiled } = await startProfiledApp(dataDir, out);
  const { context, page } = await coldPage(browser);
  try {
    const cdp = await context.newCDPSession(page);
    await page.goto(app.url, { timeout: 600_000 });
    const rows = page.locator('[data-testid="run-row"]');
    await rows.first().waitFor({ timeout: 600_000 });
    await page.waitForTimeout(thinkMs);
    // One run plotted first: plotly is loaded and warm, as in bench:ui's session.
    await rows.first().click({ modifiers: ['Control'] });
    await page.locator('[data-testid="plot-selected"]:not([disabled])').click();
    await page.locator(`${PLOT}.drawn .scatterlayer .trace`).first().waitFor({ timeout: 600_000 });
    await selectAllRuns(page, runs);
    await page.waitForTimeout(thinkMs);
    await profiled(
      browser,
      page,
      cdp,
      'plot-all',
      async () => {
        const ms = await timedClick(page, '[data-testid="plot-selected"]', {
          kind: 'selector',
          selector: `${PLOT}.drawn .scatterlayer .trace:nth-child(${runs})`,
        });
        return `click Plot → ${runs} traces drawn ${ms.toFixed(0)} ms`;
      },
      25,
    );
    const points = await page.getByTestId('plot-frame').getAttribute('data-points-shown');
    console.log(`points drawn: ${points}`);
    await page.waitForTimeout(thinkMs);
    await profiled(
      browser,
      page,
      cdp,
      'zoom-all',
      async () => {
        const zoom = await dragZoom(page, [0.45, 0.5], [0.55, 0.5], 'xaxis', true);
        return `mouse-up → shown ${zoom.shownMs.toFixed(0)} ms, refined ${zoom.refinedMs.toFixed(0)} ms`;
      },
      25,
    );
    await cdp.detach();
  } finally {
    await context.close();
    await app.stop();
  }
}

const dataDir = path.join(out, 'data');
rmSync(dataDir, { recursive: true, force: true });
cpSync(path.resolve(values['plot-dir']), dataDir, { recursive: true });
const browser = await launchBrowser(defaultChromium());
try {
  await session(browser, dataDir);
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
