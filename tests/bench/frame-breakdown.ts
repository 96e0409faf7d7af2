/**
 * Where each long animation frame of a traced step went (tests/bench/ui-fling-profile.ts): the
 * renderer main thread's trace events between two requestAnimationFrame callbacks, sorted into
 * script, style, layout, paint, composite, GC and other (thread time, self), the raster and
 * compositor threads' time in the same span, and the page CPU profile's samples in it, sorted
 * by the code they ran in (React, the app's components, the virtualizer, fetch handling). The
 * source is told by the built bundle's source map when the build wrote one (`vite build
 * --sourcemap hidden`); without it, only by the file a function is in.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import type { CpuProfile, ProfileNode, TraceEvent } from './profile-summaries';
import { selfTimesByName } from './profile-summaries';

const PHASES = ['script', 'style', 'layout', 'paint', 'composite', 'gc', 'other'] as const;
type Phase = (typeof PHASES)[number];
const CODE = ['react', 'components', 'virtualizer', 'fetch', 'app', 'native'] as const;
type Code = (typeof CODE)[number];

const PHASE_OF: [RegExp, Phase][] = [
  [
    /^(UpdateLayoutTree|RecalculateStyles|ScheduleStyleRecalculation|ParseAuthorStyleSheet)$/u,
    'style',
  ],
  [/^(Layout|InvalidateLayout|IntersectionObserverController::computeIntersections)$/u, 'layout'],
  [
    /^(Paint|PrePaint|PaintImage|Layerize|UpdateLayer|PaintSetup|Decode.*|ImageDecodeTask)$/u,
    'paint',
  ],
  [
    /^(CompositeLayers|Commit|UpdateLayerTree|Animation|ScrollLayer|ActivateLayerTree)$/u,
    'composite',
  ],
  [/GC|^BlinkGC|^ThreadState::|^V8\.GC|^CppGC/u, 'gc'],
  [
    /^(FunctionCall|EvaluateScript|EventDispatch|FireAnimationFrame|TimerFire|RunMicrotasks|XHRReadyStateChange|XHRLoad|HandlePostMessage|v8\.|V8\.|ResourceReceivedData|ResourceFinish|ResourceReceiveResponse|ResourceSendRequest)/u,
    'script',
  ],
];

function phaseOf(name: string): Phase {
  for (const [pattern, phase] of PHASE_OF) if (pattern.test(name)) return phase;
  return 'other';
}

/** What a source file is, for the script split. */
function codeOfSource(source: string): Code | null {
  if (/node_modules\/(react-dom|react|scheduler)\//u.test(source)) return 'react';
  if (/node_modules\/@tanstack\//u.test(source)) return 'virtualizer';
  if (
    /renderer\/src\/(hooks\/use-run-pages|hooks\/use-api|api\/|model\/page-window)/u.test(source)
  ) {
    return 'fetch';
  }
  if (/renderer\/src\/components\//u.test(source)) return 'components';
  if (/renderer\/src\/|shared\//u.test(source)) return 'app';
  return null;
}

/** Maps a profile's call frames to the code they belong to, through the bundle's source map. */
function codeClassifier(distAssets: string): (node: ProfileNode) => Code | null {
  const maps = new Map<string, TraceMap | null>();
  const mapFor = (url: string): TraceMap | null => {
    const file = url.split('/').pop() ?? '';
    if (!maps.has(file)) {
      const mapFile = path.join(distAssets, `${file}.map`);
      maps.set(
        file,
        file !== '' && existsSync(mapFile) ? new TraceMap(readFileSync(mapFile, 'utf8')) : null,
      );
    }
    return maps.get(file) ?? null;
  };
  const cache = new Map<number, Code | null>();
  return (node) => {
    const cached = cache.get(node.id);
    if (cached !== undefined) return cached;
    const frame = node.callFrame as ProfileNode['callFrame'] & { columnNumber?: number };
    let code: Code | null = null;
    if (frame.url !== '') {
      const map = mapFor(frame.url);
      const source =
        map === null
          ? null
          : originalPositionFor(map, {
              line: frame.lineNumber + 1,
              column: Math.max(0, frame.columnNumber ?? 0),
            }).source;
      code = source === null ? 'app' : (codeOfSource(source) ?? 'app');
    }
    cache.set(node.id, code);
    return code;
  };
}

interface Frame {
  start: number;
  end: number;
  /** From its requestAnimationFrame callback to the next frame's. */
  wall: number;
  phases: Record<Phase, number>;
  code: Record<Code, number>;
  gcSampled: number;
  raster: number;
  compositor: number;
}

function zero<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

function loadTrace(tracePath: string): TraceEvent[] {
  const trace = JSON.parse(readFileSync(tracePath, 'utf8')) as
    { traceEvents: TraceEvent[] } | TraceEvent[];
  return Array.isArray(trace) ? trace : trace.traceEvents;
}

/** The busiest renderer main thread of the trace (the page's). */
function mainThread(events: readonly TraceEvent[]): { pid: number; tid: number } | null {
  const threads = events.filter(
    (event) =>
      event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain',
  );
  let best: { pid: number; tid: number } | null = null;
  let most = -1;
  for (const thread of threads) {
    const n = events.filter(
      (event) => event.pid === thread.pid && event.tid === thread.tid && event.ph === 'X',
    ).length;
    if (n > most) {
      most = n;
      best = { pid: thread.pid, tid: thread.tid };
    }
  }
  return best;
}

/** Thread time of complete events overlapping [start, end), prorated by overlap. */
function busyIn(events: readonly TraceEvent[], start: number, end: number): number {
  let ms = 0;
  for (const event of events) {
    const from = event.ts;
    const to = event.ts + (event.dur ?? 0);
    if (to <= start || from >= end || (event.dur ?? 0) === 0) continue;
    const share = (Math.min(to, end) - Math.max(from, start)) / (event.dur ?? 1);
    ms += (share * (event.tdur ?? event.dur ?? 0)) / 1000;
  }
  return ms;
}

/**
 * The frames (requestAnimationFrame callback to the next) of the trace's page longer than
 * `longMs`, each with where its time went; `profile` is the page's CPU profile of the same span.
 */
export function longFrames(
  tracePath: string,
  profile: CpuProfile & { startTime: number },
  distAssets: string,
  longMs: number,
): { frames: number; long: Frame[] } {
  const events = loadTrace(tracePath);
  const main = mainThread(events);
  if (main === null) return { frames: 0, long: [] };
  const mine = events
    .filter(
      (event) =>
        event.pid === main.pid &&
        event.tid === main.tid &&
        event.ph === 'X' &&
        event.dur !== undefined &&
        // The toplevel copy of each ThreadControllerImpl::RunTask, same span: counted once.
        event.name !== 'RunTask',
    )
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  // A frame runs from the task that calls its requestAnimationFrame callbacks (the start of its
  // BeginMainFrame: scroll events, the callbacks, then style, layout and paint) to the next
  // one's: the rendering after a callback belongs to its frame, not the next.
  const tasks = mine.filter((event) => event.name === 'ThreadControllerImpl::RunTask');
  const callbacks = mine.filter((event) => event.name === 'FireAnimationFrame').map((e) => e.ts);
  const starts: number[] = [];
  const taskStarts: number[] = [];
  let at = 0;
  for (const ts of callbacks) {
    while (at + 1 < tasks.length && (tasks[at + 1]?.ts ?? Infinity) <= ts) at++;
    const task = tasks[at];
    const enclosing =
      task !== undefined && task.ts <= ts && task.ts + (task.dur ?? 0) >= ts ? task.ts : ts;
    // Two callbacks in one task are one frame.
    if (taskStarts[taskStarts.length - 1] === enclosing) continue;
    starts.push(ts);
    taskStarts.push(enclosing);
  }
  const threadNames = new Map<string, string>();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name' && event.pid === main.pid) {
      threadNames.set(`${event.tid}`, event.args?.name ?? '');
    }
  }
  // Software raster runs in the renderer's worker pool (RasterTask, not nested in each other).
  const raster = events.filter(
    (event) =>
      event.pid === main.pid &&
      event.ph === 'X' &&
      (event.name === 'RasterTask' || event.name === 'ImageDecodeTask'),
  );
  // The compositor thread's top-level tasks only, so nested events are not counted twice.
  const compositor = events.filter(
    (event) =>
      event.pid === main.pid &&
      event.ph === 'X' &&
      threadNames.get(`${event.tid}`) === 'Compositor' &&
      event.name === 'ThreadControllerImpl::RunTask',
  );

  // The CPU profile's samples on the trace's clock (both are base::TimeTicks, µs).
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const rootId = profile.nodes.find((node) => node.callFrame.functionName === '(root)')?.id;
  const classify = codeClassifier(distAssets);
  const sampleTimes: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) {
    t += delta;
    sampleTimes.push(t);
  }
  const codeOfSample = (id: number): Code | 'gc' | null => {
    const leaf = byId.get(id);
    if (leaf === undefined) return null;
    const name = leaf.callFrame.functionName;
    if (name === '(idle)' || name === '(program)' || name === '(root)') return null;
    if (name === '(garbage collector)') return 'gc';
    // Blink's own work (style, layout, paint) outside any script shows as a nameless node
    // without a script right under the root: not script time.
    if (name === '' && leaf.callFrame.url === '' && parent.get(leaf.id) === rootId) return null;
    for (
      let node: ProfileNode | undefined = leaf;
      node;
      node = byId.get(parent.get(node.id) ?? -1)
    ) {
      const code = classify(node);
      if (code !== null) return code;
    }
    return 'native';
  };

  const long: Frame[] = [];
  for (let i = 1; i < starts.length; i++) {
    const wall = ((starts[i] ?? 0) - (starts[i - 1] ?? 0)) / 1000;
    if (wall <= longMs) continue;
    const start = taskStarts[i - 1] ?? 0;
    const end = taskStarts[i] ?? 0;
    const inFrame = mine.filter((event) => event.ts >= start && event.ts < end);
    const self = selfTimesByName(inFrame, (event) => (event.tdur ?? 0) / 1000);
    const phases = zero(PHASES);
    for (const [name, ms] of self) phases[phaseOf(name)] += ms;
    const code = zero(CODE);
    let gcSampled = 0;
    for (let s = 0; s < profile.samples.length; s++) {
      const at = sampleTimes[s] ?? 0;
      if (at < start || at >= end) continue;
      // Samples can arrive out of order (a negative delta): never less than nothing.
      const ms = Math.max(0, profile.timeDeltas[s + 1] ?? 0) / 1000;
      const which = codeOfSample(profile.samples[s] ?? -1);
      if (which === 'gc') gcSampled += ms;
      else if (which !== null) code[which] += ms;
    }
    long.push({
      start,
      end,
      wall,
      phases,
      code,
      gcSampled,
      raster: busyIn(raster, start, end),
      compositor: busyIn(compositor, start, end),
    });
  }
  return { frames: Math.max(0, starts.length - 1), long };
}

const f = (ms: number): string => ms.toFixed(1);

/** One line per long frame and the mean over them. */
export function describeFrames(frames: number, long: readonly Frame[], origin: number): string[] {
  const line = (
    frame: Omit<Frame, 'start' | 'end' | 'wall'>,
    wall: number,
    label: string,
  ): string =>
    `${label} wall ${f(wall)} | main CPU ${f(PHASES.reduce((s, p) => s + frame.phases[p], 0))}: ` +
    PHASES.map((p) => `${p} ${f(frame.phases[p])}`).join(', ') +
    ` | script by code (sampled, wall): ` +
    CODE.map((c) => `${c} ${f(frame.code[c])}`).join(', ') +
    `, gc ${f(frame.gcSampled)} | raster ${f(frame.raster)}, compositor ${f(frame.compositor)}`;
  const lines = [`${long.length} of ${frames} traced frames longer than the limit (ms):`];
  for (const frame of long) {
    lines.push(line(frame, frame.wall, `  +${f((frame.start - origin) / 1000)}`));
  }
  if (long.length > 0) {
    const mean = (pick: (frame: Frame) => number): number =>
      long.reduce((s, frame) => s + pick(frame), 0) / long.length;
    lines.push(
      line(
        {
          phases: Object.fromEntries(PHASES.map((p) => [p, mean((x) => x.phases[p])])) as Record<
            Phase,
            number
          >,
          code: Object.fromEntries(CODE.map((c) => [c, mean((x) => x.code[c])])) as Record<
            Code,
            number
          >,
          gcSampled: mean((x) => x.gcSampled),
          raster: mean((x) => x.raster),
          compositor: mean((x) => x.compositor),
        },
        mean((x) => x.wall),
        'MEAN of long frames:',
      ),
    );
  }
  return lines;
}
