import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot, startServedApp, type ServedApp } from '../support/serve-process';
import { searchRuns } from './open-run';

let app: ServedApp;
let folder: string;

/** Dotted leaf paths of a config.json with their JSON text (arrays are leaves). */
function leaves(runId: string): Map<string, string> {
  const out = new Map<string, string>();
  let config: unknown = {};
  try {
    config = JSON.parse(readFileSync(path.join(folder, runId, 'config.json'), 'utf8'));
  } catch {
    // a broken variant of the generated folder: no config
  }
  const walk = (value: unknown, prefix: string): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length > 0 && !entries.some(([key]) => key.startsWith('py/'))) {
        for (const [key, item] of entries) walk(item, prefix === '' ? key : `${prefix}.${key}`);
        return;
      }
    }
    if (prefix !== '') out.set(prefix, JSON.stringify(value));
  };
  walk(config, '');
  return out;
}

test.beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'altar-e2e-compare-'));
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(repoRoot, 'tests/support/write-sacred-folder.ts'),
      folder,
      '30',
      '11',
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('compare selected runs: config diff, parallel coordinates, output diff', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('add-folder-button').first().click();
  await page.getByTestId('folder-path-input').fill(folder);
  await page.getByTestId('folder-name-input').fill('lab-runs');
  await page.getByTestId('folder-submit').click();
  await expect(page.locator('[data-testid="source-item"][data-source="lab-runs"]')).toContainText(
    'Synced',
  );

  // Runs that finished have a config and captured output in the generated folder.
  // The search replaces the rows (and the selection) when it applies: pick runs after that.
  await searchRuns(page, 'COMPLETED');
  await expect(page.getByTestId('run-count')).toContainText(' of ');
  const rows = page.getByTestId('run-row');
  await expect(rows.nth(2)).toBeVisible();
  await expect(page.getByTestId('compare-selected')).toBeDisabled();
  const visible = Math.min(await rows.count(), 10);
  const shown: string[] = [];
  for (let i = 0; i < visible; i++)
    shown.push((await rows.nth(i).getAttribute('data-run-id')) ?? '');

  // Three of the visible runs that share a key with one value and differ in another.
  const equalIn = (maps: Map<string, string>[]) =>
    [...(maps[0]?.keys() ?? [])].find((p) => maps.every((m) => m.get(p) === maps[0]?.get(p)));
  const differingIn = (maps: Map<string, string>[]) =>
    [...(maps[0]?.keys() ?? [])].find(
      (p) => maps.every((m) => m.has(p)) && new Set(maps.map((m) => m.get(p))).size > 1,
    );
  let picked: number[] = [];
  search: for (let a = 0; a < visible; a++) {
    for (let b = a + 1; b < visible; b++) {
      for (let c = b + 1; c < visible; c++) {
        const maps = [a, b, c].map((i) => leaves(shown[i] ?? ''));
        if (equalIn(maps) !== undefined && differingIn(maps) !== undefined) {
          picked = [a, b, c];
          break search;
        }
      }
    }
  }
  expect(picked, 'three visible runs share one config key and differ in another').toHaveLength(3);
  const maps = picked.map((i) => leaves(shown[i] ?? ''));
  const equal = equalIn(maps);
  const differing = differingIn(maps);
  // Rows are clicked by id: a sync finishing meanwhile can insert rows above them.
  const rowById = (i: number) =>
    page.locator(`[data-testid="run-row"][data-run-id="${shown[i] ?? ''}"]`);
  for (const i of picked) await rowById(i).click({ modifiers: ['Control'] });
  await expect(page.getByTestId('run-count')).toContainText(' · 3 selected');

  await page.getByTestId('compare-selected').click();
  const view = page.getByTestId('compare-view');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('compare-run')).toHaveCount(3);
  const compared = await view
    .getByTestId('compare-run')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-run-id')));
  expect(compared.sort()).toEqual(picked.map((i) => shown[i]).sort());
  const onlyDiff = view.getByTestId('compare-only-diff');
  await expect(onlyDiff).toBeChecked();
  const rowOf = (p: string) => view.locator(`[data-testid="compare-diff-row"][data-path="${p}"]`);
  await expect(rowOf(differing ?? '')).toBeVisible();
  await expect(rowOf(equal ?? '')).toHaveCount(0);
  await onlyDiff.uncheck();
  await expect(rowOf(equal ?? '')).toBeVisible();
  await expect(rowOf(equal ?? '')).toHaveAttribute('data-differs', 'no');

  await view.getByTestId('compare-tab-results').click();
  await expect(view.getByTestId('compare-results-table')).toBeVisible();

  await view.getByTestId('compare-tab-parcoords').click();
  const parcoords = view.locator('[data-testid="compare-parcoords"] svg.parcoords');
  await expect(parcoords).toBeVisible();
  // One line per run; brushing the top of the first axis selects the runs inside the range.
  await expect(parcoords.locator('path[data-run-index]')).toHaveCount(3);
  const hit = parcoords.getByTestId('parcoords-axis-hit').first();
  const box = await hit.boundingBox();
  expect(box).not.toBeNull();
  if (box !== null) {
    await page.mouse.move(box.x + box.width / 2, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3, { steps: 4 });
    await page.mouse.up();
  }
  await expect(view.getByTestId('compare-brush-count')).toBeVisible();

  await view.getByTestId('compare-tab-scatter').click();
  await expect(view.locator('[data-testid="compare-scatter"].drawn')).toBeVisible();
  // A run without the key or the metric has no point.
  await expect(
    view.locator('[data-testid="compare-scatter"] .scatterlayer .point').first(),
  ).toBeAttached();

  await view.getByTestId('compare-tab-output').click();
  await expect(view.getByText('Select exactly two runs')).toBeVisible();

  // Back to the table; ctrl-click deselects the third run: two runs for the output diff.
  await view.getByRole('button', { name: '← Runs' }).click();
  await rowById(picked[2] ?? 0).click({ modifiers: ['Control'] });
  await page.getByTestId('compare-selected').click();
  await expect(view.getByTestId('compare-run')).toHaveCount(2);
  await view.getByTestId('compare-tab-output').click();
  const diff = view.getByTestId('compare-output-diff');
  await expect(diff).toBeVisible();
  await expect(diff.locator('.diff-line').first()).toBeVisible();
  await expect(diff.locator('.diff-line[data-kind="added"]').first()).toBeAttached();
});
