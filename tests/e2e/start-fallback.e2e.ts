// `npm start` without an Electron runtime (as on our CI machines): build/start.mjs says so in
// one line and serves the UI to the browser instead. This checks that the fallback really
// serves the app: the printed URL opens the UI, which lists no sources in a fresh data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot } from '../support/serve-process';

let child: ChildProcess | null = null;
let dataDir: string | null = null;

test.afterEach(() => {
  if (child !== null && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

test('npm start without Electron serves the UI at the printed URL, and stops on SIGTERM', async ({
  page,
}) => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'altar-e2e-start-'));
  const started = spawn(process.execPath, [path.join(repoRoot, 'build/start.mjs')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CI: '1',
      ALTAR_DATA_DIR: dataDir,
      ELECTRON_OVERRIDE_DIST_PATH: path.join(dataDir, 'no-electron-here'),
    },
  });
  child = started;
  let output = '';
  const exited = new Promise<number | null>((resolve) => started.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Altar Viewer is serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\n/u.exec(
        output,
      );
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    started.stdout?.on('data', onData);
    started.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`start exited with ${code}:\n${output}`)));
  });
  expect(output.split('\n')[0]).toBe(
    'Electron runtime not available on this machine; serving the UI in your browser instead.',
  );

  await page.goto(url);
  await expect(page).not.toHaveURL(/token=/u);
  await expect(page.getByTestId('add-folder-button').first()).toBeVisible();
  await expect(page.locator('[data-testid="source-item"]')).toHaveCount(0);
  // The page talks to the API behind it: the app info answers through the session cookie.
  const info = await page.evaluate(async () => {
    const response = await fetch('/api/getAppInfo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return response.status;
  });
  expect(info).toBe(200);

  started.kill('SIGTERM');
  expect(await exited).toBe(0);
});
