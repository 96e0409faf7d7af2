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
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { startServedApp } from '../support/serve-process';
import type { ServedApp } from '../support/serve-process';
import { apiCallsSince, hottest, mainThreadSelfTimes, waitForFile } from './profile-summaries';
import type { CpuProfile } from './profile-summaries';
import { defaultChromium } from './renderer-memory-bench';
import { PLOT, dragZoom } from './ui-bench-plot-session';
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

let serveProfiles = 0;

/** Runs `act` under the three profiles named `step`, then prints what they show. */
async function profiled(
  browser: Browser,
  app: ServedApp,
  page: Page,
  session: CDPSession,
  step: string,
  act: () => Promise<string>,
): Promise<void> {
  const base = path.join(out, step);
  serveProfiles += 1;
  app.process.kill('SIGUSR2');
  await waitForFile(path.join(out, `serve-${serveProfiles}.started`));
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 250 });
  await session.send('Profiler.start');
  await browser.startTracing(page, { path: `${base}.trace.json`, screenshots: false });
  await page.evaluate(() => performance.setResourceTimingBufferSize(10_000));
  const since = await page.evaluate(() => performance.now());
  const outcome = await act();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  await browser.stopTracing();
  const { profile } = await session.send('Profiler.stop');
  writeFileSync(`${base}.page.cpuprofile`, JSON.stringify(profile));
  app.process.kill('SIGUSR2');
  const serveFile = path.join(out, `serve-${serveProfiles}.cpuprofile`);
  await waitForFile(serveFile);
  const serveProfile = JSON.parse(readFileSync(serveFile, 'utf8')) as CpuProfile;
  writeFileSync(`${base}.serve.cpuprofile`, JSON.stringify(serveProfile));
  rmSync(serveFile);
  rmSync(path.join(out, `serve-${serveProfiles}.started`));
  console.log(`\n${step}: ${outcome}`);
  console.log('API calls:');
  for (const line of await apiCallsSince(page, since)) console.log(line);
  console.log('renderer main thread, CPU self time by trace event:');
  for (const line of mainThreadSelfTimes(`${base}.trace.json`)) console.log(line);
  console.log('page CPU profile, self time:');
  for (const line of hottest(profile as CpuProfile, 25)) console.log(line);
  console.log('serve CPU profile, self time:');
  for (const line of hottest(serveProfile)) console.log(line);
}

async function session(browser: Browser, dataDir: string): Promise<void> {
  const app = await startServedApp({
    dataDir,
    keepDataDir: true,
    env: {
      NODE_OPTIONS: `--import ${pathToFileURL(path.join(import.meta.dirname, 'serve-cpu-profiler.mjs')).href}`,
      ALTAR_CPU_PROFILE_DIR: out,
    },
  });
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
    await page.getByRole('button', { name: '← Runs' }).click();
    await rows.first().waitFor();
    await page.getByTestId('run-table').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page
      .getByText(new RegExp(`${runs} selected`, 'u'))
      .first()
      .waitFor();
    await page.waitForTimeout(thinkMs);
    await profiled(browser, app, page, cdp, 'plot-all', async () => {
      const ms = await timedClick(page, '[data-testid="plot-selected"]', {
        kind: 'selector',
        selector: `${PLOT}.drawn .scatterlayer .trace:nth-child(${runs})`,
      });
      return `click Plot → ${runs} traces drawn ${ms.toFixed(0)} ms`;
    });
    const points = await page.getByTestId('plot-frame').getAttribute('data-points-shown');
    console.log(`points drawn: ${points}`);
    await page.waitForTimeout(thinkMs);
    await profiled(browser, app, page, cdp, 'zoom-all', async () => {
      const zoom = await dragZoom(page, [0.45, 0.5], [0.55, 0.5], 'xaxis', true);
      return `mouse-up → shown ${zoom.shownMs.toFixed(0)} ms, refined ${zoom.refinedMs.toFixed(0)} ms`;
    });
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
