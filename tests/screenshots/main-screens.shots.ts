import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { openWithFolderSource } from '../e2e/open-folder-source';
import {
  repoRoot,
  startServedApp,
  writeGeneratedFolder,
  type ServedApp,
} from '../support/serve-process';

// Writes docs/screenshots/<screen>-<width>x<height>-<theme>.png of the main screens (run
// table, run detail, plot, compare) from a generated Sacred folder, so the README's pictures
// show the app as it is. Only the viewport is captured (not the full page): small files.

const OUT = path.join(repoRoot, 'docs', 'screenshots');
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;
const THEMES = ['light', 'dark'] as const;
const SOURCE = 'experiments';

let app: ServedApp;
let folder: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  folder = writeGeneratedFolder('shots', 40, 7);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function openTable(page: Page): Promise<void> {
  await openWithFolderSource(page, app.url, { folder, source: SOURCE });
  await expect(page.getByTestId('run-row').first()).toBeVisible();
}

async function shoot(page: Page, name: string, size: string, theme: string): Promise<void> {
  // Let fonts and plots settle: the screenshot waits for no animation.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({
    path: path.join(OUT, `${name}-${size}-${theme}.png`),
    animations: 'disabled',
    caret: 'hide',
  });
}

async function selectFirstRows(page: Page, n: number): Promise<void> {
  const boxes = page.getByRole('checkbox', { name: /^Select run /u });
  for (let i = 0; i < n; i++) await boxes.nth(i).check();
}

for (const size of SIZES) {
  for (const theme of THEMES) {
    const label = `${size.width}x${size.height}`;
    test(`main screens at ${label}, ${theme}`, async ({ page }) => {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      await openTable(page);
      await shoot(page, 'run-table', label, theme);

      await page.getByTestId('run-row').first().click();
      await expect(page.getByTestId('run-detail')).toBeVisible();
      await shoot(page, 'run-detail', label, theme);

      await page.goBack();
      await expect(page.getByTestId('run-row').first()).toBeVisible();
      await selectFirstRows(page, 3);
      await page.getByTestId('plot-selected').click();
      const metric = page.getByTestId('plot-metrics').locator('input[type="checkbox"]').first();
      await expect(metric).toBeVisible();
      if (!(await metric.isChecked())) await metric.check();
      await expect(page.getByTestId('metric-plot')).toHaveClass(/drawn/u);
      await shoot(page, 'plot', label, theme);

      await page.goBack();
      await expect(page.getByTestId('run-row').first()).toBeVisible();
      if ((await page.getByRole('checkbox', { name: /^Select run /u, checked: true }).count()) < 3)
        await selectFirstRows(page, 3);
      await page.getByTestId('compare-selected').click();
      await expect(page.getByTestId('compare-view')).toBeVisible();
      await shoot(page, 'compare', label, theme);
    });
  }
}
