import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { callApi } from './call-api';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';

// Issue 13: after a restart every sync try of an unreachable folder made the window ask its
// table's pages again, and a sort clicked meanwhile waited behind them. A sync that wrote no
// run now refreshes the sidebar only; one that brings runs still refreshes the rows.

let app: ServedApp;
let folder: string;
let parked: string;

test.beforeAll(async () => {
  folder = writeGeneratedFolder('reask', 5, 23);
  // Run 13 comes later: the sync that brings it must refresh the rows.
  parked = `${folder}-run-13`;
  renameSync(path.join(folder, '13'), parked);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  for (const dir of [folder, `${folder}-away`, parked])
    rmSync(dir, { recursive: true, force: true });
});

/** The API methods the page calls, in order. */
function recordCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (request) => {
    const match = /\/api\/([A-Za-z]+)/u.exec(new URL(request.url()).pathname);
    if (match !== null) calls.push(match[1] as string);
  });
  return calls;
}

/**
 * Waits until the page has had no API call in flight for QUIET_MS: the first sync's own
 * refreshes (its events may come after the rows show) must not count as the second sync's.
 */
const QUIET_MS = 500;
async function quiet(page: Page): Promise<void> {
  let inFlight = 0;
  let last = Date.now();
  const isApi = (url: string) => new URL(url).pathname.startsWith('/api/');
  const started = (request: { url(): string }) => {
    if (!isApi(request.url())) return;
    inFlight++;
    last = Date.now();
  };
  const ended = (request: { url(): string }) => {
    if (!isApi(request.url())) return;
    inFlight = Math.max(0, inFlight - 1);
    last = Date.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  try {
    await expect
      .poll(() => inFlight === 0 && Date.now() - last >= QUIET_MS, { timeout: 10_000 })
      .toBe(true);
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}

/** Lets React run the effects of what it has just shown (a frame, then a task). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))),
  );
}

test('a sync that wrote no run leaves the rows; one that brings a run refreshes them', async ({
  page,
}) => {
  const origin = new URL(app.url).origin;
  await page.goto(app.url);
  await callApi(page, origin, 'addFolderSource', { name: 'lab', path: folder });
  await callApi(page, origin, 'syncSources', { names: ['lab'] });
  const rows = page.locator('[data-testid="run-row"][data-source="lab"]');
  const later = rows.and(page.locator('[data-run-id="13"]'));
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('run-count')).toHaveText(/^\d+ runs/u);
  const source = page.locator('[data-testid="source-item"][data-source="lab"]');
  await expect(source).toHaveAttribute('data-state', 'online');
  await quiet(page);
  await settle(page);
  const shown = await rows.count();
  const calls = recordCalls(page);

  // The folder is unreachable (a disconnected drive): the sync fails and writes nothing.
  renameSync(folder, `${folder}-away`);
  await expect(callApi(page, origin, 'syncSources', { names: ['lab'] })).rejects.toThrow();
  await expect(source).toHaveAttribute('data-state', 'offline');
  await settle(page);
  expect(calls).toContain('listSources');
  expect(calls).not.toContain('queryRuns');
  await expect(rows).toHaveCount(shown);

  // Back, with a new run: the sync writes it and the table shows it.
  renameSync(`${folder}-away`, folder);
  renameSync(parked, path.join(folder, '13'));
  await callApi(page, origin, 'syncSources', { names: ['lab'] });
  await expect(later).toBeVisible();
  await expect(rows).toHaveCount(shown + 1);
  expect(calls).toContain('queryRuns');
});
