import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';
import { openRow, waitForRows } from './open-run';

// Issue 14 item 4: every screen has its own address in the browser; Back and Forward move
// between screens; a copied address opens the same screen, and never carries the token.

let app: ServedApp;
let folder: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  folder = writeGeneratedFolder('addresses', 8, 21);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

function token(): string {
  return new URL(app.url).searchParams.get('token') ?? '';
}

/** What the address bar shows, as path + query (decoded the way a user reads it). */
function address(page: Page): { path: string; params: URLSearchParams; href: string } {
  const url = new URL(page.url());
  return { path: decodeURIComponent(url.pathname), params: url.searchParams, href: url.href };
}

async function openApp(page: Page): Promise<void> {
  await page.goto(app.url);
  const source = page.locator('[data-testid="source-item"][data-source="addr"]');
  await expect(source.or(page.locator('.start-screen'))).toBeVisible();
  if (!(await source.isVisible())) {
    await page.getByTestId('add-folder-button').first().click();
    await page.getByTestId('folder-path-input').fill(folder);
    await page.getByTestId('folder-name-input').fill('addr');
    await page.getByTestId('folder-submit').click();
    await expect(source).toBeVisible();
    await expect(source.getByTestId('sync-cancel')).toHaveCount(0);
  }
  await expect(page.getByTestId('run-row').first()).toBeVisible();
}

function header(page: Page, column: string) {
  return page.locator(`[data-testid="column-header"][data-column="${column}"]`);
}

test('the table, a run and its tab have addresses; Back and Forward move between them', async ({
  page,
}) => {
  await openApp(page);
  expect(page.url()).not.toContain(token());

  await page.getByTestId('filter-input').fill('id <= 5');
  await page.getByTestId('filter-input').press('Enter');
  await expect(page.getByTestId('run-count')).toHaveText(/^5 of \d+ runs/u);
  await header(page, 'id').getByTestId('column-sort').click();
  await header(page, 'id').getByTestId('column-sort').click();
  await expect(header(page, 'id')).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => address(page).params.getAll('sort')).toEqual(['-id']);
  expect(address(page).path).toBe('/runs');
  expect(address(page).params.get('filter')).toBe('id <= 5');
  const tableHref = address(page).href;

  // The first row is run 5 (sorted by id, descending): open it, then its Output tab.
  // Until the table holds the sorted rows, the first one may be run 5 of another order.
  await waitForRows(page);
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-run-id', '5');
  expect(await openRow(page, page.getByTestId('run-row').first())).toBe('5');
  await expect.poll(() => address(page).path).toBe('/runs/addr/5');
  await page.getByTestId('tab-output').click();
  await expect.poll(() => address(page).path).toBe('/runs/addr/5/output');

  await page.goBack();
  await expect(page.getByTestId('run-detail')).toHaveCount(0);
  await expect(page.getByTestId('filter-input')).toHaveValue('id <= 5');
  await expect(page.getByTestId('run-count')).toHaveText(/^5 of \d+ runs/u);
  expect(address(page).href).toBe(tableHref);

  await page.goForward();
  await expect(page.getByTestId('run-detail')).toBeVisible();
  await expect(page.getByTestId('tab-output')).toHaveAttribute('aria-selected', 'true');

  // "← Runs" goes back to the table as it was.
  await page.getByRole('button', { name: '← Runs' }).click();
  await expect(page.getByTestId('filter-input')).toHaveValue('id <= 5');
  expect(address(page).href).toBe(tableHref);
});

test('a copied address opens the same screen in a new tab', async ({ page, context }) => {
  await openApp(page);
  const runAddress = new URL('/runs/addr/3/output', app.origin).href;
  const tableAddress = new URL('/runs?filter=id+%3C%3D+3&sort=-id', app.origin).href;

  const tab = await context.newPage();
  await tab.goto(runAddress);
  await expect(tab.getByTestId('run-detail')).toHaveAttribute('aria-label', 'Run 3');
  await expect(tab.getByTestId('tab-output')).toHaveAttribute('aria-selected', 'true');

  await tab.goto(tableAddress);
  await expect(tab.getByTestId('filter-input')).toHaveValue('id <= 3');
  await expect(tab.getByTestId('run-count')).toHaveText(/^3 of \d+ runs/u);
  await expect(tab.getByTestId('run-row').first()).toHaveAttribute('data-run-id', '3');
  await expect(header(tab, 'id')).toHaveAttribute('aria-sort', 'descending');
  await tab.close();
});

test('a plot and a compare of selected runs have addresses that reopen them', async ({ page }) => {
  await openApp(page);
  for (const id of ['1', '2']) {
    await page.getByRole('checkbox', { name: `Select run ${id}`, exact: true }).click();
  }
  await page.getByTestId('plot-selected').click();
  await expect(page.getByTestId('plot-runs-view')).toContainText('Plot of 2 runs');
  expect(address(page).path).toBe('/plot');
  expect(address(page).params.getAll('run').sort()).toEqual(['addr/1', 'addr/2']);
  await page.reload();
  await expect(page.getByTestId('plot-runs-view')).toContainText('Plot of 2 runs');

  await page.goBack();
  await expect(page.getByTestId('run-list')).toBeVisible();
  await expect(page.getByTestId('plot-runs-view')).toHaveCount(0);
  // The reload started a new page: the selection was not kept, the address was.
  for (const id of ['1', '2']) {
    await page.getByRole('checkbox', { name: `Select run ${id}`, exact: true }).click();
  }
  await page.getByTestId('compare-selected').click();
  await expect(page.getByTestId('compare-run')).toHaveCount(2);
  expect(address(page).path).toBe('/compare');
  await page.reload();
  await expect(page.getByTestId('compare-run')).toHaveCount(2);
});

test('a screen address without the sign-in cookie asks for the token, and shows no data', async ({
  browser,
}) => {
  const stranger = await browser.newContext();
  const page = await stranger.newPage();
  const reply = await page.goto(new URL('/runs/addr/3', app.origin).href);
  expect(reply?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('access token');
  await stranger.close();
});
