// Issue 11 in the UI: a run whose source file lies next to the observer folder (Sacred's
// copy_sources=False) shows why it is not read and how to trust the folder; trusting it in the
// source menu's "Trusted folders…" makes it readable, removing it refuses it again.
import { expect, test } from '@playwright/test';
import { buildHostileWorld, casesOf } from '../support/hostile-run-folders';
import type { HostileWorld } from '../support/hostile-run-folders';
import { startServedApp, type ServedApp } from '../support/serve-process';
import { openRunBySearch } from './open-run';

let app: ServedApp;
let world: HostileWorld;

test.beforeAll(async () => {
  world = buildHostileWorld([...casesOf('outside-read'), ...casesOf('stall')]);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  world?.remove();
});

test('a source file outside the folder is refused until its folder is trusted', async ({
  page,
}) => {
  await page.goto(app.url);
  await page.getByTestId('add-folder-button').first().click();
  await page.getByTestId('folder-path-input').fill(world.folder);
  await page.getByTestId('folder-name-input').fill('hostile');
  await page.getByTestId('folder-submit').click();
  await expect(page.getByTestId('run-row').first()).toBeVisible();

  await openRunBySearch(page, 'src-copy-sources-false');
  await page.getByTestId('tab-experiment').click();
  const detail = page.getByTestId('run-detail');
  await detail.getByRole('button', { name: 'train.py' }).click();
  const refusal = detail.getByRole('alert');
  await expect(refusal).toContainText('outside the folders this source may read');
  await expect(refusal).toContainText(world.experiments);

  const source = page.locator('[data-testid="source-item"][data-source="hostile"]');
  await source.getByTestId('source-menu-button').click();
  await page.getByTestId('source-trusted-folders').click();
  const dialog = page.getByTestId('trusted-folders-dialog');
  await expect(dialog.getByTestId('trusted-folders-none')).toBeVisible();
  // The whole disk is refused with a reason.
  await dialog.getByTestId('trusted-folder-input').fill('/');
  await dialog.getByTestId('trusted-folder-add').click();
  await expect(dialog.getByTestId('trusted-folders-error')).toContainText('too wide to trust');
  await dialog.getByTestId('trusted-folder-input').fill(world.experiments);
  await dialog.getByTestId('trusted-folder-add').click();
  await expect(dialog.getByTestId('trusted-folder')).toHaveText([
    new RegExp(world.experiments.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'), 'u'),
  ]);
  await dialog.getByRole('button', { name: 'Done' }).click();

  // Closed and opened again: the file is read now.
  await detail.getByRole('button', { name: 'train.py' }).click();
  await detail.getByRole('button', { name: 'train.py' }).click();
  await expect(detail.locator('.source-file')).toContainText('print("train")');

  await source.getByTestId('source-menu-button').click();
  await page.getByTestId('source-trusted-folders').click();
  await dialog.getByTestId('trusted-folder-remove').click();
  await expect(dialog.getByTestId('trusted-folders-none')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await detail.getByRole('button', { name: 'train.py' }).click();
  await detail.getByRole('button', { name: 'train.py' }).click();
  await expect(detail.getByRole('alert')).toContainText('outside the folders this source may read');
  expect(await page.content()).not.toContain(world.secret);
});
