/**
 * bench:ui's plot session alone (tests/bench/ui-bench-plot-session.ts), a few rounds on a kept
 * plot cache: the 20-run zoom's mouse-up → refined beside its baselines, for work on that row.
 * Needs `npm run build`.
 *   npx tsx tests/bench/ui-bench-zoom.ts --plot-dir DIR [--runs 20] [--points 1000000]
 *     [--rounds 3]
 * DIR is written (runs × points of the loss metric) when it holds no cache yet.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultChromium } from './renderer-memory-bench';
import { launchBrowser } from './ui-bench-page';
import { runPlotSession, writePlotData } from './ui-bench-plot-session';

const { values } = parseArgs({
  options: {
    'plot-dir': { type: 'string' },
    runs: { type: 'string', default: '20' },
    points: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
  },
});
const dir = values['plot-dir'];
if (dir === undefined) throw new Error('--plot-dir DIR is required');
const runs = Number(values.runs);
if (!existsSync(path.join(dir, 'cache.sqlite'))) writePlotData(dir, runs, Number(values.points));

const ms = (value: number): string => `${value.toFixed(0)} ms`;
const browser = await launchBrowser(defaultChromium());
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    const s = await runPlotSession(browser, dir, runs, 1500);
    console.log(
      `round ${round}: ${runs}-run zoom refined ${ms(s.zoomAllRefinedMs)} (shown ` +
        `${ms(s.zoomAllShownMs)}; full-resolution range ${ms(s.zoomAllFullRangeMs)}), ` +
        `1-run zoom shown ${ms(s.zoomOneShownMs)} refined ${ms(s.zoomOneRefinedMs)} ` +
        `(local relayout ${ms(s.localRelayoutMs)}), plot ${runs} ${ms(s.allPlotMs)}, ` +
        `first plot ${ms(s.firstPlotMs)}`,
    );
  }
} finally {
  await browser.close();
}
