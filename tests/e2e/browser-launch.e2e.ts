import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { writeLauncherPage } from '../../main/cli/launcher-page';
import type { CoreService } from '../../main/core/core-service';
import { startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';

// Issue 11 item 7 in a real browser: `serve` opens a private local page (file://) that sends
// the browser on with a one-time code; the app must then load at its clean address with the
// token cookie (SameSite=Strict survives because the last hop is the app's own page).
let root: string;
let host: HttpHost;

/** Only what this page calls: the real core cannot load under Playwright's module loader. */
const core = {
  listSources: () => Promise.resolve([]),
  on: () => () => undefined,
} as unknown as CoreService;

test.beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'altar-e2e-launch-'));
  const rendererDir = path.join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>Altar app page</title>',
  );
  host = await startHttpHost(core, { rendererDir });
});

test.afterAll(async () => {
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

test('a launcher page signs the browser in once, at a clean address', async ({ page }) => {
  const launcher = writeLauncherPage(`${host.launchUrl()}&run=7`);
  try {
    await page.goto(launcher.fileUrl);
    await expect(page).toHaveTitle('Altar app page');
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/?run=7`);
    const status = await page.evaluate(
      async () =>
        (
          await fetch('/api/listSources', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
    );
    expect(status).toBe(200);
  } finally {
    launcher.remove();
  }
});

test('a spent code signs no other browser in', async ({ browser }) => {
  const url = host.launchUrl();
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    await (await first.newPage()).goto(url);
    const page = await second.newPage();
    const reply = await page.goto(url);
    expect(reply?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('expired or was already used');
  } finally {
    await first.close();
    await second.close();
  }
});
