/**
 * Where a fling's long frames go in the window (issue 13):
 * `npx tsx tests/bench/ui-fling-profile.ts --table-dir DIR --out OUT [--runs N] [--frames F]`,
 * on a table data dir written by `npm run bench:ui -- --data-dir D` (D/t…/table; copied, never
 * changed). Serves the built app on a copy of it, opens the table cold in Chromium with the
 * bench's columns (the default view, as bench:ui's table session flings it) and flings to the
 * bottom as bench:ui does (renderer-memory-bench.ts fling()), under a Chromium trace
 * (OUT/fling.trace.json), the page's CPU profile and the serve process's (profiled-step.ts).
 * Then prints, per frame longer than --long-ms, the main thread's CPU by phase (script, style,
 * layout, paint, composite, GC), the script's sampled time by code (React, the app's components,
 * the virtualizer, fetch handling) and the raster and compositor threads' time (frame-breakdown.ts).
 * Build with `npx vite build --config renderer/vite.config.ts --sourcemap hidden` (then
 * `node build/build-main.mjs`) for the split by code; without source maps it is all "app".
 * Nothing is asserted.
 */
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../support/serve-process';
import { describeFrames, longFrames } from './frame-breakdown';
import { startProfiledApp } from './profiled-step';
import type { CpuProfile } from './profile-summaries';
import { LONG_FRAME_MS, defaultChromium, fling, settled } from './renderer-memory-bench';
import { coldPage, launchBrowser } from './ui-bench-page';

const { values } = parseArgs({
  options: {
    'table-dir': { type: 'string' },
    out: { type: 'string', default: 'fling-profile' },
    runs: { type: 'string', default: '100000' },
    frames: { type: 'string', default: '1000' },
    'long-ms': { type: 'string', default: String(LONG_FRAME_MS) },
    /** Only summarize OUT's trace and profile of an earlier run again. */
    reuse: { type: 'boolean', default: false },
  },
});
if (values['table-dir'] === undefined && !values.reuse) {
  console.error('usage: ui-fling-profile.ts --table-dir DIR [--out OUT] [--runs N] [--frames F]');
  process.exit(2);
}
const out = path.resolve(values.out);
const runs = Number(values.runs);

/** Per long frame of OUT's fling trace, where its time went. */
function breakdown(): void {
  const profile = JSON.parse(
    readFileSync(path.join(out, 'fling.page.cpuprofile'), 'utf8'),
  ) as CpuProfile & { startTime: number };
  const { frames, long } = longFrames(
    path.join(out, 'fling.trace.json'),
    profile,
    path.join(repoRoot, 'dist/renderer/assets'),
    Number(values['long-ms']),
  );
  console.log('\nlong frames (ms, thread time; "+t" from the page CPU profile start):');
  for (const line of describeFrames(frames, long, profile.startTime)) console.log(line);
}

if (values.reuse) {
  breakdown();
  process.exit(0);
}
mkdirSync(out, { recursive: true });
const dataDir = path.join(out, 'data');
rmSync(dataDir, { recursive: true, force: true });
cpSync(path.resolve(values['table-dir'] ?? ''), dataDir, { recursive: true });

const browser = await launchBrowser(defaultChromium());
const { app, profiled } = await startProfiledApp(dataDir, out);
try {
  const { context, page } = await coldPage(browser);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(app.url, { timeout: 600_000 });
  await settled(page, new RegExp(`^${runs} runs`, 'u'));
  await profiled(browser, page, cdp, 'fling', async () => {
    const { fling: f } = await fling(page, cdp, Number(values.frames));
    return (
      `${((100 * f.placeholderFrames) / f.frames).toFixed(1)}% of ${f.frames} frames show ` +
      `placeholder rows, ${f.longFrames} > ${LONG_FRAME_MS} ms; frame p50 ${f.p50.toFixed(1)} ms, ` +
      `p95 ${f.p95.toFixed(1)} ms, max ${f.maxMs.toFixed(0)} ms over ${(f.ms / 1000).toFixed(1)} s; ` +
      `idle frame p50 ${f.idleP50.toFixed(1)} ms; rows at the bottom ${f.settleMs.toFixed(0)} ms ` +
      `after the last frame`
    );
  });
  await context.close();
} finally {
  await app.stop();
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
breakdown();
