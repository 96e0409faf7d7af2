// Issue 17's backup, restore and copy as a user does them in the window: "Back up…" on a folder
// source writes a mongodump folder (sizes shown first), "Restore…" reads it into a writable
// source whose runs then show, and "Copy 2 to…" from the table's selection copies two runs into
// another source (a read-only source is offered disabled, saying why).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { repoRoot, startServedApp, type ServedApp } from '../support/serve-process';
import { callApi } from './call-api';

let app: ServedApp;
let root: string;

function row(page: Page, source: string, id: string) {
  return page.locator(`[data-testid="run-row"][data-source="${source}"][data-run-id="${id}"]`);
}

function sourceItem(page: Page, name: string) {
  return page.locator(`[data-testid="source-item"][data-source="${name}"]`);
}

test.beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'altar-e2e-backup-'));
  const sample = path.join(repoRoot, 'tests/fixtures/sacred-samples/filestorage_completed');
  const lab = path.join(root, 'lab');
  for (const id of ['1', '2', '3'])
    cpSync(path.join(sample, '1'), path.join(lab, id), { recursive: true });
  cpSync(path.join(sample, '_sources'), path.join(lab, '_sources'), { recursive: true });
  for (const name of ['restored', 'copies', 'archive']) mkdirSync(path.join(root, name));
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

test('back up a source, restore it into another, copy two selected runs to a third', async ({
  page,
}) => {
  await page.goto(app.url);
  const call = (method: string, data: object) => callApi(page, app.origin, method, data);
  for (const name of ['lab', 'restored', 'copies', 'archive']) {
    await call('addFolderSource', { name, path: path.join(root, name) });
  }
  await call('syncSources', {});
  await call('setSourceWrites', { source: 'restored', enabled: true });
  await call('setSourceWrites', { source: 'copies', enabled: true });
  await page.reload();
  for (const id of ['1', '2', '3']) await expect(row(page, 'lab', id)).toBeVisible();

  // Back up "lab": sizes first, then the folder written, then the summary.
  const backupFolder = path.join(root, 'backups', 'lab-monday');
  mkdirSync(path.dirname(backupFolder));
  await sourceItem(page, 'lab').getByTestId('source-menu-button').click();
  await page.getByTestId('source-backup').click();
  const backup = page.getByTestId('backup-dialog');
  await expect(backup.getByTestId('backup-estimate-runs')).toHaveText('3 runs');
  await backup.getByTestId('backup-folder').fill(backupFolder);
  await backup.getByTestId('backup-start').click();
  await expect(backup.getByTestId('backup-summary-headline')).toContainText('Backed up 3 runs');
  const dumpFolders = readdirSync(backupFolder);
  expect(dumpFolders).toHaveLength(1);
  expect(readdirSync(path.join(backupFolder, dumpFolders[0] ?? ''))).toContain('runs.bson');
  await backup.getByTestId('backup-close').click();
  await expect(backup).toHaveCount(0);

  // Restore it into "restored" (writable): its three runs show.
  await sourceItem(page, 'restored').getByTestId('source-menu-button').click();
  await page.getByTestId('source-restore').click();
  const restore = page.getByTestId('restore-dialog');
  await restore.getByTestId('restore-folder').fill(path.join(root, 'lab'));
  await expect(restore.getByTestId('restore-problem')).toContainText('not a mongodump folder');
  await expect(restore.getByTestId('restore-start')).toBeDisabled();
  await restore.getByTestId('restore-folder').fill(backupFolder);
  await expect(restore.getByTestId('restore-contents-runs')).toHaveText('3 runs');
  await restore.getByTestId('restore-start').click();
  await expect(restore.getByTestId('backup-summary-headline')).toContainText(
    'Restored 3 runs into “restored”',
  );
  await restore.getByTestId('backup-close').click();
  for (const id of ['1', '2', '3']) await expect(row(page, 'restored', id)).toBeVisible();
  expect(existsSync(path.join(root, 'restored', '2', 'run.json'))).toBe(true);

  // Copy runs 1 and 2 of "lab" to "copies"; "archive" is read-only and says so.
  await row(page, 'lab', '1').getByTestId('row-select').click();
  await row(page, 'lab', '2').getByTestId('row-select').click();
  await page.getByTestId('copy-selected').click();
  const copy = page.getByTestId('copy-runs-dialog');
  await expect(copy.getByTestId('backup-estimate-runs')).toHaveText('2 runs');
  const archive = copy.getByTestId('copy-target').filter({ hasText: 'archive' });
  await expect(archive).toContainText('read-only');
  await expect(archive.getByRole('radio')).toBeDisabled();
  await copy.getByTestId('copy-target').filter({ hasText: 'copies' }).getByRole('radio').check();
  await copy.getByTestId('copy-start').click();
  await expect(copy.getByTestId('backup-summary-headline')).toContainText(
    'Copied 2 runs into “copies”',
  );
  await copy.getByTestId('backup-close').click();
  await expect(row(page, 'copies', '1')).toBeVisible();
  await expect(row(page, 'copies', '2')).toBeVisible();
  await expect(row(page, 'copies', '3')).toHaveCount(0);
  expect(readdirSync(path.join(root, 'archive'))).toEqual([]);
});
