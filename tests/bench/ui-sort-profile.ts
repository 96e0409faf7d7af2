/**
 * Where a first sort's time goes in the window (issue 13):
 * `npx tsx tests/bench/ui-sort-profile.ts --table-dir DIR --out OUT [--runs N]`, on a table
 * data dir written by `npm run bench:ui -- --data-dir D` (D/t…/table; copied, never changed).
 * Serves the built app on a copy of it, opens the table cold in Chromium, adds a config column
 * and a metric column as the bench does, and around each first sort click takes a Chromium
 * performance trace (OUT/<column>.trace.json, chrome://tracing or DevTools), the page's CPU
 * profile (OUT/<column>.page.cpuprofile) and the serve process's CPU profile
 * (OUT/<column>.serve.cpuprofile; tests/bench/serve-cpu-profiler.mjs), then prints where the
 * click's milliseconds went: the API calls it made (from the click: sent, first byte, last
 * byte, size), the renderer main thread's busiest trace events and both profiles' hottest
 * functions. With `--restart`, the sorts are profiled again after the app restarts on the
 * same data (what a kept sort key saves on the next start). Nothing is asserted.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import { startProfiledApp } from './profiled-step';
import { defaultChromium, settled } from './renderer-memory-bench';
import {
  addColumn,
  CONFIG_COLUMN,
  METRIC_COLUMN,
  openCatalogOnce,
  timeSort,
} from './ui-bench-table-session';
import { coldPage, launchBrowser } from './ui-bench-page';

const { values } = parseArgs({
  options: {
    'table-dir': { type: 'string' },
    out: { type: 'string', default: 'sort-profile' },
    runs: { type: 'string', default: '100000' },
    'think-ms': { type: 'string', default: '1500' },
    restart: { type: 'boolean', default: false },
  },
});
if (values['table-dir'] === undefined) {
  console.error('usage: ui-sort-profile.ts --table-dir DIR [--out OUT] [--runs N] [--restart]');
  process.exit(2);
}
const out = path.resolve(values.out);
const runs = Number(values.runs);
const thinkMs = Number(values['think-ms']);
mkdirSync(out, { recursive: true });

async function session(browser: Browser, dataDir: string, label: string): Promise<void> {
  const { app, profiled } = await startProfiledApp(dataDir, out);
  const { context, page } = await coldPage(browser);
  try {
    const cdp = await context.newCDPSession(page);
    const goto = performance.now();
    await page.goto(app.url, { timeout: 600_000 });
    await settled(page, new RegExp(`^${runs} runs`, 'u'));
    console.log(
      `${label}: first rows settled ${(performance.now() - goto).toFixed(0)} ms after goto`,
    );
    // The picker's first open builds the catalog; opened and closed first, as in the bench.
    await openCatalogOnce(page);
    for (const column of [CONFIG_COLUMN, METRIC_COLUMN]) {
      await addColumn(page, column, thinkMs);
      await profiled(browser, page, cdp, `${label}-${column}`, async () => {
        const sorted = await timeSort(page, column);
        return (
          `sort by ${column}: click → rows ${sorted.ms.toFixed(0)} ms ` +
          `(server's query ${sorted.serverMs.toFixed(1)} ms)`
        );
      });
    }
    await cdp.detach();
  } finally {
    await context.close();
    await app.stop();
  }
}

const dataDir = path.join(out, 'data');
rmSync(dataDir, { recursive: true, force: true });
cpSync(path.resolve(values['table-dir']), dataDir, { recursive: true });
const browser = await launchBrowser(defaultChromium());
try {
  await session(browser, dataDir, 'first start');
  if (values.restart) await session(browser, dataDir, 'after a restart');
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
