import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { dumpPython, SAMPLES_DIR } from '../support/sacred-odd-folder-runs';
import { startServedApp, type ServedApp } from '../support/serve-process';

// Issue 5 item 1: a big ndarray in config (jsonpickle's binary form, SACRED_FORMAT.md §0) shows
// its values on demand; a corrupt one says so in place. Built on the real Sacred sample run.
type Py = Parameters<typeof dumpPython>[0];

let app: ServedApp;
let folder: string;

function bigArray(raw: Buffer, dtype: string, shape: number[], byteorder: string): Py {
  return {
    'py/object': 'numpy.ndarray',
    dtype,
    byteorder,
    shape: { 'py/tuple': shape },
    values: deflateSync(raw).toString('base64'),
  };
}

test.beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'altar-e2e-ndarray-'));
  cpSync(path.join(SAMPLES_DIR, 'filestorage_completed', '1'), path.join(folder, '1'), {
    recursive: true,
  });
  const weights = Buffer.alloc(8 * 3000);
  for (let i = 0; i < 3000; i++) weights.writeDoubleLE(i / 2, i * 8);
  const ids = Buffer.alloc(8 * 20);
  for (let i = 0; i < 20; i++) ids.writeBigInt64BE(2n ** 60n + BigInt(i), i * 8);
  const config = {
    seed: 5,
    weights: bigArray(weights, 'float64', [1000, 3], '<'),
    ids: bigArray(ids, '>i8', [20], '>'),
    broken: bigArray(Buffer.alloc(8 * 20), 'float64', [20], '<'),
  };
  // Valid base64, but not zlib: what a truncated or hand-edited file leaves behind.
  (config.broken as { values: string }).values =
    Buffer.from('no zlib here, sorry').toString('base64');
  writeFileSync(path.join(folder, '1', 'config.json'), JSON.stringify(config, null, 2));
  const runFile = path.join(folder, '1', 'run.json');
  // The sample's run.json holds a bare Infinity token (Python's JSON); 1e999 parses to it.
  const text = readFileSync(runFile, 'utf8').replace(/(?<=:\s*)(-?)Infinity\b/gu, '$11e999');
  const run = JSON.parse(text) as { [key: string]: Py };
  const result = Buffer.alloc(4 * 32);
  for (let i = 0; i < 32; i++) result.writeFloatLE(i === 3 ? NaN : i, i * 4);
  run.result = bigArray(result, 'float32', [32], '<');
  writeFileSync(runFile, dumpPython(run));
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a big ndarray in config and result shows its values on demand', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(app.url);
  const response = await page.request.post(`${app.origin}/api/addFolderSource`, {
    data: { name: 'arrays', path: folder },
  });
  expect(response.ok()).toBe(true);
  await page.request.post(`${app.origin}/api/syncSources`, { data: { names: ['arrays'] } });
  await page.reload();
  await page.locator('[data-testid="run-row"][data-run-id="1"]').click();
  await expect(page.getByTestId('run-detail')).toBeVisible();

  // Result (a bare ndarray at the top of the tree) on the overview.
  const result = page.getByTestId('result-tree');
  await expect(result).toContainText('ndarray float32 [32]');
  await result.getByRole('button', { name: 'show values' }).click();
  await expect(result.getByTestId('ndarray-summary')).toHaveText(
    'float32 [32] · 32 values · min 0 · max 31 · mean 15.903225806451612 · 1 NaN',
  );

  await page.getByTestId('tab-config').click();
  const tree = page.getByTestId('config-tree');
  const weights = tree.locator('[data-path="weights"]');
  await expect(weights).toContainText('ndarray float64 [1000, 3]');
  await weights.getByRole('button', { name: 'show values' }).click();
  const values = tree.getByTestId('ndarray-values');
  await expect(values.getByTestId('ndarray-summary')).toHaveText(
    'float64 [1000, 3] · 3000 values · min 0 · max 1499.5 · mean 749.75',
  );
  await expect(values.locator('pre')).toContainText('[0] 0, 0.5, 1\n[1] 1.5, 2, 2.5');
  await expect(values).toContainText('The first 999 of 3000 values');
  await weights.getByRole('button', { name: 'hide values' }).click();
  await expect(values).toHaveCount(0);

  // Big-endian int64 beyond 2^53 stays exact.
  const ids = tree.locator('[data-path="ids"]');
  await ids.getByRole('button', { name: 'show values' }).click();
  await expect(tree.getByTestId('ndarray-values').locator('pre')).toContainText(
    '[0] 1152921504606846976, 1152921504606846977',
  );
  await ids.getByRole('button', { name: 'hide values' }).click();

  // A corrupt array: a message in place, the raw JSON still there, nothing crashed.
  const broken = tree.locator('[data-path="broken"]');
  await broken.getByRole('button', { name: 'show values' }).click();
  await expect(tree.getByRole('alert')).toContainText(
    'Cannot show the values: corrupt: the values are not valid zlib data',
  );
  await broken.getByRole('button', { name: 'raw' }).click();
  await expect(tree.locator('.tree-raw')).toContainText('"py/object": "numpy.ndarray"');
  await expect(page.locator('.panel-crash')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});
