// Issue 15's delete as a user does it: a run deleted from its page and another from the table's
// selection, each after a confirmation that counts what goes, are gone from the table; the
// folder source's "Deleted runs…" brings one back; a run that changed while its confirmation
// was open is asked about again ("delete anyway").
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { repoRoot, startServedApp, type ServedApp } from '../support/serve-process';
import { callApi } from './call-api';

let app: ServedApp;
let folder: string;

function row(page: Page, id: string) {
  return page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
}

test.beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'altar-e2e-delete-'));
  const sample = path.join(repoRoot, 'tests/fixtures/sacred-samples/filestorage_completed/1');
  for (const id of ['1', '2', '3']) cpSync(sample, path.join(folder, id), { recursive: true });
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

test('a run deleted from its page and one from the table are gone; one comes back from the trash', async ({
  page,
}) => {
  await page.goto(app.url);
  // The source is added, synced and made writable through the API, as a user would have done.
  const call = (method: string, data: object) => callApi(page, app.origin, method, data);
  await call('addFolderSource', { name: 'lab', path: folder });
  await call('syncSources', { names: ['lab'] });
  await call('setSourceWrites', { source: 'lab', enabled: true });
  await page.reload();
  for (const id of ['1', '2', '3']) await expect(row(page, id)).toBeVisible();

  // From the run page.
  await row(page, '2').click();
  const detail = page.getByTestId('run-detail');
  await expect(detail).toBeVisible();
  await detail.getByTestId('delete-run').click();
  const dialog = page.getByTestId('delete-runs-dialog');
  await expect(dialog.getByTestId('delete-counts')).toContainText('1 run of “lab”');
  await expect(dialog.getByTestId('delete-counts')).toContainText('metric point');
  await expect(dialog).toContainText('.altar-trash');
  await dialog.getByTestId('delete-runs-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('run-detail')).toHaveCount(0);
  await expect(row(page, '2')).toHaveCount(0);
  await expect(row(page, '1')).toBeVisible();
  expect(existsSync(path.join(folder, '2'))).toBe(false);

  // From the table's selection.
  await row(page, '3').getByTestId('row-select').click();
  await page.getByTestId('delete-selected').click();
  await expect(dialog.getByTestId('delete-counts')).toContainText('1 run of “lab”');
  await dialog.getByTestId('delete-runs-confirm').click();
  await expect(row(page, '3')).toHaveCount(0);
  await expect(row(page, '1')).toBeVisible();
  expect(readdirSync(path.join(folder, '.altar-trash'))).toHaveLength(2);

  // Restore run 2 from the source menu.
  const source = page.locator('[data-testid="source-item"][data-source="lab"]');
  await source.getByTestId('source-menu-button').click();
  await page.getByTestId('source-trash').click();
  const trash = page.getByTestId('trash-dialog');
  await expect(trash.getByTestId('trash-entry')).toHaveCount(2);
  await trash
    .getByTestId('trash-entry')
    .filter({ hasText: 'Run 2' })
    .getByTestId('trash-restore')
    .click();
  await expect(trash.getByTestId('trash-message')).toHaveText('Run 2 is back.');
  await expect(trash.getByTestId('trash-entry')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(row(page, '2')).toBeVisible();
  await expect(row(page, '3')).toHaveCount(0);

  // Run 1 sends a heartbeat while its confirmation is open: asked again, then deleted anyway.
  await row(page, '1').getByTestId('row-select').click();
  await page.getByTestId('delete-selected').click();
  await expect(dialog.getByTestId('delete-counts')).toContainText('1 run of “lab”');
  const runJson = path.join(folder, '1', 'run.json');
  writeFileSync(
    runJson,
    readFileSync(runJson, 'utf8').replace(
      /"heartbeat": "[^"]*"/u,
      '"heartbeat": "2026-11-26T21:40:00.000001"',
    ),
  );
  await dialog.getByTestId('delete-runs-confirm').click();
  await expect(dialog.getByTestId('delete-runs-changed')).toContainText(
    'run 1: it sent a heartbeat',
  );
  await expect(row(page, '1')).toBeVisible();
  await dialog.getByTestId('delete-runs-anyway').click();
  await expect(dialog).toHaveCount(0);
  await expect(row(page, '1')).toHaveCount(0);
  await expect(row(page, '2')).toBeVisible();
});
