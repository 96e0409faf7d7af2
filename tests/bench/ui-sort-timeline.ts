/**
 * A first sort's timeline in the window without a profiler's weight (issue 13):
 * `npx tsx tests/bench/ui-sort-timeline.ts --table-dir DIR [--restarts N] [--runs N]
 * [--cli OTHER/cli.mjs] [--serve-profile] [--request-log]`, on a table data dir written by `npm
 * run bench:ui -- --data-dir D` (D/t…/table; copied, never changed). `--cli` serves another
 * build (a before/after pair); `--serve-profile` adds the serve process's busy stretches (a CPU
 * profile) from a column's adding to its sort's rows; `--request-log` the serve's request
 * arrivals and replies and its timer callbacks ≥ 2 ms (the engine's idle steps) on the page's
 * clock, with both: what each long step ran. The bench's steps
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
    /**
     * Also logs in the serve process every HTTP request's arrival and reply, and every timer
     * callback ≥ 2 ms (its idle steps), printed beside each sort (serve-request-log.mjs).
     */
    'request-log': { type: 'boolean', default: false },
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
  /** The page's performance.timeOrigin (epoch ms), to place the serve's log on its clock. */
  timeOrigin: number;
  clickAt: number;
  /** The page's idle callbacks (plotly's preload steps), start and end. */
  idle: { start: number; end: number }[];
  calls: {
    name: string;
    body: string;
    start: number;
    /** When the request went out on a connection (after any wait for a free one). */
    requestStart: number;
    firstByte: number;
    end: number;
  }[];
  frames: { start: number; duration: number; blocking: number; scripts: string[] }[];
}

/** The click → rows of every sort, by session label and column, for the summary line. */
const results: { label: string; ms: number; serverMs: number }[] = [];
/** Idle callbacks run between each sort's click and its rows (same order as results). */
const idleInWindow: { count: number; ms: number }[] = [];
/** The serve's timer callbacks ≥ 20 ms around the last sort (epoch ms; --request-log). */
let lastLongSteps: { start: number; end: number; fromClick: number }[] = [];
/** The serve's timer callbacks' time between each sort's click and its rows (--request-log). */
const serveBusy: number[] = [];
const requestLog = values['request-log'] ? path.resolve(values.work, 'serve-requests.log') : null;

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
          requestStart: timing.requestStart,
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
    return {
      timeOrigin: performance.timeOrigin,
      clickAt: state.clickAt,
      calls,
      frames: state.frames,
      idle,
    };
  });
}

function printTimeline(label: string, sorted: { ms: number; serverMs: number }, t: Timeline) {
  const at = (ms: number): string => `${(ms - t.clickAt).toFixed(1).padStart(8)} ms`;
  console.log(
    `\n${label}: click → rows ${sorted.ms.toFixed(0)} ms (server's query ${sorted.serverMs.toFixed(1)} ms)`,
  );
  for (const call of t.calls) {
    console.log(
      `  ${at(call.start)}  ${call.name} asked; sent ${at(call.requestStart)}; first byte ${at(call.firstByte)}; done ${at(call.end)}\n               ${call.body}`,
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
  if (requestLog !== null) {
    const clickEpoch = t.timeOrigin + t.clickAt;
    const since = (epoch: number): string => `${(epoch - clickEpoch).toFixed(1).padStart(8)} ms`;
    const entries = readFileSync(requestLog, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as ServeLogEntry)
      .filter((entry) => {
        const [start, end] =
          entry.kind === 'request' ? [entry.arrived, entry.ended] : [entry.start, entry.end];
        return end > clickEpoch - 100 && start < clickEpoch + sorted.ms;
      });
    let busyMs = 0;
    for (const entry of entries) {
      if (entry.kind === 'request') {
        console.log(
          `  ${since(entry.arrived)}  serve: ${entry.path} arrived; reply ended ${since(entry.ended)}`,
        );
      } else {
        busyMs += Math.max(
          0,
          Math.min(entry.end, clickEpoch + sorted.ms) - Math.max(entry.start, clickEpoch),
        );
        console.log(
          `  ${since(entry.start)}  serve: ${entry.kind} ${entry.name} ran ${(entry.end - entry.start).toFixed(1)} ms`,
        );
      }
    }
    serveBusy.push(busyMs);
    lastLongSteps = entries.flatMap((entry) =>
      entry.kind !== 'request' && entry.end - entry.start >= 20
        ? [{ start: entry.start, end: entry.end, fromClick: entry.start - clickEpoch }]
        : [],
    );
  }
  console.log(`  ${at(shownAt)}  sorted rows shown`);
}

type ServeLogEntry =
  | { kind: 'request'; path: string; arrived: number; ended: number }
  | { kind: 'timer' | 'immediate' | 'request-task'; name?: string; start: number; end: number };

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

/**
 * What the serve's CPU profile sampled in each long timer callback (the engine's idle steps):
 * the functions most often on the stack, by share of the step's samples.
 */
function longStepsProfiled(
  profile: CpuProfile,
  epochAtZero: number,
  steps: { start: number; end: number; fromClick: number }[],
): string[] {
  if (Number.isNaN(epochAtZero) || steps.length === 0) return [];
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const generic = new Set([
    '',
    '(root)',
    '(program)',
    '(idle)',
    '(garbage collector)',
    'listOnTimeout',
    'processTimers',
    'timedCallback',
  ]);
  const samples: { at: number; id: number }[] = [];
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    samples.push({ at: epochAtZero + t / 1000, id });
  });
  return steps.map((step) => {
    const inStep = samples.filter((sample) => sample.at >= step.start && sample.at <= step.end);
    const inclusive = new Map<string, number>();
    for (const { id } of inStep) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const name = byId.get(at)?.callFrame.functionName ?? '';
        if (!generic.has(name)) seen.add(name);
      }
      for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
    }
    const top = [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, n]) => `${name} ${Math.round((100 * n) / inStep.length)}%`);
    return (
      `  serve step ${step.fromClick.toFixed(0).padStart(7)} ms from the click, ` +
      `${(step.end - step.start).toFixed(0)} ms (${inStep.length} samples): ${top.join(', ')}`
    );
  });
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
  const timeline = await readTimeline(page);
  // The serve's log is written every 100 ms.
  if (requestLog !== null) await new Promise((resolve) => setTimeout(resolve, 250));
  printTimeline(label, sorted, timeline);
  results.push({ label, ...sorted });
  if (serve !== null && profiling !== null) {
    const profile = await serve.stop();
    // The profile's clock starts when its start was signalled (near enough, on this scale).
    for (const line of busyStretches(profile, clickedAt - profiling)) console.log(line);
    for (const line of longStepsProfiled(profile, serve.epochAtZero(), lastLongSteps)) {
      console.log(line);
    }
  }
}

interface ServeProfiler {
  /** Starts profiling; resolves with when (this process's clock). */
  start(): Promise<number>;
  stop(): Promise<CpuProfile>;
  /** Epoch ms at the last profile's clock zero (its timestamps are monotonic µs). */
  epochAtZero(): number;
}

function serveProfiler(app: ServedApp, dir: string): ServeProfiler {
  let count = 0;
  let epochAtZero = NaN;
  return {
    async start() {
      count += 1;
      app.process.kill('SIGUSR2');
      const started = path.join(dir, `serve-${count}.started`);
      await waitForFile(started);
      for (let i = 0; i < 50 && readFileSync(started, 'utf8') === ''; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      epochAtZero = Number(readFileSync(started, 'utf8'));
      return performance.now();
    },
    epochAtZero: () => epochAtZero,
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
  const logUrl = pathToFileURL(path.join(import.meta.dirname, 'serve-request-log.mjs')).href;
  const imports = [
    ...(values['serve-profile'] ? [profilerUrl] : []),
    ...(requestLog === null ? [] : [logUrl]),
  ];
  const app = await startServedApp({
    dataDir,
    keepDataDir: true,
    ...(values.cli === undefined ? {} : { cli: path.resolve(values.cli) }),
    ...(imports.length === 0
      ? {}
      : {
          env: {
            NODE_OPTIONS: imports.map((url) => `--import ${url}`).join(' '),
            ...(values['serve-profile'] ? { ALTAR_CPU_PROFILE_DIR: profileDir } : {}),
            ...(requestLog === null ? {} : { ALTAR_REQUEST_LOG: requestLog }),
          },
        }),
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
if (requestLog !== null) rmSync(requestLog, { force: true });
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
  const busy = serveBusy[i];
  console.log(
    `  ${label}: ${ms.toFixed(0)} ms (${serverMs.toFixed(1)} ms); idle callbacks meanwhile ` +
      `${idle?.count ?? 0}, ${idle?.ms.toFixed(1) ?? '0'} ms` +
      (busy === undefined ? '' : `; serve timers meanwhile ${busy.toFixed(1)} ms`),
  );
});
