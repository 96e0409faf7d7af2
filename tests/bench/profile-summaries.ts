/**
 * Summaries of the profiles the window's profiling scripts take (tests/bench/ui-sort-profile.ts,
 * tests/bench/ui-plot-profile.ts): a V8 CPU profile's hottest functions, the renderer main
 * thread's CPU time by Chromium trace event, and the API calls a page made since a moment.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Monotonic µs of the first sample's clock (V8's). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The functions with the most self time in a V8 CPU profile, in ms. */
export function hottest(profile: CpuProfile, top = 15): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) return;
    const file = frame.url.split('/').pop() ?? '';
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [
    `  total sampled ${total.toFixed(1)} ms`,
    ...[...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${name}`),
  ];
}

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: on a loaded machine the wall time is mostly waiting for a core. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string } };
}

/**
 * Self time by event name of nested complete events of one thread, sorted by start (an event's
 * `cpuMs` less its children's); `cpuMs` chooses thread or wall time.
 */
export function selfTimesByName(
  events: readonly TraceEvent[],
  cpuMs: (event: TraceEvent) => number,
): Map<string, number> {
  const self = new Map<string, number>();
  const stack: { event: TraceEvent; end: number; childMs: number }[] = [];
  const close = (upTo: number): void => {
    while (stack.length > 0 && (stack[stack.length - 1]?.end ?? 0) <= upTo) {
      const done = stack.pop();
      if (done === undefined) break;
      const ms = cpuMs(done.event);
      self.set(done.event.name, (self.get(done.event.name) ?? 0) + ms - done.childMs);
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.childMs += ms;
    }
  };
  for (const event of events) {
    close(event.ts);
    stack.push({ event, end: event.ts + (event.dur ?? 0), childMs: 0 });
  }
  close(Infinity);
  return self;
}

/**
 * Each renderer main thread of a Chromium trace (JSON, either form): its complete events in
 * start order, an enclosing event before the ones it holds.
 */
export function rendererMainThreads(trace: Buffer | string): TraceEvent[][] {
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  return events
    .filter(
      (event) =>
        event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain',
    )
    .map((thread) =>
      events
        .filter(
          (event) =>
            event.pid === thread.pid &&
            event.tid === thread.tid &&
            event.ph === 'X' &&
            event.dur !== undefined,
        )
        .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0)),
    );
}

/**
 * CPU (thread) self time of the renderer main thread's trace events, by name, over the traced
 * click: on this loaded machine wall times are 5-20× the CPU a task used.
 */
export function mainThreadSelfTimes(tracePath: string, top = 15): string[] {
  const lines: string[] = [];
  for (const complete of rendererMainThreads(readFileSync(tracePath))) {
    if (complete.length === 0) continue;
    const self = selfTimesByName(complete, (event) => (event.tdur ?? 0) / 1000);
    // Top-level tasks (each holds a ThreadControllerImpl::RunTask of the same span).
    const tasks = complete.filter((event) => event.name === 'RunTask');
    const long = tasks.filter((event) => (event.dur ?? 0) > 50_000).length;
    const cpu = tasks.reduce((sum, event) => sum + (event.tdur ?? 0), 0) / 1000;
    lines.push(
      `  renderer ${(complete[0] as TraceEvent).pid}: ${tasks.length} tasks (CPU ${cpu.toFixed(1)} ms), ${long} > 50 ms ` +
        `wall, longest ${(Math.max(0, ...tasks.map((event) => event.dur ?? 0)) / 1000).toFixed(1)} ms`,
      ...[...self.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${name}`),
    );
  }
  return lines;
}

/** The API calls made since `since` (page clock), from the click: sent, first byte, done. */
export async function apiCallsSince(page: Page, since: number): Promise<string[]> {
  const entries = await page.evaluate(
    (from) =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.includes('/api/') && entry.startTime >= from)
        .map((entry) => {
          const timing = entry as PerformanceResourceTiming;
          return {
            name: new URL(timing.name).pathname,
            start: timing.startTime - from,
            firstByte: timing.responseStart - from,
            end: timing.responseEnd - from,
            bytes: timing.encodedBodySize,
          };
        }),
    since,
  );
  return entries.map(
    (e) =>
      `  ${e.name}: sent at ${e.start.toFixed(1)} ms, first byte ${e.firstByte.toFixed(1)} ms, ` +
      `done ${e.end.toFixed(1)} ms, ${(e.bytes / 1024).toFixed(1)} KB`,
  );
}

export async function waitForFile(file: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} never written`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
