/**
 * What plotly's check of tick labels against the figure's edge costs in the 20-run zoom's two
 * redraws (issue 13): by default (`ticklabeloverflow: 'hide past div'`) every tick label drawn
 * is measured (`Drawing.bBox`, a forced layout per label) to hide one that overflows the
 * figure; `'allow'` skips that. Timed in one page on the app's 20-run plot, the two settings
 * interleaved rep by rep: plotly's relayout to a new x range (the zoom's local relayout) and
 * `Plotly.react` of the 20 traces with new points (the refine). Needs `npm run build`.
 *   npx tsx tests/bench/plot-tick-overflow.ts --plot-dir DIR [--runs 20] [--reps 12] [--axes xy]
 * --axes: which axes get 'allow' (xy, x or y).
 * DIR: a plot cache of bench:ui (a copy: the serve may write blocks into it). Prints min and
 * median of the reps.
 */
import { parseArgs } from 'node:util';
import { startServedApp } from '../support/serve-process';
import { defaultChromium } from './renderer-memory-bench';
import { PLOT, plotAllRuns } from './ui-bench-plot-session';
import { coldPage, launchBrowser, median } from './ui-bench-page';

const { values } = parseArgs({
  options: {
    'plot-dir': { type: 'string' },
    runs: { type: 'string', default: '20' },
    reps: { type: 'string', default: '12' },
    axes: { type: 'string', default: 'xy' },
  },
});
const dir = values['plot-dir'];
if (dir === undefined) throw new Error('--plot-dir DIR is required');
const runs = Number(values.runs);
const reps = Number(values.reps);
const axes = values.axes;

const app = await startServedApp({ dataDir: dir, keepDataDir: true });
const browser = await launchBrowser(defaultChromium());
try {
  const { page } = await coldPage(browser);
  await page.goto(app.url);
  await page.locator('[data-testid="run-row"]').first().waitFor({ timeout: 600_000 });
  await plotAllRuns(page, runs);

  const figures = await page.evaluate(
    async ({ plotSelector, reps, axes }) => {
      type Gd = HTMLElement & {
        data: { y: ArrayLike<number> }[];
        layout: Record<string, Record<string, unknown>>;
        _fullLayout: { xaxis: { range: [number, number] } };
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
        relayout: (gd: HTMLElement, update: Record<string, unknown>) => Promise<void>;
      };
      const [x0, x1] = gd._fullLayout.xaxis.range;
      const span = x1 - x0;
      const base = gd.data;
      const layoutWith = (overflow: string | undefined): Record<string, unknown> => ({
        ...gd.layout,
        xaxis: { ...gd.layout.xaxis, ticklabeloverflow: axes.includes('x') ? overflow : undefined },
        yaxis: { ...gd.layout.yaxis, ticklabeloverflow: axes.includes('y') ? overflow : undefined },
      });
      // Each rep a range and points never drawn before: new tick labels, as a zoom brings.
      const relayout = async (overflow: string | undefined, rep: number): Promise<number> => {
        await Plotly.react(gd, gd.data, layoutWith(overflow));
        const from = x0 + span * (0.3 + rep * 0.003);
        const started = performance.now();
        await Plotly.relayout(gd, { 'xaxis.range': [from, from + span * (0.1 + rep * 0.001)] });
        return performance.now() - started;
      };
      const refine = async (overflow: string | undefined, rep: number): Promise<number> => {
        const data = base.map((trace) => ({
          ...trace,
          y: Float64Array.from(trace.y, (v) => v * (1 + rep * 1e-3)),
        }));
        const started = performance.now();
        await Plotly.react(gd, data, layoutWith(overflow));
        return performance.now() - started;
      };
      const out = {
        relayoutHide: [] as number[],
        relayoutAllow: [] as number[],
        reactHide: [] as number[],
        reactAllow: [] as number[],
      };
      for (let rep = 0; rep < reps; rep++) {
        const allowFirst = rep % 2 === 0;
        for (const allow of allowFirst ? [true, false] : [false, true]) {
          const overflow = allow ? 'allow' : undefined;
          out[allow ? 'relayoutAllow' : 'relayoutHide'].push(
            await relayout(overflow, 2 * rep + (allow ? 0 : 1)),
          );
          out[allow ? 'reactAllow' : 'reactHide'].push(
            await refine(overflow, 2 * rep + (allow ? 0 : 1)),
          );
        }
      }
      return out;
    },
    { plotSelector: PLOT, reps, axes },
  );
  const line = (name: string, samples: number[]): string =>
    `${name}: min ${Math.min(...samples).toFixed(1)} ms, median ${median(samples).toFixed(1)} ms`;
  console.log(
    line(`relayout to a new x range, ${runs} traces, labels checked`, figures.relayoutHide),
  );
  console.log(
    line(`relayout to a new x range, ${runs} traces, 'allow' on ${axes}`, figures.relayoutAllow),
  );
  console.log(
    line(`Plotly.react with new points, ${runs} traces, labels checked`, figures.reactHide),
  );
  console.log(
    line(`Plotly.react with new points, ${runs} traces, 'allow' on ${axes}`, figures.reactAllow),
  );
} finally {
  await browser.close();
  await app.stop();
}
