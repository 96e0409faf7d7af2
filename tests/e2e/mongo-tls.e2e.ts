import { expect, test } from '@playwright/test';
import { startSeededMongo, type SeededMongo } from '../support/seeded-mongo-process';
import { startServedApp, type ServedApp } from '../support/serve-process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A lab server behind TLS with its own CA, set up in the form's fields as a user would.
let app: ServedApp;
let lab: SeededMongo;
let tlsDir: string;

test.beforeAll(async () => {
  tlsDir = mkdtempSync(join(tmpdir(), 'altar-e2e-tls-'));
  [lab, app] = await Promise.all([
    startSeededMongo(['--runs', '8', '--seed', '4', '--tls-dir', tlsDir]),
    startServedApp(),
  ]);
});

test.afterAll(async () => {
  await Promise.all([app?.stop(), lab?.stop()]);
  rmSync(tlsDir, { recursive: true, force: true });
});

test('a TLS server: another CA file says so, the lab CA file connects and its runs show', async ({
  page,
}) => {
  await page.goto(app.url);
  await page.getByTestId('connect-mongo-button').first().click();
  await page.getByTestId('conn-name-input').fill('lab over TLS');
  await page.getByTestId('conn-mode-fields').click();
  await page.getByTestId('conn-hosts-input').fill(`127.0.0.1:${lab.port}`);
  await page.getByTestId('conn-user-input').fill('reader');
  await page.getByTestId('conn-authsource-input').fill('admin');
  await page.getByTestId('conn-tls-checkbox').check();
  // A browser cannot tell a picked file's path: the path is typed, no Browse… button.
  await expect(page.getByTestId('conn-ca-file-browse')).toHaveCount(0);
  await page.getByTestId('conn-ca-file-input').fill(lab.otherCaFile!);
  await page.getByTestId('conn-password-input').fill('reader-pw');

  await page.getByTestId('conn-test-button').click();
  await expect(page.getByTestId('conn-error')).toContainText(
    `the server's certificate is not signed by the CA in ${lab.otherCaFile!}`,
  );

  await page.getByTestId('conn-ca-file-input').fill(lab.caFile!);
  await page.getByTestId('conn-test-button').click();
  await expect(page.getByTestId('conn-test-result')).toContainText('Connected');
  await page.getByTestId('conn-save-button').click();

  const database = page.locator(`[data-testid="db-item"][data-db="${lab.database}"]`);
  await database
    .locator('[data-testid="db-collection"][data-prefix=""]')
    .getByTestId('db-add-source')
    .click();
  await page.getByTestId('source-name-input').fill('tls-lab');
  await page.getByTestId('source-add-submit').click();
  await expect(page.getByTestId('mongo-dialog')).toBeHidden();
  await page.locator('[data-testid="source-item"][data-source="tls-lab"]').click();
  await expect(
    page.locator('[data-testid="run-row"][data-source="tls-lab"]').first(),
  ).toBeVisible();
});
