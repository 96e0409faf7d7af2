import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';
import { openRow } from './open-run';

// Issue 12's desktop habits as far as the browser door shows them: the source menu's
// "Notify when running runs finish" (a per-source setting the desktop app acts on) and a run's
// "Copy link" (here the run's address, without the token; in the desktop app a deep link).

let app: ServedApp;
let folder: string;

test.beforeAll(async () => {
  folder = writeGeneratedFolder('desktop-habits', 4, 5);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a source can ask for notifications, and a run gives its link', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(app.url);
  await page.getByTestId('add-folder-button').first().click();
  await page.getByTestId('folder-path-input').fill(folder);
  await page.getByTestId('folder-name-input').fill('habits');
  await page.getByTestId('folder-submit').click();
  const source = page.locator('[data-testid="source-item"][data-source="habits"]');
  await expect(source).toBeVisible();
  await expect(page.getByTestId('run-row').first()).toBeVisible();

  await source.getByTestId('source-menu-button').click();
  const notify = page.getByTestId('source-notify-finished');
  await expect(notify).toHaveAttribute('aria-checked', 'false');
  await notify.click();
  await expect(notify).toHaveCount(0);
  await source.getByTestId('source-menu-button').click();
  await expect(notify).toHaveAttribute('aria-checked', 'true');
  await expect(notify).toContainText('✓ Notify when running runs finish');
  await page.keyboard.press('Escape');

  // The first sync may still be adding rows above the first one: open it once they are in.
  await expect(source.getByTestId('sync-cancel')).toHaveCount(0);
  const runId = await openRow(page, page.getByTestId('run-row').first());
  await page.getByTestId('copy-run-link').click();
  await expect(page.getByTestId('copy-run-link')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const url = new URL(copied);
  expect(url.origin).toBe(new URL(app.url).origin);
  expect(decodeURIComponent(url.pathname)).toBe(`/runs/habits/${runId}`);
  expect(copied).not.toContain('token');
});
