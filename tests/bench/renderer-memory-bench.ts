/**
 * The renderer's memory with a big cache: `tsx tests/bench/renderer-memory-bench.ts --table-runs
 * 100000` (also run, at a small size, by `npm run bench`). Writes generated runs straight into
 * the cache (two sources, 70% / 30%), serves the BUILT app on it (`altar-viewer serve`) and
 * drives Debian's Chromium through the table: first rows, a fling to the bottom (frames with
 * placeholder rows and long frames, timed in the page; see fling()), a sort by
 * a config column and by a metric summary, a typed filter, select all. After each step the page
 * is garbage-collected and its JS heap, DOM counters and the renderer's resident memory are
 * read, next to the same page on an empty cache measured in the same run. Issue 6's goal is
 * renderer memory under 400 MB with 100k runs; timings are printed, never asserted.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { httpRoutes } from '../../shared/client-api';
import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { writeRunTableData } from '../support/run-table-data';
import { repoRoot, startServedApp } from '../support/serve-process';

export interface RendererMemoryBenchOptions {
  runs: number;
  /** Debian's Chromium unless ALTAR_CHROMIUM says otherwise (as the e2e tests). */
  chromiumPath?: string;
}

const GOAL_MB = 400;
const NOW = Date.UTC(2025, 0, 1);
const CONFIG_COLUMN = 'config.g1.p4';
const METRIC_COLUMN = 'metrics.metric_0.last';
const FILTER = 'config.g0.p1 > 0 and status = COMPLETED';
/** Frames of the fling from the top to the bottom of the table (the 1,001). */
const FLING_FRAMES = 1000;
/** Frames of the idle page measured as the fling's baseline: this machine's frame cadence. */
const IDLE_FRAMES = 120;
/** A frame this long is jank a user sees. */
export const LONG_FRAME_MS = 50;
/** The flags of tests/e2e/playwright.config.ts. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const MB = 1024 * 1024;

interface Sample {
  stage: string;
  heapUsed: number;
  heapTotal: number;
  nodes: number;
  listeners: number;
  /** VmRSS / RssAnon of the largest renderer process, null when /proc or CDP cannot tell. */
  rss: number | null;
  rssAnon: number | null;
}

interface PageRun {
  samples: Sample[];
  /** performance.now() in the page when the first row was in the DOM (from navigation start). */
  firstRowsInPage: number | null;
  /** From calling page.goto to seeing the first row, measured here. */
  firstRowsFromGoto: number;
  /** JS heap right after the fling and End, without forcing a collection. */
  scrollPeak: number | null;
  fling: Fling | null;
  /** API calls started before the first row showed, slowest first (where the wait went). */
  callsBeforeFirstRows: ApiCall[];
}

/** Frames seen in the page (requestAnimationFrame) during a fling and on the idle page. */
export interface Fling {
  frames: number;
  /** Frames that showed a placeholder row inside the table's visible box. */
  placeholderFrames: number;
  longFrames: number;
  p50: number;
  p95: number;
  maxMs: number;
  ms: number;
  /** From the fling's last frame until the rows at the bottom were all there. */
  settleMs: number;
  idleP50: number;
  idleLongFrames: number;
}

interface ApiCall {
  method: string;
  /** Start, from navigation start. */
  startMs: number;
  ms: number;
}

/** Why the benchmark cannot run here (no build, no browser), or null. */
export function rendererBenchUnavailable(chromiumPath = defaultChromium()): string | null {
  const needed = ['dist/cli.mjs', 'dist/renderer/index.html'];
  const missing = needed.filter((file) => !existsSync(path.join(repoRoot, file)));
  if (missing.length > 0) {
    return (
      `the renderer memory benchmark serves the BUILT app and ${missing.join(', ')} ` +
      `${missing.length > 1 ? 'are' : 'is'} missing: run \`npm run build\` first`
    );
  }
  if (!existsSync(chromiumPath)) {
    return `no Chromium at ${chromiumPath} (set ALTAR_CHROMIUM to a Chromium binary)`;
  }
  return null;
}

export function defaultChromium(): string {
  return process.env['ALTAR_CHROMIUM'] ?? '/usr/bin/chromium';
}

/** A warning when a source file is newer than the build: the page measured is older code. */
export function staleBuildWarning(): string | null {
  const built = statSync(path.join(repoRoot, 'dist/renderer/index.html')).mtimeMs;
  const newer: string[] = [];
  for (const dir of ['renderer/src', 'shared', 'main', 'preload']) {
    const root = path.join(repoRoot, dir);
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      const file = path.join(root, entry);
      if (/\.tsx?$/u.test(entry) && statSync(file).mtimeMs > built) {
        newer.push(path.relative(repoRoot, file));
      }
    }
  }
  if (newer.length === 0) return null;
  return (
    `warning: dist/ is older than ${newer.length} source file(s) (${newer.slice(0, 3).join(', ')}` +
    `${newer.length > 3 ? ', …' : ''}): run \`npm run build\` to measure the current code`
  );
}

function writeData(dataDir: string, runs: number): void {
  const store = CacheStore.open(cacheFilePath(dataDir));
  try {
    const first = Math.ceil(runs * 0.7);
    writeRunTableData(store, 'lab-a', { runs: first, seed: 11, nowMs: NOW });
    writeRunTableData(store, 'lab-b', { runs: runs - first, seed: 12, nowMs: NOW });
  } finally {
    store.close();
  }
}

function procStatusKb(pid: number, field: string): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'mu').exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

/**
 * Resident memory of the page's renderer. CDP lists the renderer processes but does not say
 * which one hosts the page; the browser runs one page here, so the largest one is it (a spare
 * renderer, if any, is a few MB).
 */
async function rendererRss(
  browserSession: CDPSession,
): Promise<{ rss: number; rssAnon: number | null } | null> {
  try {
    const info = (await browserSession.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[];
    };
    let best: { rss: number; rssAnon: number | null } | null = null;
    for (const proc of info.processInfo) {
      if (proc.type !== 'renderer') continue;
      const rss = procStatusKb(proc.id, 'VmRSS');
      if (rss !== null && (best === null || rss > best.rss)) {
        best = { rss, rssAnon: procStatusKb(proc.id, 'RssAnon') };
      }
    }
    return best;
  } catch {
    return null;
  }
}

async function jsHeap(session: CDPSession): Promise<{ used: number; total: number }> {
  const { metrics } = await session.send('Performance.getMetrics');
  const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { used: metric('JSHeapUsedSize'), total: metric('JSHeapTotalSize') };
}

async function measure(
  stage: string,
  session: CDPSession,
  browserSession: CDPSession,
): Promise<Sample> {
  // Twice: the first pass can leave garbage that only a second one frees (weak callbacks).
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  const heap = await jsHeap(session);
  const dom = await session.send('Memory.getDOMCounters');
  const rss = await rendererRss(browserSession);
  return {
    stage,
    heapUsed: heap.used,
    heapTotal: heap.total,
    nodes: dom.nodes,
    listeners: dom.jsEventListeners,
    rss: rss?.rss ?? null,
    rssAnon: rss?.rssAnon ?? null,
  };
}

/** The table has the query's rows: count shown, not stale, no placeholder row on screen. */
export async function settled(page: Page, countText: RegExp): Promise<void> {
  await page.waitForFunction(
    (source) => {
      const count = document.querySelector('[data-testid="run-count"]')?.textContent ?? '';
      const busy = document.querySelector('[data-testid="run-table"][aria-busy="true"]');
      return (
        new RegExp(source, 'u').test(count) &&
        !count.includes('…') &&
        busy === null &&
        document.querySelector('.run-row.placeholder') === null
      );
    },
    countText.source,
    { timeout: 120_000 },
  );
}

/**
 * A fling from the top to the bottom of the virtualized table as a user's wheel or touchpad
 * does it: the scroll position moves on every animation frame without waiting for rows, no
 * collection is forced. At the start of each frame the page notes how long the previous frame
 * took and whether it painted a placeholder row in the table's visible box. The baseline is the
 * same page idle for a few frames, measured just before: the frame cadence of this machine.
 */
export async function fling(
  page: Page,
  session: CDPSession,
  flingFrames = FLING_FRAMES,
): Promise<{ fling: Fling; peak: number }> {
  const table = page.getByTestId('run-table');
  // tsx (esbuild, keepNames) wraps the named helpers below in __name(), which the page lacks.
  await page.evaluate('globalThis.__name ??= (fn) => fn');
  const sampled = await table.evaluate(
    async (element, { frames, idleFrames }) => {
      const nextFrame = (): Promise<number> =>
        new Promise((resolve) => requestAnimationFrame(resolve));
      const idle: number[] = [];
      let last = await nextFrame();
      for (let f = 0; f < idleFrames; f++) {
        const now = await nextFrame();
        idle.push(now - last);
        last = now;
      }
      const box = element.getBoundingClientRect();
      const placeholderShown = (): boolean => {
        for (const row of element.querySelectorAll('.run-row.placeholder')) {
          const rect = row.getBoundingClientRect();
          if (rect.bottom > box.top && rect.top < box.bottom) return true;
        }
        return false;
      };
      const height = element.scrollHeight - element.clientHeight;
      const durations: number[] = [];
      let placeholders = 0;
      const started = performance.now();
      last = await nextFrame();
      for (let f = 1; f <= frames; f++) {
        element.scrollTop = Math.round((height * f) / frames);
        const now = await nextFrame();
        durations.push(now - last);
        last = now;
        if (placeholderShown()) placeholders++;
      }
      const flung = performance.now();
      const deadline = flung + 60_000;
      while (placeholderShown()) {
        if (performance.now() > deadline) throw new Error('the rows at the bottom never arrived');
        await nextFrame();
      }
      return {
        idle,
        durations,
        placeholders,
        ms: flung - started,
        settleMs: performance.now() - flung,
      };
    },
    { frames: flingFrames, idleFrames: IDLE_FRAMES },
  );
  let peak = (await jsHeap(session)).used;
  // The keyboard's way to the end too: End on the grid focuses the last row.
  await table.focus();
  await page.keyboard.press('End');
  peak = Math.max(peak, (await jsHeap(session)).used);
  const pick = (samples: number[], p: number): number => {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  };
  const long = (samples: number[]) => samples.filter((ms) => ms > LONG_FRAME_MS).length;
  return {
    peak,
    fling: {
      frames: sampled.durations.length,
      placeholderFrames: sampled.placeholders,
      longFrames: long(sampled.durations),
      p50: pick(sampled.durations, 50),
      p95: pick(sampled.durations, 95),
      maxMs: Math.max(...sampled.durations),
      ms: sampled.ms,
      settleMs: sampled.settleMs,
      idleP50: pick(sampled.idle, 50),
      idleLongFrames: long(sampled.idle),
    },
  };
}

async function addAndSort(page: Page, column: string): Promise<void> {
  await page.getByTestId('column-picker-button').click();
  await page.getByTestId('column-picker-search').fill(column);
  await page.locator(`[data-testid="column-option"][data-column="${column}"]`).first().click();
  await page.keyboard.press('Escape');
  const header = page.locator(`[data-testid="column-header"][data-column="${column}"]`);
  await header.getByTestId('column-sort').click();
  await page.waitForFunction(
    (id) =>
      document
        .querySelector(`[data-testid="column-header"][data-column="${id}"]`)
        ?.getAttribute('aria-sort') === 'ascending',
    column,
  );
}

async function measurePage(browser: Browser, url: string, runs: number): Promise<PageRun> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    const session = await context.newCDPSession(page);
    const browserSession = await browser.newBrowserCDPSession();
    await session.send('Performance.enable');
    const samples: Sample[] = [];
    const all = new RegExp(`^${runs} runs`, 'u');

    const calls: { method: string; epochMs: number; ms: number }[] = [];
    page.on('requestfinished', (request) => {
      const { pathname } = new URL(request.url());
      if (!pathname.startsWith(httpRoutes.api)) return;
      const timing = request.timing();
      calls.push({
        method: pathname.slice(httpRoutes.api.length),
        epochMs: timing.startTime,
        ms: timing.responseEnd,
      });
    });

    const started = performance.now();
    await page.goto(url);
    let firstRowsInPage: number | null = null;
    if (runs > 0) {
      const shown = await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="run-row"]') === null ? null : performance.now(),
        undefined,
        { timeout: 120_000 },
      );
      firstRowsInPage = (await shown.jsonValue()) ?? null;
    }
    const firstRowsFromGoto = performance.now() - started;
    await settled(page, all);
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);
    const callsBeforeFirstRows = calls
      .map((call) => ({ method: call.method, startMs: call.epochMs - timeOrigin, ms: call.ms }))
      .filter((call) => firstRowsInPage !== null && call.startMs < firstRowsInPage)
      .sort((a, b) => b.ms - a.ms);
    samples.push(await measure(runs > 0 ? 'first rows' : 'empty table', session, browserSession));
    if (runs === 0) {
      await browserSession.detach();
      return {
        samples,
        firstRowsInPage,
        firstRowsFromGoto,
        callsBeforeFirstRows,
        scrollPeak: null,
        fling: null,
      };
    }

    const scroll = await fling(page, session);
    samples.push(await measure('after the fling', session, browserSession));

    await addAndSort(page, CONFIG_COLUMN);
    await settled(page, all);
    samples.push(await measure(`after sort by ${CONFIG_COLUMN}`, session, browserSession));

    await addAndSort(page, METRIC_COLUMN);
    await settled(page, all);
    samples.push(await measure(`after sort by ${METRIC_COLUMN}`, session, browserSession));

    await page.getByTestId('filter-input').click();
    await page.keyboard.type(FILTER, { delay: 15 });
    await page.keyboard.press('Enter');
    await settled(page, new RegExp(`^\\d+ of ${runs} runs`, 'u'));
    samples.push(await measure('after typing a filter', session, browserSession));

    await page.getByTestId('run-table').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.waitForFunction(() =>
      /selected/u.test(document.querySelector('[data-testid="run-count"]')?.textContent ?? ''),
    );
    samples.push(await measure('after select all', session, browserSession));
    await browserSession.detach();
    return {
      samples,
      firstRowsInPage,
      firstRowsFromGoto,
      callsBeforeFirstRows,
      scrollPeak: scroll.peak,
      fling: scroll.fling,
    };
  } finally {
    await context.close();
  }
}

/** One data dir served and measured in a browser of its own, so renderers never mix. */
async function servedAndMeasured(
  dataDir: string,
  runs: number,
  chromiumPath: string,
): Promise<PageRun> {
  const app = await startServedApp({ dataDir });
  try {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    try {
      return await measurePage(browser, app.url, runs);
    } finally {
      await browser.close();
    }
  } finally {
    await app.stop();
  }
}

const mb = (bytes: number | null): string =>
  bytes === null || Number.isNaN(bytes) ? 'n/a' : `${(bytes / MB).toFixed(0)} MB`;

export async function runRendererMemoryBench(
  options: RendererMemoryBenchOptions,
): Promise<string[]> {
  const chromiumPath = options.chromiumPath ?? defaultChromium();
  const unavailable = rendererBenchUnavailable(chromiumPath);
  if (unavailable !== null) return [`renderer memory: skipped, ${unavailable}`];
  const lines: string[] = [];
  const stale = staleBuildWarning();
  if (stale !== null) lines.push(`renderer memory: ${stale}`);
  const work = mkdtempSync(path.join(tmpdir(), 'altar-renderer-bench-'));
  try {
    const fullDir = path.join(work, 'full');
    const emptyDir = path.join(work, 'empty');
    const writing = performance.now();
    writeData(fullDir, options.runs);
    writeData(emptyDir, 0);
    lines.push(
      `renderer memory: ${options.runs} runs in 2 sources written in ` +
        `${((performance.now() - writing) / 1000).toFixed(1)} s; Chromium ${chromiumPath}`,
    );

    const empty = await servedAndMeasured(emptyDir, 0, chromiumPath);
    const full = await servedAndMeasured(fullDir, options.runs, chromiumPath);
    const base = empty.samples[0];
    if (base === undefined) throw new Error('no sample of the empty page');

    const n = options.runs;
    const heapMax = Math.max(...full.samples.map((s) => s.heapUsed));
    const rssValues = full.samples.flatMap((s) => (s.rss === null ? [] : [s.rss]));
    const rssMax = rssValues.length > 0 ? Math.max(...rssValues) : null;
    lines.push(
      `renderer JS heap at ${n} runs: ` +
        full.samples.map((s) => `${s.stage} ${mb(s.heapUsed)}`).join(', ') +
        `; empty cache ${mb(base.heapUsed)}; ratio ${(heapMax / base.heapUsed).toFixed(2)} ` +
        `(largest / empty)`,
    );
    lines.push(
      `renderer JS heap total (reserved) at ${n} runs: ` +
        full.samples.map((s) => `${s.stage} ${mb(s.heapTotal)}`).join(', ') +
        `; empty cache ${mb(base.heapTotal)}`,
    );
    lines.push(
      `renderer RSS at ${n} runs: ` +
        full.samples.map((s) => `${s.stage} ${mb(s.rss)} (anon ${mb(s.rssAnon)})`).join(', ') +
        `; empty cache ${mb(base.rss)} (anon ${mb(base.rssAnon)})` +
        (rssMax !== null && base.rss !== null ? `; ratio ${(rssMax / base.rss).toFixed(2)}` : ''),
    );
    lines.push(
      `DOM at ${n} runs: ` +
        full.samples
          .map((s) => `${s.stage} ${s.nodes} nodes / ${s.listeners} listeners`)
          .join(', ') +
        `; empty cache ${base.nodes} nodes / ${base.listeners} listeners`,
    );
    const f = full.fling;
    if (f !== null) {
      const pct = (part: number) => `${((100 * part) / f.frames).toFixed(0)}%`;
      lines.push(
        `fling to the bottom of ${n} rows (${f.frames} frames, no waiting, no forced GC, ` +
          `${(f.ms / 1000).toFixed(1)} s): ${f.placeholderFrames} frames (${pct(f.placeholderFrames)}) ` +
          `showed placeholder rows (goal ≤ 10%), ${f.longFrames} frames > ${LONG_FRAME_MS} ms ` +
          `(goal none); frame p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ` +
          `${f.maxMs.toFixed(0)} ms; baseline the idle page: frame p50 ${f.idleP50.toFixed(1)} ms, ` +
          `${f.idleLongFrames} of ${IDLE_FRAMES} frames > ${LONG_FRAME_MS} ms; p95 / idle p50 ` +
          `${(f.p95 / f.idleP50).toFixed(2)}; rows at the bottom ${f.settleMs.toFixed(0)} ms ` +
          `after the last frame; JS heap after it ${mb(full.scrollPeak)}`,
      );
    }
    lines.push(
      `first rows at ${n} runs: ${full.firstRowsInPage === null ? 'n/a' : full.firstRowsInPage.toFixed(0)} ms ` +
        `after navigation start in the page, ${full.firstRowsFromGoto.toFixed(0)} ms from page.goto ` +
        `(empty cache: table shown ${empty.firstRowsFromGoto.toFixed(0)} ms from page.goto)`,
    );
    const slowest = full.callsBeforeFirstRows.slice(0, 4);
    lines.push(
      `API calls before the first rows at ${n} runs: ${full.callsBeforeFirstRows.length}; slowest ` +
        (slowest.length === 0
          ? 'none'
          : slowest
              .map((c) => `${c.method} ${c.ms.toFixed(0)} ms (from ${c.startMs.toFixed(0)} ms)`)
              .join(', ')),
    );
    const verdict = (value: number | null): string =>
      value === null ? 'n/a' : value < GOAL_MB * MB ? 'met' : 'NOT met';
    lines.push(
      `goal renderer memory < ${GOAL_MB} MB with ${n} runs` +
        `${n < 100_000 ? ' (the goal is stated for 100000 runs)' : ''}: largest JS heap ` +
        `${mb(heapMax)} ${verdict(heapMax)}; largest renderer RSS ${mb(rssMax)} ${verdict(rssMax)}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { 'table-runs': { type: 'string', default: '2000' } },
  });
  const unavailable = rendererBenchUnavailable();
  if (unavailable !== null) {
    console.error(`renderer memory benchmark: ${unavailable}`);
    process.exit(1);
  }
  for (const line of await runRendererMemoryBench({ runs: Number(values['table-runs']) })) {
    console.log(line);
  }
}
