/**
 * The parts of the 20-run zoom's refine that the page pays, each timed against its alternative
 * in one page, interleaved rep by rep (issue 13; on the shared machine a window A/B of whole
 * zooms moves by more than these parts do). Needs `npm run build`.
 *   npx tsx tests/bench/plot-refine-parts.ts --plot-dir DIR [--runs 20] [--reps 12]
 * DIR: a plot cache of bench:ui (a copy: the serve may write blocks into it). Prints, min and
 * median of the reps:
 * - the zoom's getMetrics reply, request → arrays in hand: JSON with base64 (what a script
 *   gets) against the binary frame the page asks for (shared/wire-frame.ts);
 * - `Plotly.react` of the 20 traces with new points, with plotly's hover redraw (`_rehover`,
 *   set as after a mouse move over the plot) against without it;
 * - the same redraw (no hover) with the page's points per trace against half as many, each two
 *   neighbouring buckets' min and max kept (what a budget of one point per pixel asks);
 * - the same redraw with plotly's automatic x tick angle (every label measured) against a
 *   fixed `tickangle: 0`.
 */
import { parseArgs } from 'node:util';
import { startServedApp } from '../support/serve-process';
import { defaultChromium } from './renderer-memory-bench';
import { METRIC } from './metric-plot-bench';
import { PLOT, PLOT_SOURCE, plotAllRuns } from './ui-bench-plot-session';
import { coldPage, launchBrowser, median } from './ui-bench-page';

const { values } = parseArgs({
  options: {
    'plot-dir': { type: 'string' },
    runs: { type: 'string', default: '20' },
    reps: { type: 'string', default: '12' },
  },
});
const dir = values['plot-dir'];
if (dir === undefined) throw new Error('--plot-dir DIR is required');
const runs = Number(values.runs);
const reps = Number(values.reps);

const app = await startServedApp({ dataDir: dir, keepDataDir: true });
const browser = await launchBrowser(defaultChromium());
try {
  const { page } = await coldPage(browser);
  await page.goto(app.url);
  await page.locator('[data-testid="run-row"]').first().waitFor({ timeout: 600_000 });
  await plotAllRuns(page, runs);
  // The zoom's request as the app makes it: the first run's query, for every run, a tenth of
  // the steps in the middle.
  const box = await page.locator(`${PLOT} .nsewdrag`).first().boundingBox();
  if (box === null) throw new Error('no drag layer');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.move(box.x + box.width * 0.31, box.y + box.height * 0.5);

  const figures = await page.evaluate(
    async ({ plotSelector, runs, reps, source, metric }) => {
      type Gd = HTMLElement & {
        data: { x: ArrayLike<number>; y: ArrayLike<number> }[];
        layout: Record<string, unknown>;
        _fullLayout: { _rehover?: () => void; xaxis: { range: [number, number] } };
      };
      const gd = document.querySelector(plotSelector) as Gd;
      const chunk = performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .find((name) => /\/assets\/[^/]*plotly[^/]*\.js$/u.test(name));
      if (chunk === undefined) throw new Error('the plotly chunk was not loaded');
      const module = (await import(chunk)) as { finish: () => unknown };
      const Plotly = module.finish() as {
        react: (gd: HTMLElement, data: unknown[], layout: unknown) => Promise<void>;
      };

      const [x0, x1] = gd._fullLayout.xaxis.range;
      const span = x1 - x0;
      const body = JSON.stringify({
        traces: Array.from({ length: runs }, (_, i) => ({
          source,
          id: String(i + 1),
          name: metric,
          xMin: x0 + span * 0.45,
          xMax: x0 + span * 0.55,
        })),
        maxPoints: 1500,
      });
      const fromBase64 = (Uint8Array as unknown as { fromBase64: (t: string) => Uint8Array })
        .fromBase64;
      // The app's decoders (shared/wire-codec.ts, shared/wire-frame.ts) are bundled out of
      // reach of this page script: their few steps again, as the app runs them.
      const ask = async (frame: boolean): Promise<number> => {
        const started = performance.now();
        const response = await fetch('/api/getMetrics', {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(frame ? { Accept: 'application/octet-stream' } : {}),
          },
          body,
        });
        let points: Float64Array;
        if (frame) {
          const buffer = await response.arrayBuffer();
          const length = new DataView(buffer).getUint32(4, true);
          const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length)));
          const start = Math.ceil((8 + length) / 8) * 8;
          const [offset, count] = header.result.points.$f64at as [number, number];
          points = new Float64Array(buffer, start + offset, count);
        } else {
          const reply = JSON.parse(await response.text(), (_key, v: unknown) => {
            const tagged = (v as { $f64?: string } | null)?.$f64;
            if (typeof tagged !== 'string') return v;
            const bytes = fromBase64.call(Uint8Array, tagged);
            return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
          }) as { result: { points: Float64Array } };
          points = reply.result.points;
        }
        if (points.length < 1000) throw new Error('a short reply');
        return performance.now() - started;
      };
      const rehover = gd._fullLayout._rehover;
      if (rehover === undefined) throw new Error('no hover to redraw: the mouse is not over it');
      const base = gd.data;
      const draw = async (withHover: boolean, rep: number): Promise<number> => {
        // New arrays each time, as a refine brings (plotly recomputes them all).
        const data = base.map((trace) => ({
          ...trace,
          y: Float64Array.from(trace.y, (v) => v * (1 + rep * 1e-6)),
        }));
        gd._fullLayout._rehover = withHover ? rehover : undefined;
        const started = performance.now();
        await Plotly.react(gd, data, gd.layout);
        return performance.now() - started;
      };
      // Half the points: of each four (two buckets' min and max, in x order) the lowest and
      // the highest y, in their x order, as the server's min/max downsampling would give.
      const halve = <T extends ArrayLike<unknown>>(keep: number[], values: T): T =>
        (values instanceof Float64Array
          ? Float64Array.from(keep, (i) => values[i] as number)
          : keep.map((i) => values[i])) as unknown as T;
      const halved = base.map((trace) => {
        const keep: number[] = [];
        for (let i = 0; i < trace.y.length; i += 4) {
          let lo = i;
          let hi = i;
          for (let j = i; j < Math.min(i + 4, trace.y.length); j++) {
            if ((trace.y[j] as number) < (trace.y[lo] as number)) lo = j;
            if ((trace.y[j] as number) > (trace.y[hi] as number)) hi = j;
          }
          keep.push(Math.min(lo, hi));
          if (hi !== lo) keep.push(Math.max(lo, hi));
        }
        const withCustom = trace as { customdata?: ArrayLike<unknown> };
        return {
          ...trace,
          x: halve(keep, trace.x),
          y: halve(keep, trace.y),
          ...(withCustom.customdata === undefined
            ? {}
            : { customdata: halve(keep, withCustom.customdata) }),
        };
      });
      const layoutOf = (tickAngle: boolean): Record<string, unknown> =>
        tickAngle
          ? {
              ...gd.layout,
              xaxis: { ...(gd.layout.xaxis as Record<string, unknown>), tickangle: 0 },
            }
          : gd.layout;
      const redraw = async (half: boolean, tickAngle: boolean, rep: number): Promise<number> => {
        const data = (half ? halved : base).map((trace) => ({
          ...trace,
          y: Float64Array.from(trace.y, (v) => v * (1 + rep * 1e-6)),
        }));
        gd._fullLayout._rehover = undefined;
        const started = performance.now();
        await Plotly.react(gd, data, layoutOf(tickAngle));
        return performance.now() - started;
      };
      const out = {
        json: [] as number[],
        frame: [] as number[],
        hover: [] as number[],
        none: [] as number[],
        all: [] as number[],
        half: [] as number[],
        autoAngle: [] as number[],
        fixedAngle: [] as number[],
        pointsPerTrace: [base[0]?.y.length ?? 0, halved[0]?.y.length ?? 0],
      };
      for (let rep = 0; rep < reps; rep++) {
        const frameFirst = rep % 2 === 0;
        out[frameFirst ? 'frame' : 'json'].push(await ask(frameFirst));
        out[frameFirst ? 'json' : 'frame'].push(await ask(!frameFirst));
        out[frameFirst ? 'hover' : 'none'].push(await draw(frameFirst, 2 * rep));
        out[frameFirst ? 'none' : 'hover'].push(await draw(!frameFirst, 2 * rep + 1));
        out[frameFirst ? 'half' : 'all'].push(await redraw(frameFirst, false, 2 * rep));
        out[frameFirst ? 'all' : 'half'].push(await redraw(!frameFirst, false, 2 * rep + 1));
        out[frameFirst ? 'fixedAngle' : 'autoAngle'].push(await redraw(false, frameFirst, 2 * rep));
        out[frameFirst ? 'autoAngle' : 'fixedAngle'].push(
          await redraw(false, !frameFirst, 2 * rep + 1),
        );
      }
      return out;
    },
    { plotSelector: PLOT, runs, reps, source: PLOT_SOURCE, metric: METRIC },
  );
  const line = (name: string, samples: number[]): string =>
    `${name}: min ${Math.min(...samples).toFixed(1)} ms, median ${median(samples).toFixed(1)} ms`;
  console.log(line('zoom reply as JSON + base64, request → arrays', figures.json));
  console.log(line('zoom reply as a frame, request → arrays', figures.frame));
  console.log(line(`Plotly.react of ${runs} traces, hover redrawn`, figures.hover));
  console.log(line(`Plotly.react of ${runs} traces, no hover redraw`, figures.none));
  const [all, half] = figures.pointsPerTrace;
  console.log(line(`Plotly.react of ${runs} traces, the page's ${all} points each`, figures.all));
  console.log(line(`Plotly.react of ${runs} traces, ${half} points each (min/max)`, figures.half));
  console.log(line(`Plotly.react of ${runs} traces, automatic x tick angle`, figures.autoAngle));
  console.log(line(`Plotly.react of ${runs} traces, tickangle 0`, figures.fixedAngle));
} finally {
  await browser.close();
  await app.stop();
}
