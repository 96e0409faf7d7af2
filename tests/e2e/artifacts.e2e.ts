import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';
import { openRunBySearch } from './open-run';
import { runFolders } from './run-folders';

let app: ServedApp;
let folder: string;
let richRun: string;
const htmlRun = '9001';

interface RunJson {
  status?: string;
  artifacts?: string[];
}

function readRun(id: string): RunJson | null {
  const runJson = path.join(folder, id, 'run.json');
  if (!existsSync(runJson)) return null;
  try {
    return JSON.parse(readFileSync(runJson, 'utf8')) as RunJson;
  } catch {
    return null; // broken variants are expected in the generated folder
  }
}

/** A run of the generated folder with a PNG, a .txt and a .json artifact. */
function runWithEveryKind(): string {
  for (const id of runFolders(folder)) {
    const names = readRun(id)?.artifacts ?? [];
    if (['.png', '.txt', '.json'].every((ext) => names.some((name) => name.endsWith(ext)))) {
      return id;
    }
  }
  throw new Error('the generated folder has no run with PNG, TXT and JSON artifacts');
}

test.beforeAll(async () => {
  folder = writeGeneratedFolder('artifacts', 40, 11);
  richRun = runWithEveryKind();
  // A run whose HTML artifact tries to reach the app, and a CSV to sort.
  const run = readRun(richRun) ?? {};
  mkdirSync(path.join(folder, htmlRun));
  writeFileSync(
    path.join(folder, htmlRun, 'run.json'),
    JSON.stringify({ ...run, artifacts: ['report.html', 'table.csv'] }),
  );
  writeFileSync(
    path.join(folder, htmlRun, 'report.html'),
    "<!doctype html><h1 id='h'>Report</h1><script>parent.document.title='pwned';document.getElementById('h').textContent='ran'</script>",
  );
  writeFileSync(path.join(folder, htmlRun, 'table.csv'), 'name,loss\na,0.5\nb,0.125\nc,2\n');
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function openRun(page: Page, id: string): Promise<void> {
  await openRunBySearch(page, id);
  await page.getByTestId('tab-artifacts').click();
}

test.describe.configure({ mode: 'serial' });

test('preview image, text and JSON, download the zip, open the gallery', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('add-folder-button').first().click();
  await page.getByTestId('folder-path-input').fill(folder);
  await page.getByTestId('folder-name-input').fill('art');
  await page.getByTestId('folder-submit').click();
  await expect(page.getByTestId('run-row').first()).toBeVisible();
  await openRun(page, richRun);

  const item = (suffix: string) =>
    page.getByTestId('artifact-item').filter({ hasText: new RegExp(`\\${suffix}`, 'u') });
  await item('.png').click();
  const image = page.getByTestId('artifact-image');
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);

  await item('.txt').click();
  await expect(page.locator('.artifact-text')).toContainText('params:');

  await item('.json').click();
  const json = page.locator('.artifact-text');
  await expect(json).toContainText('acc');
  await expect(json.locator('.hljs-attr').first()).toBeVisible();

  const zipUrl = await page.getByTestId('artifacts-zip').getAttribute('href');
  expect(zipUrl).toBeTruthy();
  const zip = await page.request.get(new URL(zipUrl ?? '', app.origin).toString());
  expect(zip.status()).toBe(200);
  expect(zip.headers()['content-type']).toBe('application/zip');
  const bytes = await zip.body();
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

  await item('.png').click();
  await page.getByTestId('artifact-gallery-button').click();
  const gallery = page.getByTestId('artifact-gallery');
  await expect(gallery).toBeVisible();
  const images = gallery.getByTestId('gallery-image');
  await expect.poll(() => images.count()).toBeGreaterThanOrEqual(2);
  for (const index of [0, 1]) {
    const img = images.nth(index);
    await img.scrollIntoViewIfNeeded();
    await expect
      .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
      .toBeGreaterThan(0);
  }
});

test('an HTML artifact shows without running script; a CSV sorts', async ({ page }) => {
  await page.goto(app.url);
  const title = await page.title();
  await openRun(page, htmlRun);

  await page.getByTestId('artifact-item').filter({ hasText: 'report.html' }).click();
  const frame = page.frameLocator('[data-testid="artifact-html"]');
  await expect(frame.locator('#h')).toHaveText('Report');
  expect(await page.title()).toBe(title);
  expect(await page.title()).not.toBe('pwned');

  await page.getByTestId('artifact-item').filter({ hasText: 'table.csv' }).click();
  const table = page.getByTestId('csv-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await table.getByRole('button', { name: /loss/u }).click();
  await expect(table.locator('tbody tr').first()).toContainText('0.125');
  await table.getByRole('button', { name: /loss/u }).click();
  await expect(table.locator('tbody tr').first()).toContainText('2');
});
