import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startServedApp, type ServedApp } from '../support/serve-process';
import { openWithFolderSource } from './open-folder-source';

// Issue 13, "zoom on 20 runs": a plot of many runs shares one figure's point budget, so each of
// its 20 lines asks half the points a run plotted alone asks (one a pixel, not two), and a
// one-step spike of one run is still drawn, in the whole range and in a zoom.

const RUNS = 20;
const POINTS = 6000;
const SPIKE_RUN = '7';
const SPIKE_STEP = 4200;
const SPIKE = 50;
const PLOT = '[data-testid="plot-runs-view"] [data-testid="metric-plot"]';

let app: ServedApp;
let folder: string;

/** Sacred's FileStorageObserver folder: every run logs `loss` (0..1) at steps 0..POINTS-1. */
function writeRuns(root: string): void {
  const start = Date.UTC(2026, 0, 5, 9, 0, 0);
  for (let run = 1; run <= RUNS; run++) {
    const dir = path.join(root, String(run));
    mkdirSync(dir, { recursive: true });
    const runStart = start + run * 3_600_000;
    const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '000');
    writeFileSync(
      path.join(dir, 'run.json'),
      JSON.stringify({
        command: 'main',
        experiment: { name: 'many', base_dir: '/lab', dependencies: [], sources: [] },
        heartbeat: iso(runStart + POINTS * 1000),
        meta: { command: 'main', options: {} },
        resources: [],
        artifacts: [],
        result: null,
        start_time: iso(runStart),
        stop_time: iso(runStart + POINTS * 1000),
        status: 'COMPLETED',
      }),
    );
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ seed: run }));
    const steps = Array.from({ length: POINTS }, (_, i) => i);
    const values = steps.map((i) =>
      String(run) === SPIKE_RUN && i === SPIKE_STEP ? SPIKE : (Math.sin(i / 97 + run) + 1) / 2,
    );
    writeFileSync(
      path.join(dir, 'metrics.json'),
      JSON.stringify({
        loss: { steps, values, timestamps: steps.map((i) => iso(runStart + i * 1000)) },
      }),
    );
  }
}

test.beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'altar-e2e-many-'));
  writeRuns(folder);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

/** The maxPoints of every getMetrics request the page sends from now on, in order. */
function recordBudgets(page: Page): { full: number[]; zoom: number[] } {
  const asked = { full: [] as number[], zoom: [] as number[] };
  page.on('request', (request) => {
    if (!request.url().endsWith('/api/getMetrics')) return;
    const body = JSON.parse(request.postData() ?? '{}') as {
      maxPoints: number;
      traces: { xMin?: number }[];
    };
    (body.traces.some((trace) => trace.xMin !== undefined) ? asked.zoom : asked.full).push(
      body.maxPoints,
    );
  });
  return asked;
}

/** What plotly draws: each line's highest y and first x, and the top of the y axis. */
async function drawn(page: Page): Promise<{ peaks: number[]; firstX: number; yTop: number }> {
  return page.locator(PLOT).evaluate((element) => {
    const plot = element as HTMLElement & {
      data: { x: ArrayLike<number>; y: ArrayLike<number> }[];
      _fullLayout: { yaxis: { range: [number, number] } };
    };
    return {
      peaks: plot.data.map((trace) => Math.max(...Array.from(trace.y))),
      firstX: Math.min(...plot.data.map((trace) => trace.x[0] ?? NaN)),
      yTop: plot._fullLayout.yaxis.range[1],
    };
  });
}

test('20 runs share the figure’s points, one a pixel each, and a one-step spike is still drawn', async ({
  page,
}) => {
  await openWithFolderSource(page, app.url, { folder, source: 'many' });
  const asked = recordBudgets(page);

  // One run alone: two points per pixel.
  await page.getByRole('checkbox', { name: 'Select run 1', exact: true }).click();
  await page.getByTestId('plot-selected').click();
  await expect(page.locator(`${PLOT}.drawn .scatterlayer .trace`)).toHaveCount(1);
  expect(asked.full).toHaveLength(1);
  const alone = asked.full[0] as number;
  expect(alone).toBeLessThan(POINTS);

  // All 20: half of that each (within the budget's rounding to hundreds).
  await page.getByRole('button', { name: '← Runs' }).click();
  await page.getByTestId('run-table').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await expect(page.getByTestId('plot-selected')).toHaveText(`Plot ${RUNS} selected`);
  await page.getByTestId('plot-selected').click();
  const frame = page.getByTestId('plot-frame');
  await expect(frame).toHaveAttribute('data-trace-count', String(RUNS));
  await expect(page.locator(`${PLOT}.drawn .scatterlayer .trace`)).toHaveCount(RUNS);
  const many = asked.full.at(-1) as number;
  expect(Math.abs(many - alone / 2)).toBeLessThanOrEqual(100);
  expect(Number(await frame.getAttribute('data-points-shown'))).toBeLessThanOrEqual(RUNS * many);

  // The spike's run draws it and the y axis reaches it; no other line has it.
  const whole = await drawn(page);
  expect(whole.peaks.filter((peak) => peak === SPIKE)).toHaveLength(1);
  expect(whole.yTop).toBeGreaterThanOrEqual(SPIKE);

  // A zoom over the spike asks the same points per trace and still draws it.
  const drag = await page.locator(`${PLOT} .nsewdrag`).first().boundingBox();
  if (drag === null) throw new Error('the plot has no drag layer');
  const y = drag.y + drag.height * 0.5;
  await page.mouse.move(drag.x + drag.width * 0.6, y);
  await page.mouse.down();
  await page.mouse.move(drag.x + drag.width * 0.7, y, { steps: 5 });
  await page.mouse.move(drag.x + drag.width * 0.8, y, { steps: 5 });
  await page.mouse.up();
  await expect(frame).toHaveAttribute('data-requery-count', '1');
  await expect(frame).toHaveAttribute('data-zoomed', 'yes');
  expect(asked.zoom).toEqual([many]);
  // The refined points are drawn once no line starts at the range's start any more.
  await expect.poll(async () => (await drawn(page)).firstX).toBeGreaterThan(POINTS / 2);
  const zoomed = await drawn(page);
  expect(zoomed.peaks.filter((peak) => peak === SPIKE)).toHaveLength(1);
  expect(zoomed.yTop).toBeGreaterThanOrEqual(SPIKE);
});
