import { expect, test, type Page } from '@playwright/test';
import { startSeededMongo, type SeededMongo } from '../support/seeded-mongo-process';
import { startServedApp, type ServedApp } from '../support/serve-process';
import { openRunBySearch } from './open-run';

// Two lab servers with auth, read through a user that has only the `read` role.
let app: ServedApp;
let labA: SeededMongo;
let labB: SeededMongo;

test.beforeAll(async () => {
  [labA, labB] = await Promise.all([
    startSeededMongo(['--runs', '16', '--seed', '3']),
    startSeededMongo(['--runs', '12', '--seed', '9', '--prefix', 'lab']),
  ]);
  app = await startServedApp();
});

test.afterAll(async () => {
  await Promise.all([app?.stop(), labA?.stop(), labB?.stop()]);
});

async function openConnectionForm(page: Page, name: string, port: number, password: string) {
  await page.getByTestId('connect-mongo-button').first().click();
  await page.getByTestId('conn-name-input').fill(name);
  await page.getByTestId('conn-mode-uri').click();
  await page
    .getByTestId('conn-uri-input')
    .fill(`mongodb://reader@127.0.0.1:${port}/?authSource=admin`);
  await page.getByTestId('conn-password-input').fill(password);
}

async function addSource(page: Page, lab: SeededMongo, profile: string, source: string) {
  await openConnectionForm(page, profile, lab.port, 'reader-pw');
  await page.getByTestId('conn-test-button').click();
  await expect(page.getByTestId('conn-test-result')).toContainText('Connected');
  await page.getByTestId('conn-save-button').click();

  const database = page.locator(`[data-testid="db-item"][data-db="${lab.database}"]`);
  const collection = database.locator(
    `[data-testid="db-collection"][data-prefix="${lab.prefix ?? ''}"]`,
  );
  await collection.getByTestId('db-add-source').click();
  await page.getByTestId('source-name-input').fill(source);
  await page.getByTestId('source-add-submit').click();
  await expect(page.getByTestId('mongo-dialog')).toBeHidden();
  await expect(page.locator(`[data-testid="source-item"][data-source="${source}"]`)).toBeVisible();
}

test('a wrong password and a closed port each say what is wrong', async ({ page }) => {
  await page.goto(app.url);
  await openConnectionForm(page, 'bad', labA.port, 'not-the-password');
  await page.getByTestId('conn-test-button').click();
  await expect(page.getByTestId('conn-error')).toContainText(/authentication failed/iu);
  await expect(page.getByTestId('conn-error')).not.toContainText('not-the-password');

  await page.getByTestId('conn-uri-input').fill('mongodb://reader@127.0.0.1:9/?authSource=admin');
  await page.getByTestId('conn-test-button').click();
  await expect(page.getByTestId('conn-error')).toContainText(/refused/iu);
});

test('two databases from two servers side by side: runs, config, plot and artifact', async ({
  page,
}) => {
  await page.goto(app.url);
  await addSource(page, labA, 'lab-a-server', 'lab-a');
  await page.keyboard.press('Escape');
  await addSource(page, labB, 'lab-b-server', 'lab-b');

  // One run list over both sources.
  await page.getByText('All sources').click();
  await expect(page.locator('[data-testid="run-row"][data-source="lab-a"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="run-row"][data-source="lab-b"]').first()).toBeVisible();

  // A run of server A with metrics and a PNG artifact streamed from GridFS.
  const runId = labA.pngRunId;
  expect(runId).not.toBeNull();
  await openRunBySearch(page, runId!, 'lab-a');
  await page.getByTestId('tab-config').click();
  await expect(page.getByTestId('config-tree')).toContainText('seed');
  await page.getByTestId('tab-metrics').click();
  await expect(page.locator('[data-testid="metric-plot"].drawn')).toBeVisible();
  await page.getByTestId('tab-artifacts').click();
  const image = page.getByTestId('artifact-image').first();
  await expect(image).toBeVisible();
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
});
