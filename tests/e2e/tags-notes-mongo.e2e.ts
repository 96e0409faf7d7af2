import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startSeededMongo, type SeededMongo } from '../support/seeded-mongo-process';
import { repoRoot, startServedApp, type ServedApp } from '../support/serve-process';

// Issue 15 on a MongoDB source, as the user sees it: a `read` user is told why edits stay off,
// and a note saved while the server is gone waits as pending until the user drops or keeps it.
const apps: ServedApp[] = [];
const labs: SeededMongo[] = [];

test.afterAll(async () => {
  for (const app of apps) await app.stop();
  for (const lab of labs) await lab.stop();
});

/** A seeded test server, and the app serving a data dir with it added as `source` by `user`. */
async function appWithLab(
  source: string,
  user: 'admin' | 'reader',
): Promise<{ app: ServedApp; lab: SeededMongo }> {
  const lab = await startSeededMongo(['--runs', '4', '--seed', '3']);
  labs.push(lab);
  const dataDir = mkdtempSync(path.join(tmpdir(), `altar-e2e-writes-${user}-`));
  const password = `${user}-pw`;
  execFileSync(
    process.execPath,
    [
      path.join(repoRoot, 'dist/cli.mjs'),
      '--data-dir',
      dataDir,
      'sources',
      'add',
      source,
      '--mongo',
      `mongodb://${user}:${password}@127.0.0.1:${lab.port}/${lab.database}?authSource=admin`,
    ],
    { cwd: repoRoot, env: { ...process.env, CI: '1' } },
  );
  // The password is in memory only: the served app gets it the CLI way.
  const app = await startServedApp({ dataDir, env: { ALTAR_MONGO_PASSWORD: password } });
  apps.push(app);
  return { app, lab };
}

test("a `read` user is told edits stay off, from the server's privileges", async ({ page }) => {
  const { app, lab } = await appWithLab('lab-ro', 'reader');
  await page.goto(app.url);
  const source = page.locator('[data-testid="source-item"][data-source="lab-ro"]');
  await expect(source).toHaveAttribute('data-state', 'online');
  await source.getByTestId('source-menu-button').click();
  await source.getByTestId('source-allow-edits').click();
  const answer = source.getByTestId('writes-answer');
  await expect(answer).toHaveAttribute('role', 'alert');
  await expect(answer).toContainText(`this user can only read ${lab.database}`);
  await expect(source.getByTestId('source-writable')).toHaveCount(0);
  await source.getByTestId('source-menu-button').click();
  await expect(source.getByTestId('source-read-only')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('Escape');

  await page
    .getByTestId('run-row')
    .first()
    .click({ position: { x: 60, y: 10 } });
  await expect(page.getByTestId('run-annotations')).toHaveAttribute('data-writable', 'false');
  await expect(page.getByTestId('notes-text')).toHaveCount(0);
  await expect(page.getByTestId('enable-edits-hint')).toContainText('lab-ro is read-only');
});

test('a note saved with the server gone is shown as pending, and can be dropped', async ({
  page,
}) => {
  const { app, lab } = await appWithLab('lab', 'admin');
  await page.goto(app.url);
  const source = page.locator('[data-testid="source-item"][data-source="lab"]');
  await expect(source).toHaveAttribute('data-state', 'online');
  await source.getByTestId('source-menu-button').click();
  await source.getByTestId('source-allow-edits').click();
  await expect(source.getByTestId('source-writable')).toBeVisible();

  await page
    .getByTestId('run-row')
    .first()
    .click({ position: { x: 60, y: 10 } });
  const notes = page.getByTestId('notes-text');
  const before = await notes.inputValue();
  await lab.stop();

  await notes.fill('written on the train');
  await page.getByTestId('notes-save').click();
  await expect(page.getByTestId('notes-state')).toContainText('pending', { timeout: 40_000 });
  await expect(notes).toHaveValue('written on the train');
  const annotations = page.getByTestId('run-annotations');
  await expect(annotations.getByTestId('pending-mark')).toBeVisible();
  const waiting = annotations.locator('[data-testid="edit-pending"][data-field="notes"]');
  await expect(waiting).toContainText('written on the train');
  await expect(source.getByTestId('source-pending-edits')).toHaveText('1 pending edit');

  // The sidebar lists it too; dropping it there brings back what the server had.
  await source.getByTestId('source-pending-edits').click();
  const dialog = page.getByTestId('pending-edits-dialog');
  await expect(dialog.getByTestId('edit-pending')).toHaveCount(1);
  await dialog.getByTestId('drop-pending').click();
  await expect(dialog).toContainText('No edit is waiting');
  await page.keyboard.press('Escape');
  await expect(source.getByTestId('source-pending-edits')).toHaveCount(0);
  await expect(annotations.getByTestId('pending-mark')).toHaveCount(0);
  await expect(notes).toHaveValue(before);
});
