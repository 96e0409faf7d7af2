/**
 * A first sort's timeline in the window without a profiler's weight (issue 13):
 * `npx tsx tests/bench/ui-sort-timeline.ts --table-dir DIR [--restarts N] [--runs N]
 * [--cli OTHER/cli.mjs] [--serve-profile]`, on a table data dir written by `npm run bench:ui --
 * --data-dir D` (D/t…/table; copied, never changed). `--cli` serves another build (a
 * before/after pair); `--serve-profile` adds the serve process's busy stretches (a CPU
 * profile) from a column's adding to its sort's rows. The bench's steps
 * (tests/bench/ui-bench-table-session.ts): one cold session on the copy (first rows, the
 * picker's first open, a config column and a metric column added and sorted), then
 * `--restarts` restarts on the same cache as `runRestartSorts` does them. For every sort it
 * prints, from the click, the API calls (sent, first byte, done), the page's long animation
 * frames (> 50 ms, with the scripts that ran in them), the idle callbacks run between the click
 * and the rows (plotly's preload steps) and when the sorted rows were shown.
 * The profile scripts (ui-sort-profile.ts) sample the CPU every 250 µs, which changes what
 * they measure; this reads only what the browser records anyway.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from '@playwright/test';
import { startServedApp } from '../support/serve-process';
import type { ServedApp } from '../support/serve-process';
import { waitForFile } from './profile-summaries';
import type { CpuProfile } from './profile-summaries';
import { defaultChromium, settled } from './renderer-memory-bench';
import {
  addColumn,
  CONFIG_COLUMN,
  METRIC_COLUMN,
  openCatalogOnce,
  timeSort,
} from './ui-bench-table-session';
import { coldPage, launchBrowser } from './ui-bench-page';
import { pristineCopy } from './clean-close-stamp';

const { values } = parseArgs({
  options: {
    'table-dir': { type: 'string' },
    runs: { type: 'string', default: '100000' },
    restarts: { type: 'string', default: '3' },
    'think-ms': { type: 'string', default: '1500' },
    /** Also profiles the serve process from the config column's adding to its sort's rows. */
    'serve-profile': { type: 'boolean', default: false },
    /** Another build's CLI (its dist/renderer beside it), for a before/after pair. */
    cli: { type: 'string' },
    work: { type: 'string', default: '/tmp/ui-sort-timeline' },
  },
});
if (values['table-dir'] === undefined) {
  console.error(
    'usage: ui-sort-timeline.ts --table-dir DIR [--restarts N] [--runs N] [--cli CLI] [--serve-profile]',
  );
  process.exit(2);
}
const runs = Number(values.runs);
const thinkMs = Number(values['think-ms']);

interface Timeline {
  clickAt: number;
  /** The page's idle callbacks (plotly's preload steps), start and end. */
  idle: { start: number; end: number }[];
  calls: { name: string; body: string; start: number; firstByte: number; end: number }[];
  frames: { start: number; duration: number; blocking: number; scripts: string[] }[];
}

/** The click → rows of every sort, by session label and column, for the summary line. */
const results: { label: string; ms: number; serverMs: number }[] = [];
/** Idle callbacks run between each sort's click and its rows (same order as results). */
const idleInWindow: { count: number; ms: number }[] = [];

/** Starts recording in the page: the next click's time, API calls, long animation frames. */
async function startTimeline(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = {
      clickAt: NaN,
      frames: [] as Timeline['frames'],
      observer: null as PerformanceObserver | null,
    };
    (globalThis as unknown as { __timeline: typeof state }).__timeline = state;
    document.addEventListener(
      'click',
      () => {
        if (Number.isNaN(state.clickAt)) state.clickAt = performance.now();
      },
      { capture: true },
    );
    performance.setResourceTimingBufferSize(10_000);
    performance.clearResourceTimings();
    state.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const frame = entry as PerformanceEntry & {
          blockingDuration: number;
          scripts: {
            invoker: string;
            invokerType: string;
            sourceURL: string;
            sourceFunctionName: string;
            duration: number;
            forcedStyleAndLayoutDuration: number;
          }[];
        };
        state.frames.push({
          start: frame.startTime,
          duration: frame.duration,
          blocking: frame.blockingDuration,
          scripts: frame.scripts.map(
            (script) =>
              `${script.invokerType} ${script.invoker} ${script.sourceFunctionName}@` +
              `${script.sourceURL.split('/').pop() ?? ''} ${script.duration.toFixed(0)} ms` +
              (script.forcedStyleAndLayoutDuration > 0
                ? ` (forced layout ${script.forcedStyleAndLayoutDuration.toFixed(0)})`
                : ''),
          ),
        });
      }
    });
    state.observer.observe({ type: 'long-animation-frame', buffered: false });
  });
}

async function readTimeline(page: Page): Promise<Timeline> {
  return page.evaluate(async () => {
    // The last frame's entry is delivered after it ends.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const state = (
      globalThis as unknown as {
        __timeline: { clickAt: number; frames: Timeline['frames']; observer: PerformanceObserver };
      }
    ).__timeline;
    for (const entry of state.observer.takeRecords()) void entry;
    state.observer.disconnect();
    const calls = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.includes('/api/'))
      .map((entry) => {
        const timing = entry as PerformanceResourceTiming;
        return {
          name: new URL(timing.name).pathname,
          body: '',
          start: timing.startTime,
          firstByte: timing.responseStart,
          end: timing.responseEnd,
        };
      });
    const bodies = (globalThis as unknown as { __calls: { body: string; start: number }[] })
      .__calls;
    for (const call of calls) {
      const match = bodies.find((body) => Math.abs(body.start - call.start) < 3);
      if (match !== undefined) call.body = match.body;
    }
    const idle = (globalThis as unknown as { __idle: { start: number; end: number }[] }).__idle;
    return { clickAt: state.clickAt, calls, frames: state.frames, idle };
  });
}

function printTimeline(label: string, sorted: { ms: number; serverMs: number }, t: Timeline) {
  const at = (ms: number): string => `${(ms - t.clickAt).toFixed(1).padStart(8)} ms`;
  console.log(
    `\n${label}: click → rows ${sorted.ms.toFixed(0)} ms (server's query ${sorted.serverMs.toFixed(1)} ms)`,
  );
  for (const call of t.calls) {
    console.log(
      `  ${at(call.start)}  ${call.name} sent; first byte ${at(call.firstByte)}; done ${at(call.end)}\n               ${call.body}`,
    );
  }
  for (const frame of t.frames) {
    if (frame.start + frame.duration < t.clickAt - 200) continue;
    console.log(
      `  ${at(frame.start)}  long frame ${frame.duration.toFixed(0)} ms (blocking ${frame.blocking.toFixed(0)})`,
    );
    for (const script of frame.scripts) console.log(`               ${script}`);
  }
  const shownAt = t.clickAt + sorted.ms;
  const inWindow = t.idle.filter((run) => run.end > t.clickAt && run.start < shownAt);
  const idleMs = inWindow.reduce(
    (sum, run) => sum + Math.min(run.end, shownAt) - Math.max(run.start, t.clickAt),
    0,
  );
  console.log(
    `  idle callbacks between the click and the rows: ${inWindow.length}, ${idleMs.toFixed(1)} ms`,
  );
  idleInWindow.push({ count: inWindow.length, ms: idleMs });
  console.log(`  ${at(shownAt)}  sorted rows shown`);
}

/** The serve process's busy stretches (> 30 ms of CPU samples with no idle gap > 5 ms). */
function busyStretches(profile: CpuProfile, clickAt: number): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const idle = (id: number): boolean => {
    const name = byId.get(id)?.callFrame.functionName;
    return name === '(idle)' || name === '(program)';
  };
  const lines: string[] = [];
  let t = 0;
  let stretch: { start: number; end: number; ids: number[] } | null = null;
  const flush = (): void => {
    if (stretch === null || stretch.end - stretch.start < 30) return;
    const inclusive = new Map<string, number>();
    for (const id of stretch.ids) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)?.callFrame;
        if (frame === undefined || frame.functionName === '' || frame.functionName === '(root)')
          continue;
        seen.add(frame.functionName);
      }
      for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
    }
    const top = [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([name, n]) => `${name} ${Math.round((100 * n) / stretch!.ids.length)}%`);
    lines.push(
      `  serve busy ${(stretch.start - clickAt).toFixed(0).padStart(7)} → ` +
        `${(stretch.end - clickAt).toFixed(0)} ms from the click: ${top.join(', ')}`,
    );
  };
  profile.samples.forEach((id, i) => {
    t += (profile.timeDeltas[i] ?? 0) / 1000;
    if (idle(id)) {
      if (stretch !== null && t - stretch.end > 5) {
        flush();
        stretch = null;
      }
      return;
    }
    if (stretch === null) stretch = { start: t, end: t, ids: [] };
    stretch.end = t;
    stretch.ids.push(id);
  });
  flush();
  return lines;
}

async function sortWithTimeline(
  page: Page,
  column: string,
  label: string,
  serve: ServeProfiler | null,
): Promise<void> {
  const profiling = serve === null ? null : await serve.start();
  await addColumn(page, column, thinkMs);
  await startTimeline(page);
  const clickedAt = performance.now();
  const sorted = await timeSort(page, column);
  printTimeline(label, sorted, await readTimeline(page));
  results.push({ label, ...sorted });
  if (serve !== null && profiling !== null) {
    const profile = await serve.stop();
    // The profile's clock starts when its start was signalled (near enough, on this scale).
    for (const line of busyStretches(profile, clickedAt - profiling)) console.log(line);
  }
}

interface ServeProfiler {
  /** Starts profiling; resolves with when (this process's clock). */
  start(): Promise<number>;
  stop(): Promise<CpuProfile>;
}

function serveProfiler(app: ServedApp, dir: string): ServeProfiler {
  let count = 0;
  return {
    async start() {
      count += 1;
      app.process.kill('SIGUSR2');
      await waitForFile(path.join(dir, `serve-${count}.started`));
      return performance.now();
    },
    async stop() {
      app.process.kill('SIGUSR2');
      const file = path.join(dir, `serve-${count}.cpuprofile`);
      await waitForFile(file);
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      return profile;
    },
  };
}

async function session(browser: Browser, dataDir: string, label: string): Promise<void> {
  const profileDir = path.resolve(values.work, 'profiles');
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  const profilerUrl = pathToFileURL(path.join(import.meta.dirname, 'serve-cpu-profiler.mjs')).href;
  const app = await startServedApp({
    dataDir,
    keepDataDir: true,
    ...(values.cli === undefined ? {} : { cli: path.resolve(values.cli) }),
    ...(values['serve-profile']
      ? { env: { NODE_OPTIONS: `--import ${profilerUrl}`, ALTAR_CPU_PROFILE_DIR: profileDir } }
      : {}),
  });
  const serve = values['serve-profile'] ? serveProfiler(app, profileDir) : null;
  const { context, page } = await coldPage(browser);
  // Every API call's body, to tell which one a sort's request waited for.
  await page.addInitScript(() => {
    const calls: { body: string; start: number; end: number }[] = [];
    // A queryRuns call by what tells it apart: its sort, its last column, offset and limit.
    const brief = (body: string): string => {
      try {
        const args = JSON.parse(body) as Record<string, unknown>;
        const columns = args.columns as string[] | undefined;
        return JSON.stringify({
          ...args,
          columns: columns === undefined ? undefined : `${columns.length}, last ${columns.at(-1)}`,
        });
      } catch {
        return body.slice(0, 160);
      }
    };
    (globalThis as unknown as { __calls: typeof calls }).__calls = calls;
    // Every idle callback's run (plotly's preload steps): one landing in a sort's wait for
    // its reply delays the rows by as long as it runs past the reply.
    const idle: { start: number; end: number }[] = [];
    (globalThis as unknown as { __idle: typeof idle }).__idle = idle;
    const requestIdle = globalThis.requestIdleCallback.bind(globalThis);
    globalThis.requestIdleCallback = (callback, options) =>
      requestIdle((deadline) => {
        const run = { start: performance.now(), end: NaN };
        try {
          callback(deadline);
        } finally {
          run.end = performance.now();
          idle.push(run);
        }
      }, options);
    const original = globalThis.fetch.bind(globalThis);
    globalThis.fetch = async (input, init) => {
      const call = { body: '', start: performance.now(), end: NaN };
      call.body = `${String(input instanceof Request ? input.url : input)
        .split('?')[0]
        ?.split('/')
        .pop()} ${typeof init?.body === 'string' ? brief(init.body) : ''}`;
      calls.push(call);
      const response = await original(input, init);
      call.end = performance.now();
      return response;
    };
  });
  try {
    const goto = performance.now();
    await page.goto(app.url, { timeout: 600_000 });
    await settled(page, new RegExp(`^${runs} runs`, 'u'));
    console.log(`\n${label}: rows settled ${(performance.now() - goto).toFixed(0)} ms after goto`);
    await openCatalogOnce(page);
    await sortWithTimeline(page, CONFIG_COLUMN, `${label}, ${CONFIG_COLUMN}`, serve);
    await sortWithTimeline(page, METRIC_COLUMN, `${label}, ${METRIC_COLUMN}`, serve);
  } finally {
    await context.close();
    await app.stop();
  }
}

const dataDir = path.resolve(values.work, 'data');
pristineCopy(path.resolve(values['table-dir']), dataDir);
const browser = await launchBrowser(defaultChromium());
try {
  await session(browser, dataDir, 'first start');
  for (let i = 1; i <= Number(values.restarts); i++) {
    await session(browser, dataDir, `restart ${i}`);
  }
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log('\nclick → rows (server query):');
results.forEach(({ label, ms, serverMs }, i) => {
  const idle = idleInWindow[i];
  console.log(
    `  ${label}: ${ms.toFixed(0)} ms (${serverMs.toFixed(1)} ms); idle callbacks meanwhile ` +
      `${idle?.count ?? 0}, ${idle?.ms.toFixed(1) ?? '0'} ms`,
  );
});
