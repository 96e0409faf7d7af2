import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startSeededMongo, type SeededMongo } from '../support/seeded-mongo-process';
import { repoRoot, startServedApp, type ServedApp } from '../support/serve-process';
import { openRunBySearch } from './open-run';

// "A source synced once can be browsed fully with the test server stopped; the UI says
// offline and nothing hangs": the source is added (and synced) through the CLI, the server is
// killed, and only then does the app start.
let app: ServedApp;
let lab: SeededMongo;
let runCount: number;

test.beforeAll(async () => {
  lab = await startSeededMongo(['--runs', '16', '--seed', '7']);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'altar-e2e-offline-'));
  const cli = (...args: string[]): string =>
    execFileSync(
      process.execPath,
      [path.join(repoRoot, 'dist/cli.mjs'), '--data-dir', dataDir, ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, CI: '1' },
      },
    ).toString();
  cli(
    'sources',
    'add',
    'lab',
    '--mongo',
    `mongodb://reader:reader-pw@127.0.0.1:${lab.port}/${lab.database}?authSource=admin`,
  );
  const sources = JSON.parse(cli('sources', 'list', '--format', 'json')) as { runCount: number }[];
  runCount = sources[0]?.runCount ?? 0;
  expect(runCount).toBeGreaterThan(16);
  await lab.stop();
  // The password is in memory only: the app gets it the CLI way, so that its background sync
  // meets the stopped server itself (connection refused), not a missing password.
  app = await startServedApp({ dataDir, env: { ALTAR_MONGO_PASSWORD: 'reader-pw' } });
});

test.afterAll(async () => {
  await app?.stop();
  await lab?.stop();
});

test('with the server stopped the source says offline, and its runs browse from the cache', async ({
  page,
}) => {
  await page.goto(app.url);
  const source = page.locator('[data-testid="source-item"][data-source="lab"]');
  await expect(source).toHaveAttribute('data-state', 'offline');
  await expect(source.getByTestId('source-connection')).toHaveText(/offline/u);
  // The background sync has met the stopped server and says why.
  await expect(source.locator('.source-error')).toContainText(/refused|closed|unreachable/iu);

  // A sync asked for by hand fails at once and leaves the source usable.
  await source.getByTestId('sync-button').click();
  await expect(source.getByTestId('sync-button')).toHaveText('Sync');
  await expect(source).toHaveAttribute('data-state', 'offline');

  await expect(page.getByTestId('run-row').first()).toBeVisible();
  const runId = lab.pngRunId;
  expect(runId).not.toBeNull();
  await openRunBySearch(page, runId!);

  await page.getByTestId('tab-config').click();
  await expect(page.getByTestId('config-tree')).toContainText('seed');

  await page.getByTestId('tab-metrics').click();
  await expect(page.locator('[data-testid="metric-plot"].drawn').first()).toBeVisible();

  // The artifact's content was never fetched: it says so instead of spinning.
  await page.getByTestId('tab-artifacts').click();
  await page.getByTestId('artifact-item').filter({ hasText: '.png' }).first().click();
  await expect(page.getByTestId('artifact-unavailable')).toContainText('Not available offline');
});
