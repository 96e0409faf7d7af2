import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';
import { openRow, openRunBySearch, searchRuns } from './open-run';
import { runFolders } from './run-folders';

let app: ServedApp;
let folder: string;

/** A COMPLETED run of the generated folder that stored a PNG artifact. */
function completedRunWithPng(dir: string): string {
  for (const id of runFolders(dir)) {
    const runJson = path.join(dir, id, 'run.json');
    if (!existsSync(runJson)) continue;
    try {
      const run = JSON.parse(readFileSync(runJson, 'utf8')) as {
        status?: string;
        artifacts?: string[];
      };
      if (run.status === 'COMPLETED' && run.artifacts?.some((name) => name.endsWith('.png'))) {
        return id;
      }
    } catch {
      // broken variants are expected in the generated folder
    }
  }
  throw new Error('the generated folder has no completed run with a PNG artifact');
}

/** A source of the test's own on the generated folder, added and synced through the API. */
async function addOwnSource(page: Page, name: string): Promise<void> {
  await page.goto(app.url);
  for (const [method, args] of [
    ['addFolderSource', { name, path: folder }],
    ['syncSources', { names: [name] }],
  ] as const) {
    const response = await page.request.post(`${app.origin}/api/${method}`, { data: args });
    expect(response.ok(), method).toBe(true);
  }
  await page.reload();
}

test.beforeAll(async () => {
  folder = writeGeneratedFolder('folder', 30, 11);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('the page and the API refuse requests without the token', async ({ request }) => {
  const page = await request.get(`${app.origin}/`, { maxRedirects: 0 });
  expect(page.status()).toBe(401);
  const api = await request.post(`${app.origin}/api/listSources`, { data: {} });
  expect(api.status()).toBe(401);
});

test('add a generated folder through the UI, open a run, see config, plot and image', async ({
  page,
}) => {
  await page.goto(app.url);
  // The token leaves the address bar once the session cookie is set.
  await expect(page).not.toHaveURL(/token=/u);

  await page.getByTestId('add-folder-button').first().click();
  await page.getByTestId('folder-path-input').fill(folder);
  await page.getByTestId('folder-name-input').fill('lab-runs');
  await page.getByTestId('folder-submit').click();

  const source = page.locator('[data-testid="source-item"][data-source="lab-runs"]');
  await expect(source).toBeVisible();
  // Adding a folder syncs it; run rows appear once the cache holds them. Only this test's
  // source is looked at: the others' sources hold the same run ids.
  const rows = page.locator('[data-testid="run-row"][data-source="lab-runs"]');
  await expect(rows.first()).toBeVisible();

  // Find a completed run with metrics and a PNG artifact through the quick filter, then open it.
  const runId = completedRunWithPng(folder);
  await openRunBySearch(page, runId);
  const detail = page.getByTestId('run-detail');
  await expect(detail).toBeVisible();

  await page.getByTestId('tab-config').click();
  await expect(page.getByTestId('config-tree')).toContainText('seed');

  await page.getByTestId('tab-metrics').click();
  const plot = page.getByTestId('metric-plot');
  await expect(plot).toBeVisible();
  await expect(plot.locator('.scatterlayer .trace').first()).toBeAttached();

  await page.getByTestId('tab-artifacts').click();
  const image = page.getByTestId('artifact-image').first();
  await expect(image).toBeVisible();
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
});

test('a broken run shows why it could not be read', async ({ page }) => {
  await addOwnSource(page, 'broken-runs');
  // Unreadable runs have no start time and sort last: filter for them rather than scroll.
  await searchRuns(page, 'UNREADABLE');
  const broken = page.locator('[data-testid="run-row"]', { hasText: 'UNREADABLE' }).first();
  await expect(broken).toBeVisible();
  await openRow(page, broken);
  await expect(page.getByTestId('run-detail')).toContainText(/run\.json/u);
});

test('plot the metrics of several selected runs together', async ({ page }) => {
  await addOwnSource(page, 'plot-runs');
  // The search applies after a short pause and replaces the rows (and the selection): wait
  // until the table holds the searched rows before selecting.
  await searchRuns(page, 'COMPLETED');
  // Other tests' sources hold the same run ids: only this test's source is used.
  const rows = page.locator('[data-testid="run-row"][data-source="plot-runs"]');
  await expect(rows.nth(2)).toBeVisible();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await rows.nth(i).getAttribute('data-run-id')) ?? '');
  // Ctrl-click selects without opening the run.
  for (const id of ids) {
    await rows.and(page.locator(`[data-run-id="${id}"]`)).click({
      modifiers: ['Control'],
    });
  }
  await expect(page.getByTestId('plot-selected')).toBeEnabled();
  await page.getByTestId('plot-selected').click();
  const view = page.getByTestId('plot-runs-view');
  await expect(view).toBeVisible();
  await expect(view.locator('[data-testid="metric-plot"].drawn')).toBeVisible();
  await expect(view.locator('.scatterlayer .trace').first()).toBeAttached();
});
