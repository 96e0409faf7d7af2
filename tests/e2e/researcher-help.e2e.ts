import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startServedApp, type ServedApp } from '../support/serve-process';
import { openWithFolderSource } from './open-folder-source';

// Issue 14, items 2 (the default table shows what varies), 3 (the filter box helps),
// 5 (parallel coordinates readable) and 6 (runs named by what differs, stable colours,
// log y and smoothing remembered per metric).

const SOURCE = 'sweep';
const RUNS = 12;
let app: ServedApp;
let folder: string;

/** Run i (1-based): tau by thirds, N alternating in pairs, a random-looking seed each. */
function configOf(i: number): { tau: number; N: number; lr: number; seed: number } {
  const k = i - 1;
  return {
    tau: [0.5, 1, 2][Math.floor(k / 4)] as number,
    N: [100, 1000][Math.floor(k / 2) % 2] as number,
    lr: 0.01,
    seed: 7919 * i + 104729,
  };
}

/** A Sacred FileStorageObserver folder of a tau × N sweep, run 12 FAILED, the rest COMPLETED. */
function writeSweep(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'altar-e2e-sweep-'));
  for (let i = 1; i <= RUNS; i++) {
    const runDir = path.join(dir, String(i));
    mkdirSync(runDir);
    const config = configOf(i);
    const start = Date.UTC(2026, 10, 1, 10, i);
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '');
    writeFileSync(
      path.join(runDir, 'run.json'),
      JSON.stringify({
        artifacts: [],
        command: 'main',
        experiment: {
          base_dir: '/home/alice/exp',
          dependencies: [],
          mainfile: 'sweep.py',
          name: 'sweep_exp',
          repositories: [],
          sources: [],
        },
        heartbeat: iso(start + 60_000),
        host: { hostname: 'lab1', os: ['Linux', 'Linux'], python_version: '3.11.2', cpu: 'x' },
        meta: { command: 'main', options: {} },
        resources: [],
        result: null,
        start_time: iso(start),
        status: i === RUNS ? 'FAILED' : 'COMPLETED',
        stop_time: iso(start + 60_000),
      }),
    );
    writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(config));
    writeFileSync(path.join(runDir, 'info.json'), '{}');
    writeFileSync(path.join(runDir, 'cout.txt'), '');
    const steps = [0, 1, 2, 3, 4];
    const timestamps = steps.map((s) => iso(start + s * 1000));
    writeFileSync(
      path.join(runDir, 'metrics.json'),
      JSON.stringify({
        'train.loss': {
          steps,
          timestamps,
          values: steps.map((s) => (config.tau * 10) / (s + 1)),
        },
        acc: { steps, timestamps, values: steps.map((s) => s / 10 + config.N / 10_000) },
      }),
    );
  }
  return dir;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  folder = writeSweep();
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** The app with the sweep as its source, every run listed. */
async function open(page: Page): Promise<void> {
  await openWithFolderSource(page, app.url, { folder, source: SOURCE });
  await expect(page.getByTestId('run-count')).toHaveText(`${RUNS} runs`);
}

async function headers(page: Page): Promise<string[]> {
  return page
    .getByTestId('column-header')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-column') ?? ''));
}

function row(page: Page, id: number) {
  return page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
}

async function clearSelection(page: Page): Promise<void> {
  const checked = page.getByRole('checkbox', { name: /^Select run /u, checked: true });
  while ((await checked.count()) > 0) await checked.first().click();
  await expect(page.getByTestId('run-count')).toHaveText(`${RUNS} runs`);
}

/** Ticks exactly these metrics of a plot. */
async function plotMetrics(page: Page, names: string[]): Promise<void> {
  for (const name of names) await page.locator(`input[data-metric="${name}"]`).check();
  for (const name of ['train.loss', 'acc']) {
    if (!names.includes(name)) await page.locator(`input[data-metric="${name}"]`).uncheck();
  }
}

async function selectRuns(page: Page, ids: number[]): Promise<void> {
  for (const id of ids) {
    await page.getByRole('checkbox', { name: `Select run ${id}`, exact: true }).click();
  }
  await expect(page.getByTestId('run-count')).toContainText(`${ids.length} selected`);
}

test('without a view of their own the table shows the swept keys and the shared metrics', async ({
  page,
}) => {
  await open(page);
  // tau (3 values) before N (2); lr is the same in every run, seed new in every run.
  await expect.poll(() => headers(page)).toContain('config.tau');
  const shown = await headers(page);
  expect(shown.indexOf('config.tau')).toBeLessThan(shown.indexOf('config.N'));
  expect(shown).toContain('metrics."train.loss".last');
  expect(shown).toContain('metrics.acc.last');
  expect(shown).not.toContain('config.lr');
  expect(shown).not.toContain('config.seed');
  // The cells show each run's values: run 9 is tau=2, N=100 (tau has 0.5 among its values, so
  // the whole column is written with one decimal).
  const tauColumn = shown.indexOf('config.tau');
  await expect(
    row(page, 9)
      .getByRole('gridcell')
      .nth(tauColumn + 1),
  ).toHaveText('2.0');

  // The user's own columns replace the automatic ones, also after a reload.
  const tauHeader = page.locator('[data-testid="column-header"][data-column="config.tau"]');
  await tauHeader.hover();
  await tauHeader.getByRole('button', { name: 'Filter and options for tau' }).click();
  await page.getByTestId('column-remove').click();
  await expect.poll(() => headers(page)).not.toContain('config.tau');
  expect(await headers(page)).toContain('config.N');
  await page.getByTestId('view-save').click();
  await expect(page.getByTestId('view-save')).toBeDisabled();
  await page.reload();
  await expect(page.getByTestId('run-count')).toHaveText(`${RUNS} runs`);
  await expect.poll(() => headers(page)).toContain('config.N');
  expect(await headers(page)).not.toContain('config.tau');
});

test('the filter box suggests columns, operators and values, and offers the fix', async ({
  page,
}) => {
  await open(page);
  const filter = page.getByTestId('filter-input');
  const list = page.getByRole('listbox', { name: 'Suggestions' });
  const options = list.getByRole('option');
  const option = (text: string) =>
    list
      .getByRole('option')
      .filter({ has: page.locator('code', { hasText: new RegExp(`^${text}$`, 'u') }) });

  // A key after the root: "tau" offers config.tau, with its values counted.
  await filter.click();
  await filter.pressSequentially('tau');
  await expect(options.first()).toContainText('config.tau');
  await expect(options.first()).toContainText('3 values');
  await filter.press('ArrowDown');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await filter.press('Enter');
  await expect(filter).toHaveValue('config.tau ');
  // Operators for a number, then its values from the runs.
  await expect(option('>=')).toBeVisible();
  await filter.pressSequentially('> ');
  await expect(option('2')).toBeVisible();
  await expect(option('0\\.5')).toContainText('4 runs');
  // Escape closes the list and keeps the text.
  await filter.press('Escape');
  await expect(list).toBeHidden();
  await expect(filter).toHaveValue('config.tau > ');

  // Statuses are offered as values; Tab takes the first.
  await filter.pressSequentially('1 and status = comp');
  await expect(options.first()).toHaveText(/COMPLETED/u);
  await filter.press('Tab');
  await expect(filter).toHaveValue('config.tau > 1 and status = COMPLETED ');
  await expect(filter).toBeFocused();
  await filter.press('Enter');
  await expect(list).toBeHidden();
  await expect(page.getByTestId('run-count')).toHaveText(`3 of ${RUNS} runs`);

  // A bare key: the error offers config.tau, one click applies it.
  await filter.fill('tau > 1');
  const error = page.getByTestId('filter-error');
  await expect(error).toContainText('unknown column "tau"');
  await expect(page.getByTestId('filter-fix')).toHaveText('did you mean config.tau?');
  await page.getByTestId('filter-fix').click();
  await expect(filter).toHaveValue('config.tau > 1');
  await expect(error).toBeHidden();
  await filter.press('Enter');
  await expect(page.getByTestId('run-count')).toHaveText(`4 of ${RUNS} runs`);

  // A metric name with a dot is quoted.
  await filter.fill('metrics.train.loss.last < 1.5');
  await expect(page.getByTestId('filter-fix')).toHaveText(
    'did you mean metrics."train.loss".last?',
  );
  await page.getByTestId('filter-fix').click();
  await expect(filter).toHaveValue('metrics."train.loss".last < 1.5');
  await filter.press('Enter');
  // train.loss ends at tau*10/5 = 2*tau: below 1.5 only for tau=0.5.
  await expect(page.getByTestId('run-count')).toHaveText(`4 of ${RUNS} runs`);
  await filter.fill('');
  await filter.press('Enter');
  await expect(page.getByTestId('run-count')).toHaveText(`${RUNS} runs`);
});

test('parallel coordinates fill the panel, axes are the swept keys, lines coloured by a metric', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  await page.getByTestId('select-all').click();
  await page.getByTestId('compare-selected').click();
  const view = page.getByTestId('compare-view');
  await view.getByTestId('compare-tab-parcoords').click();
  const svg = view.locator('svg.parcoords');
  await expect(svg).toBeVisible();
  await view.getByTestId('compare-metric').selectOption('train.loss');

  // The swept keys and the metric are the axes; not the seed, not the constant lr.
  const axes = await svg
    .locator('[data-axis]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-axis')));
  expect(axes).toEqual(['tau', 'N', 'train.loss (last)']);

  // Drawn at the panel's size, not scaled: a 12 px label is 12 px on screen.
  const frame = await view.getByTestId('parcoords-frame').boundingBox();
  const drawn = await svg.boundingBox();
  expect(frame).not.toBeNull();
  expect(drawn).not.toBeNull();
  expect(drawn?.width).toBeGreaterThan(900);
  expect(Math.abs((drawn?.width ?? 0) - (frame?.width ?? 0))).toBeLessThan(2);
  const labelHeight = await svg
    .locator('.pc-label')
    .first()
    .evaluate((el) => (el as SVGGraphicsElement).getBoundingClientRect().height);
  expect(labelHeight).toBeGreaterThanOrEqual(12);

  // Coloured by train.loss (last) on a scale: the legend says the range, lines differ by value.
  const legend = view.getByTestId('parcoords-legend');
  await expect(legend).toContainText('train.loss (last)');
  await expect(view.getByTestId('parcoords-legend-low')).toHaveText('1');
  await expect(view.getByTestId('parcoords-legend-high')).toHaveText('4');
  const colourOf = async (index: number) =>
    svg.locator(`path[data-run-index="${index}"]`).getAttribute('data-colour');
  // Runs 1 and 2 share tau (same loss, same colour); run 9 has another.
  expect(await colourOf(0)).toBe(await colourOf(1));
  expect(await colourOf(0)).not.toBe(await colourOf(8));

  // The window narrows: the drawing follows.
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect
    .poll(async () => (await svg.boundingBox())?.width ?? 0)
    .toBeLessThan(drawn?.width ?? 0);

  // Coloured by run instead: no legend.
  await view.getByTestId('parcoords-colour-by').selectOption('run');
  await expect(legend).toBeHidden();
  await view.getByRole('button', { name: '← Runs' }).click();
  await page.setViewportSize({ width: 1440, height: 900 });
});

test('plots name runs by what differs, keep their colours, and remember log y per metric', async ({
  page,
}) => {
  await open(page);
  await page.evaluate(() => localStorage.clear());
  await selectRuns(page, [1, 12]);
  await page.getByTestId('plot-selected').click();
  const plot = page.getByTestId('plot-runs-view');
  const runsList = plot.getByTestId('plot-runs');
  await plotMetrics(page, ['train.loss']);
  await expect(runsList).toContainText('tau=0.5 N=100');
  await expect(runsList).toContainText('tau=2 N=1000');
  await expect(plot.locator('.js-plotly-plot.drawn .legendtext')).toHaveCount(2, {
    timeout: 30_000,
  });
  const legend = await plot.locator('.legendtext').allTextContents();
  expect(legend.sort()).toEqual(['tau=0.5 N=100 · train.loss', 'tau=2 N=1000 · train.loss']);
  const swatchOf = (id: number) =>
    runsList
      .locator('label', { has: page.locator(`input[data-run="${id}"]`) })
      .getByTestId('run-colour');
  const colour12 = await swatchOf(12).getAttribute('data-colour');
  expect(colour12).toMatch(/^#[0-9a-f]{6}$/u);

  // Log y on for train.loss is remembered for the next plot of train.loss.
  const logY = plot.getByRole('checkbox', { name: 'log y' });
  await expect(logY).not.toBeChecked();
  await logY.check();
  await plot.getByRole('button', { name: '← Runs' }).click();

  await clearSelection(page);
  await selectRuns(page, [3, 5, 12]);
  await page.getByTestId('plot-selected').click();
  await expect(plot.getByTestId('plot-runs')).toContainText('tau=2 N=1000');
  // Run 12 keeps its colour in another plot with other runs.
  await expect(swatchOf(12)).toHaveAttribute('data-colour', colour12 ?? '');
  await plotMetrics(page, ['train.loss']);
  await expect(logY).toBeChecked();
  // Another metric was never set: linear; back to train.loss: log again.
  await plotMetrics(page, ['acc']);
  await expect(logY).not.toBeChecked();
  await plotMetrics(page, ['train.loss']);
  await expect(logY).toBeChecked();
  await plot.getByRole('button', { name: '← Runs' }).click();

  // Compare shows the same runs in the same colours.
  await page.getByTestId('compare-selected').click();
  const compared = page.getByTestId('compare-view');
  await expect(compared.getByTestId('compare-run')).toHaveCount(3);
  await expect(
    compared
      .locator('[data-testid="compare-run"][data-run-id="12"]')
      .getByTestId('compare-run-colour'),
  ).toHaveAttribute('data-colour', colour12 ?? '');
  await compared.getByRole('button', { name: '← Runs' }).click();

  // The add-runs picker of a run's metrics names runs the same way.
  await clearSelection(page);
  await row(page, 1).click();
  await page.getByTestId('tab-metrics').click();
  await page.getByTestId('plot-add-runs').click();
  const picker = page.getByTestId('run-picker');
  await expect(
    picker.locator('label', { has: page.locator('input[data-pick-run="12"]') }),
  ).toContainText('tau=2 N=1000');
  await expect(
    picker.locator('label', { has: page.locator('input[data-pick-run="2"]') }),
  ).toContainText('tau=0.5 N=100 #2');
});
