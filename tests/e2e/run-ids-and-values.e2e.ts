import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import {
  COMMENT_TEXT,
  IDS_IN_ORDER,
  NAN_RUN,
  NOTES_RUN,
  writeIdValueRuns,
} from '../support/id-value-runs';
import { repoRoot, startServedApp, type ServedApp } from '../support/serve-process';
import { waitForRows } from './open-run';

// Issue 10 §4 in the UI: numbered Sacred runs sort 1, 2, …, 10 (text ids after them), a
// lowercase status filters, a metric [NaN, 1.5] is plotted, and "Notes" is the same thing in
// the table, on the run page and for the quick search. The CLI gives the same order.
let app: ServedApp;
let root: string;

test.beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'altar-e2e-ids-'));
  writeIdValueRuns(path.join(root, 'runs'));
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

function header(page: Page, column: string) {
  return page.locator(`[data-testid="column-header"][data-column="${column}"]`);
}

async function shownRunIds(page: Page): Promise<string[]> {
  return page
    .getByTestId('run-row')
    .evaluateAll((rows) =>
      [...rows]
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((row) => row.getAttribute('data-run-id') ?? ''),
    );
}

async function openWithSource(page: Page): Promise<void> {
  await page.goto(app.url);
  const source = page.locator('[data-testid="source-item"][data-source="ids"]');
  await expect(source.or(page.locator('.start-screen'))).toBeVisible();
  if (!(await source.isVisible())) {
    await page.getByTestId('add-folder-button').first().click();
    await page.getByTestId('folder-path-input').fill(path.join(root, 'runs'));
    await page.getByTestId('folder-name-input').fill('ids');
    await page.getByTestId('folder-submit').click();
    await expect(source).toBeVisible();
  }
  await expect(source.getByTestId('sync-cancel')).toHaveCount(0);
  await expect(page.getByTestId('run-count')).toHaveText(`${IDS_IN_ORDER.length} runs`);
}

async function applyFilter(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('filter-input');
  await input.fill(text);
  await input.press('Enter');
}

test('ids sort as numbers and a lowercase status filters, as in the CLI', async ({ page }) => {
  await openWithSource(page);

  await header(page, 'id').getByTestId('column-sort').click();
  await expect(header(page, 'id')).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => shownRunIds(page)).toEqual(IDS_IN_ORDER);
  await header(page, 'id').getByTestId('column-sort').click();
  await expect(header(page, 'id')).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => shownRunIds(page)).toEqual([...IDS_IN_ORDER].reverse());

  const cli = (...args: string[]): string =>
    execFileSync(
      process.execPath,
      [path.join(repoRoot, 'dist/cli.mjs'), '--data-dir', app.dataDir, 'runs', ...args],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CI: '1' } },
    );
  const fromCli = cli('--sort', 'id', '--desc', '--columns', 'id', '--format', 'csv')
    .split('\r\n')
    .filter((line) => line !== '')
    .slice(1);
  expect(fromCli).toEqual([...IDS_IN_ORDER].reverse());

  await applyFilter(page, 'id > 10');
  await expect.poll(() => shownRunIds(page)).toEqual(['12', '11']);

  await applyFilter(page, 'status = completed');
  await expect(page.getByTestId('run-count')).toContainText(`11 of ${IDS_IN_ORDER.length} runs`);
  // A read of the rows is only this filter's once the table is no longer busy.
  await waitForRows(page);
  expect(await shownRunIds(page)).not.toContain('2');

  // A status no run can have is refused with the valid ones, not answered with 0 runs.
  await applyFilter(page, 'status = complete');
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('unknown status "complete"');
  await expect(banner).toContainText('COMPLETED');
});

test('a metric [NaN, 1.5] is plotted and says what it left out', async ({ page }) => {
  await openWithSource(page);
  await applyFilter(page, '');
  await page.locator(`[data-testid="run-row"][data-run-id="${NAN_RUN}"]`).click();
  await expect(page.getByTestId('run-detail')).toBeVisible();
  await page.getByTestId('tab-metrics').click();
  const boxes = page.getByTestId('plot-metrics').locator('input[type="checkbox"]');
  for (const box of await boxes.all()) {
    const name = await box.getAttribute('data-metric');
    if (name === 'loss') await box.check();
    else await box.uncheck();
  }
  const frame = page.getByTestId('plot-frame');
  await expect(frame).toHaveAttribute('data-trace-count', '1');
  await expect(frame).toHaveAttribute('data-points-not-finite', '1');
  await expect(page.locator('.plot-status')).toContainText('1 NaN/inf point not drawn');
  const plot = page.getByTestId('metric-plot');
  // Plotly is a lazy chunk: its first load can take a while on a busy machine.
  await expect(plot).toHaveClass(/drawn/u, { timeout: 60_000 });
  // The finite point has no neighbour to draw a line to: it is drawn as a marker.
  await expect(plot.locator('.scatterlayer .trace')).toHaveCount(1);
  await expect(plot.locator('.scatterlayer .trace .points path.point')).toHaveCount(1);
});

test('Notes are the same in the table, on the run page and for the quick search', async ({
  page,
}) => {
  await openWithSource(page);
  await applyFilter(page, '');
  await page.getByTestId('column-picker-button').click();
  await page.getByTestId('column-picker-search').fill('notes');
  // Until the catalog comes the picker offers an "Add …" button that the list replaces:
  // a click then could land on either.
  await expect(page.getByText('Reading the columns…')).toHaveCount(0);
  await page.locator('[data-testid="column-option"][data-column="notes"]').click();
  await page.keyboard.press('Escape');
  await expect(header(page, 'notes')).toBeVisible();
  const columns = await page
    .getByTestId('column-header')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-column') ?? ''));
  const row = page.locator(`[data-testid="run-row"][data-run-id="${NOTES_RUN}"]`);
  // +1: the checkbox column comes first.
  await expect(row.getByRole('gridcell').nth(columns.indexOf('notes') + 1)).toHaveText(
    COMMENT_TEXT,
  );

  await row.click();
  await expect(page.getByTestId('overview-notes')).toHaveText(COMMENT_TEXT);
  await page.getByRole('button', { name: '← Runs' }).click();

  // The quick search finds the notes and info.notes (an info key, shown in the Info tab).
  for (const needle of ['big node', 'zebra']) {
    await page.getByTestId('quick-filter').fill(needle);
    await expect(page.getByTestId('run-count')).toContainText(`1 of ${IDS_IN_ORDER.length} runs`);
    await expect.poll(() => shownRunIds(page)).toEqual([NOTES_RUN]);
  }
});
