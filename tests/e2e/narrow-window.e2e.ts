import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';

// Issue 14 item 9: at 1024×700 the toolbar stays on its rows (what does not fit is in a
// "More" menu), the ID column stays in sight when the table scrolls sideways, the sidebar
// folds away (button or Ctrl+B, remembered), and a plot takes the width it is given.

let app: ServedApp;
let folder: string;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1024, height: 700 } });

test.beforeAll(async () => {
  folder = writeGeneratedFolder('narrow', 6, 31);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function openApp(page: Page): Promise<void> {
  await page.goto(app.url);
  const source = page.locator('[data-testid="source-item"][data-source="narrow"]');
  await expect(source.or(page.locator('.start-screen'))).toBeVisible();
  if (!(await source.isVisible())) {
    await page.getByTestId('add-folder-button').first().click();
    await page.getByTestId('folder-path-input').fill(folder);
    await page.getByTestId('folder-name-input').fill('narrow');
    await page.getByTestId('folder-submit').click();
    await expect(source).toBeVisible();
    await expect(source.getByTestId('sync-cancel')).toHaveCount(0);
  }
  await expect(page.getByTestId('run-row').first()).toBeVisible();
}

/** How many lines of controls a toolbar takes: its visible children that overlap no line above. */
async function toolbarRows(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((bar) => {
    const boxes = Array.from(bar.querySelectorAll('button, input, select, .run-count'))
      .map((element) => element.getBoundingClientRect())
      .filter((box) => box.width > 0 && box.height > 0)
      .sort((a, b) => a.top - b.top);
    let rows = 0;
    let bottom = -Infinity;
    for (const box of boxes) {
      if (box.top >= bottom) {
        rows += 1;
        bottom = box.bottom;
      } else {
        bottom = Math.max(bottom, box.bottom);
      }
    }
    return rows;
  });
}

test('the toolbars keep one row each, the rest is under "More"', async ({ page }) => {
  await openApp(page);
  await page.screenshot({ path: 'test-results/narrow-table.png' });
  expect(await toolbarRows(page, '.run-list > .toolbar.view-toolbar')).toBe(1);
  expect(await toolbarRows(page, '.run-list > .toolbar:not(.view-toolbar)')).toBe(1);

  // What is folded away is still one click away.
  await page.getByRole('button', { name: 'More' }).click();
  await expect(page.getByRole('menuitem', { name: 'Export CSV', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menuitem', { name: 'Export CSV' })).toHaveCount(0);
});

test('the ID column stays in sight when the table scrolls sideways', async ({ page }) => {
  await openApp(page);
  const table = page.getByTestId('run-table');
  const headers = await page
    .getByTestId('column-header')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-column')));
  // The first cell of a row is its checkbox.
  const idCell = page
    .getByTestId('run-row')
    .first()
    .getByRole('gridcell')
    .nth(headers.indexOf('id') + 1);
  const lastCell = page.getByTestId('run-row').first().getByRole('gridcell').last();
  await expect(lastCell).not.toBeInViewport();
  const before = await idCell.boundingBox();
  await table.evaluate((element) => {
    element.scrollLeft = element.scrollWidth;
  });
  expect(await table.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
  await expect(lastCell).toBeInViewport();
  const after = await idCell.boundingBox();
  expect(after?.x).toBe(before?.x);
  await expect(idCell).toBeInViewport();
  await expect(idCell).toHaveText(/\S/u);
});

test('a value cut by a narrowed column keeps its start in sight: the cell never scrolls', async ({
  page,
}) => {
  await openApp(page);
  const headers = page.getByTestId('column-header');
  const columns = await headers.evaluateAll((cells) =>
    cells.map((cell) => ({
      id: cell.getAttribute('data-column'),
      numeric: cell.classList.contains('numeric'),
    })),
  );
  const at = columns.findIndex((column) => !column.numeric && column.id !== 'id');
  expect(at).toBeGreaterThanOrEqual(0);
  // Narrowed by its handle to a sliver, so its values no longer fit.
  const handle = headers.nth(at).getByTestId('column-resize');
  const box = await handle.boundingBox();
  if (box === null) throw new Error('no resize handle');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x - 400, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  // The first cell of a row is its checkbox.
  const cell = page
    .getByTestId('run-row')
    .first()
    .getByRole('gridcell')
    .nth(at + 1);
  const cut = await cell.evaluate((element) => {
    const context = document.createElement('canvas').getContext('2d');
    if (context === null) throw new Error('no canvas');
    context.font = getComputedStyle(element).font;
    const textWidth = context.measureText(element.textContent ?? '').width;
    // What a focus or a find-in-page inside the cell would do to a cell that scrolls.
    element.scrollLeft = element.scrollWidth;
    return { textWidth, width: element.clientWidth, scrollLeft: element.scrollLeft };
  });
  expect(cut.textWidth).toBeGreaterThan(cut.width);
  expect(cut.scrollLeft).toBe(0);
});

test('the sidebar folds with its button and Ctrl+B, and stays folded after a reload', async ({
  page,
}) => {
  await openApp(page);
  const sidebar = page.locator('aside.sidebar');
  const width = async (): Promise<number> =>
    (await page.locator('.main').boundingBox())?.width ?? 0;
  const wide = await width();
  await page.getByRole('button', { name: 'Hide the sidebar' }).click();
  await expect(sidebar).toBeHidden();
  expect(await width()).toBeGreaterThan(wide + 200);

  await page.reload();
  await expect(page.getByTestId('run-row').first()).toBeVisible();
  await expect(sidebar).toBeHidden();

  await page.keyboard.press('Control+b');
  await expect(sidebar).toBeVisible();
  await page.keyboard.press('Control+b');
  await expect(sidebar).toBeHidden();
  await page.getByRole('button', { name: 'Show the sidebar' }).click();
  await expect(sidebar).toBeVisible();
});

test('a plot of selected runs takes the width of the window', async ({ page }) => {
  await openApp(page);
  for (const id of ['1', '2']) {
    await page.getByRole('checkbox', { name: `Select run ${id}`, exact: true }).click();
  }
  await page.getByTestId('plot-selected').click();
  await expect(page.getByTestId('plot-runs-view')).toContainText('Plot of 2 runs');
  const main = (await page.locator('.main').boundingBox())?.width ?? 0;
  // The widest drawing in the plot's area (Plotly's SVG or the canvas plot, whichever draws).
  const drawn = (): Promise<number> =>
    page
      .getByTestId('plot-runs-view')
      .locator('.metric-area')
      .evaluate((area) =>
        Math.max(
          0,
          ...Array.from(area.querySelectorAll('svg, canvas')).map(
            (element) => element.getBoundingClientRect().width,
          ),
        ),
      );
  await expect.poll(drawn).toBeGreaterThan(main * 0.8);
  await page.screenshot({ path: 'test-results/narrow-plot.png' });
});
