import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  repoRoot,
  startServedApp,
  writeGeneratedFolder,
  type ServedApp,
} from '../support/serve-process';

// Issue 14 item 10: a source the CLI adds and syncs while the app is open appears in the
// open window, with its runs, without a reload.

let app: ServedApp;
let folder: string;

test.beforeAll(async () => {
  folder = writeGeneratedFolder('from-cli', 4, 41);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

function cli(...args: string[]): void {
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'dist/cli.mjs'), '--data-dir', app.dataDir, ...args],
    { cwd: repoRoot, stdio: 'pipe', env: { ...process.env, CI: '1' } },
  );
}

test('a source added by the CLI shows up in the open window with its runs', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.locator('.start-screen')).toBeVisible();
  // A mark on this very page: a reload would wipe it.
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });

  cli('sources', 'add', 'cli-runs', '--folder', folder);
  const source = page.locator('[data-testid="source-item"][data-source="cli-runs"]');
  await expect(source).toBeVisible();

  cli('sync', 'cli-runs');
  await expect(
    page.locator('[data-testid="run-row"][data-source="cli-runs"]').first(),
  ).toBeVisible();
  await expect(page.getByTestId('run-count')).toHaveText(/^\d+ runs/u);
  expect(
    await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
  ).toBe(true);
});
