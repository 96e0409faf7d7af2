import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { closedPort } from '../support/closed-port';
import { startSeededMongo, type SeededMongo } from '../support/seeded-mongo-process';
import { startServedApp, type ServedApp } from '../support/serve-process';

// Issue 14 item 11: a user's mistake (a folder that is not there, a closed port, a wrong
// password) is answered with a message in the page, and the browser's console stays clean:
// no "Failed to load resource", because the server answers such errors as results.

let app: ServedApp;
let lab: SeededMongo;
let emptyParent: string;

test.beforeAll(async () => {
  [lab, app] = await Promise.all([
    startSeededMongo(['--runs', '2', '--seed', '5']),
    startServedApp(),
  ]);
  emptyParent = mkdtempSync(path.join(tmpdir(), 'altar-user-errors-'));
});

test.afterAll(async () => {
  await Promise.all([app?.stop(), lab?.stop()]);
  rmSync(emptyParent, { recursive: true, force: true });
});

/** Every console line and every failed API reply the page sees from here on. */
function watch(page: Page): { console: string[]; failedReplies: string[] } {
  const seen = { console: [] as string[], failedReplies: [] as string[] };
  page.on('console', (message) => seen.console.push(`${message.type()}: ${message.text()}`));
  page.on('response', (response) => {
    if (response.url().includes('/api/') && response.status() >= 400)
      seen.failedReplies.push(`${response.status()} ${response.url()}`);
  });
  return seen;
}

async function testConnection(page: Page, uri: string, password: string): Promise<void> {
  await page.getByTestId('conn-uri-input').fill(uri);
  await page.getByTestId('conn-password-input').fill(password);
  await page.getByTestId('conn-test-button').click();
}

test('a missing folder, a closed port and a wrong password are told in the page, not as failed loads', async ({
  page,
}) => {
  const seen = watch(page);
  await page.goto(app.url);

  // A folder that is not there.
  await page.getByTestId('add-folder-button').first().click();
  await page.getByTestId('folder-path-input').fill(path.join(emptyParent, 'no-such-runs'));
  await page.getByTestId('folder-name-input').fill('missing');
  await page.getByTestId('folder-submit').click();
  await expect(page.locator('.form-error[role="alert"]')).toContainText(/no-such-runs/u);
  await page.keyboard.press('Escape');

  // A server that refuses the connection, then one that refuses the password.
  await page.getByTestId('connect-mongo-button').first().click();
  await page.getByTestId('conn-name-input').fill('lab');
  await page.getByTestId('conn-mode-uri').click();
  const port = await closedPort();
  await testConnection(page, `mongodb://reader@127.0.0.1:${port}/?authSource=admin`, 'x');
  await expect(page.getByTestId('conn-error')).toContainText(/refused/iu);
  await testConnection(
    page,
    `mongodb://reader@127.0.0.1:${lab.port}/?authSource=admin`,
    'not-the-password',
  );
  await expect(page.getByTestId('conn-error')).toContainText(/authentication failed/iu);

  // The right password still connects (the errors did not break the form).
  await testConnection(
    page,
    `mongodb://reader@127.0.0.1:${lab.port}/?authSource=admin`,
    'reader-pw',
  );
  await expect(page.getByTestId('conn-test-result')).toContainText('Connected');

  expect(seen.failedReplies).toEqual([]);
  expect(seen.console.filter((line) => line.includes('Failed to load resource'))).toEqual([]);
});

test('a broken request is still an HTTP failure (what the console rightly reports)', async ({
  page,
}) => {
  await page.goto(app.url);
  await expect(page.locator('.start-screen, .app').first()).toBeVisible();
  // Arguments outside the contract: a fault of the caller, not a user's mistake.
  const status = await page.evaluate(async () => {
    const reply = await fetch('/api/getRun', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ source: 1 }),
    });
    return reply.status;
  });
  expect(status).toBe(400);
});
