// The run table's rows after a sort and after scrolling away and back (issue 13). The table
// reuses a row's DOM for whichever run comes to its place (rows are keyed by place), so these
// tests check what a user sees: after a sort, every row shows its own run (id, values, the
// checkbox of a selected run), and rows already seen come back without placeholders.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { writeRunTableData } from '../support/run-table-data';
import { cliRunOrder } from './cli-run-order';
import { OVERSCAN_ROWS } from '../../renderer/src/model/fling-overscan';
import { startServedApp, type ServedApp } from '../support/serve-process';

const RUNS = 3000;
const COLUMN = 'config.g1.p4';
let app: ServedApp;

test.beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'altar-e2e-sort-rows-'));
  const store = CacheStore.open(cacheFilePath(dataDir));
  try {
    const nowMs = Date.UTC(2025, 0, 1);
    writeRunTableData(store, 'lab-a', { runs: 2000, seed: 21, nowMs });
    writeRunTableData(store, 'lab-b', { runs: RUNS - 2000, seed: 22, nowMs });
  } finally {
    store.close();
  }
  app = await startServedApp({ dataDir });
});

test.afterAll(async () => {
  await app?.stop();
});

/** The first runs in this order, by the CLI (the same engine, another process). */
function cliOrder(sort: string, limit: number): string[] {
  return cliRunOrder(app.dataDir, sort, limit);
}

async function openTable(page: Page): Promise<void> {
  await page.goto(app.url);
  await expect(page.getByTestId('run-count')).toHaveText(new RegExp(`^${RUNS} runs$`, 'u'));
  await expect(page.locator('.run-row.placeholder')).toHaveCount(0);
}

async function showColumn(page: Page): Promise<void> {
  const header = page.locator(`[data-testid="column-header"][data-column="${COLUMN}"]`);
  if ((await header.count()) > 0) return;
  await page.getByTestId('column-picker-button').click();
  await page.getByTestId('column-picker-search').fill(COLUMN);
  // The picker's list, once the catalog is there: a click on the "Add …" button the picker
  // shows meanwhile can miss when the list comes under it.
  await page.locator(`[role="option"][data-column="${COLUMN}"]`).click();
  await page.keyboard.press('Escape');
  await expect(header).toHaveCount(1);
}

/** The rows in the DOM from the top: run, its cell of COLUMN, whether its box is ticked. */
async function shownRows(page: Page, count: number) {
  return page.getByTestId('run-row').evaluateAll(
    (rows, { column, count }) =>
      rows
        .map((row) => {
          const cells = [...row.querySelectorAll('[role="gridcell"]')];
          const headers = [...document.querySelectorAll('[data-testid="column-header"]')];
          const at = headers.findIndex((header) => header.getAttribute('data-column') === column);
          return {
            index: Number(row.getAttribute('data-index')),
            run: `${row.getAttribute('data-source')}/${row.getAttribute('data-run-id')}`,
            // Cell 0 is the checkbox column.
            value: cells[at + 1]?.textContent ?? '',
            ticked: row.querySelector<HTMLInputElement>('[data-testid="row-select"]')?.checked,
          };
        })
        .sort((a, b) => a.index - b.index)
        .slice(0, count),
    { column: COLUMN, count },
  );
}

test('a sort shows its first runs in the rows already on screen, each with its own values and checkbox', async ({
  page,
}) => {
  await openTable(page);
  await showColumn(page);
  const before = await shownRows(page, 20);
  // Tick the third run. A sort starts the selection over (a new query): the tick must not
  // stay on the third row, which now shows another run.
  await page.getByTestId('row-select').nth(2).click();
  await expect(page.getByTestId('row-select').nth(2)).toBeChecked();

  const sortButton = page.locator(
    `[data-testid="column-header"][data-column="${COLUMN}"] [data-testid="column-sort"]`,
  );
  await sortButton.click();
  const ascending = cliOrder(COLUMN, 20);
  await expect
    .poll(async () => (await shownRows(page, 20)).map((row) => row.run))
    .toEqual(ascending);
  const sorted = await shownRows(page, 20);
  // The values are those of the runs now shown: non-decreasing down the column, and for the
  // rows whose run was on screen before, the value it showed then.
  const numbers = sorted.map((row) => Number(row.value)).filter((n) => !Number.isNaN(n));
  expect(numbers.length).toBeGreaterThan(10);
  expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  for (const row of sorted) {
    const earlier = before.find((seen) => seen.run === row.run);
    if (earlier !== undefined) expect(row.value).toBe(earlier.value);
  }
  expect(sorted.filter((row) => row.ticked !== false)).toEqual([]);

  await sortButton.click();
  const descending = cliOrder(`${COLUMN}:desc`, 20);
  await expect
    .poll(async () => (await shownRows(page, 20)).map((row) => row.run))
    .toEqual(descending);
  const descendingRows = await shownRows(page, 20);
  const descendingNumbers = descendingRows
    .filter((row) => row.value !== '')
    .map((row) => Number(row.value));
  expect(descendingNumbers).toEqual([...descendingNumbers].sort((a, b) => b - a));
});

test('rows already seen are shown again at once when the table scrolls back to them', async ({
  page,
}) => {
  await openTable(page);
  const top = await shownRows(page, 10);
  const table = page.getByTestId('run-table');
  // Far enough down that the top rows are off screen and other pages are asked for.
  await table.evaluate((element) => {
    element.scrollTop = 1200 * 26;
  });
  await expect(page.locator('[data-testid="run-row"][data-index="1200"]')).toBeVisible();
  await expect(page.locator('.run-row.placeholder')).toHaveCount(0);
  // Watch every row the table puts on screen while it goes back to the top.
  const placeholdersSeen = await table.evaluate(async (element) => {
    let seen = 0;
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof HTMLElement && node.matches('.run-row.placeholder')) seen++;
        }
        if (
          record.type === 'attributes' &&
          record.target instanceof HTMLElement &&
          record.target.matches('.run-row.placeholder')
        ) {
          seen++;
        }
      }
    });
    observer.observe(element, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['class'],
    });
    element.scrollTop = 0;
    for (let frame = 0; frame < 10; frame++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    observer.disconnect();
    return seen;
  });
  expect(placeholdersSeen).toBe(0);
  expect((await shownRows(page, 10)).map((row) => row.run)).toEqual(top.map((row) => row.run));
});

test('a sort made far down the table shows its first runs from the top', async ({ page }) => {
  // The table goes back to the top on a new query only when it is not there already (a
  // scrollTo at the top forced a layout inside the click): far down, it must still go back.
  await openTable(page);
  await showColumn(page);
  const table = page.getByTestId('run-table');
  await table.evaluate((element) => {
    element.scrollTop = 1200 * 26;
  });
  await expect(page.locator('[data-testid="run-row"][data-index="1200"]')).toBeVisible();
  await page
    .locator(`[data-testid="column-header"][data-column="${COLUMN}"] [data-testid="column-sort"]`)
    .click();
  await expect
    .poll(async () => (await shownRows(page, 20)).map((row) => row.run))
    .toEqual(cliOrder(COLUMN, 20));
  expect(await table.evaluate((element) => element.scrollTop)).toBe(0);
  await expect(page.locator('[data-testid="run-row"][data-index="0"]')).toBeVisible();
});

/**
 * Every row element in the table, top to bottom as a user sees them (by their place on screen,
 * not their order in the DOM): its index, run, the run id its id cell shows, its row number for
 * screen readers and whether its box is ticked.
 */
async function rowsOnScreen(page: Page) {
  return page.getByTestId('run-row').evaluateAll((rows) => {
    const headers = [...document.querySelectorAll('[data-testid="column-header"]')];
    const idAt = headers.findIndex((header) => header.getAttribute('data-column') === 'id');
    return rows
      .map((row) => ({
        top: row.getBoundingClientRect().top,
        index: Number(row.getAttribute('data-index')),
        run: `${row.getAttribute('data-source')}/${row.getAttribute('data-run-id')}`,
        idCell: row.querySelectorAll('[role="gridcell"]')[idAt + 1]?.textContent ?? '',
        rowIndex: Number(row.getAttribute('aria-rowindex')),
        ticked: row.querySelector<HTMLInputElement>('[data-testid="row-select"]')?.checked,
      }))
      .sort((a, b) => a.top - b.top);
  });
}

/** The rows shown are consecutive runs of `order`, each in its place with its own id. */
function expectInPlace(shown: Awaited<ReturnType<typeof rowsOnScreen>>, order: string[]): void {
  expect(shown.length).toBeGreaterThan(10);
  const first = shown[0]?.index ?? -1;
  shown.forEach((row, i) => {
    expect(row.index).toBe(first + i);
    expect(row.run).toBe(order[row.index]);
    expect(`${row.run.split('/')[0]}/${row.idCell}`).toBe(row.run);
    expect(row.rowIndex).toBe(row.index + 2);
  });
}

test('a fling shows each run in its own place, and a ticked run stays ticked on its own row only', async ({
  page,
}) => {
  // The table reuses row elements for the rows a scroll brings (by slot, in slot order in the
  // DOM): what it shows must still be each run in its place with its own values.
  await openTable(page);
  const order = cliOrder('start_time:desc', 1700);
  await page.getByTestId('row-select').nth(1).click();
  const ticked = order[1];
  await expect(page.locator('[data-testid="run-row"][data-index="1"]')).toHaveAttribute(
    'aria-selected',
    'true',
  );
  const table = page.getByTestId('run-table');
  // As a wheel fling: 50 rows further every frame, without waiting for any row.
  await table.evaluate(async (element) => {
    for (let frame = 1; frame <= 30; frame++) {
      element.scrollTop = frame * 50 * 26;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  });
  await expect(page.locator('[data-testid="run-row"][data-index="1500"]')).toBeVisible();
  await expect(page.locator('.run-row.placeholder')).toHaveCount(0);
  const far = await rowsOnScreen(page);
  expectInPlace(far, order);
  expect(far.filter((row) => row.ticked !== false)).toEqual([]);

  await table.evaluate((element) => {
    element.scrollTop = 0;
  });
  await expect(page.locator('[data-testid="run-row"][data-index="0"]')).toBeVisible();
  await expect(page.locator('.run-row.placeholder')).toHaveCount(0);
  const top = await rowsOnScreen(page);
  expectInPlace(top, order);
  expect(top.filter((row) => row.ticked).map((row) => row.run)).toEqual([ticked]);
});

test('after a scroll a screen reader meets the rows in their order, not in their slots', async ({
  page,
}) => {
  // The row elements stay in slot order in the DOM, which wraps around once scrolled: the
  // rows scrolled in at the bottom take the slots of those scrolled out at the top (a scroll
  // of a few rows; after a jump of a whole screen every row is new and the slots are handed
  // out in row order again). The accessibility tree (what a screen reader walks) must still
  // list the rows top to bottom.
  await openTable(page);
  const table = page.getByTestId('run-table');
  await table.evaluate((element) => {
    element.scrollTop = 10 * 26;
  });
  await expect(page.locator('[data-testid="run-row"][data-index="40"]')).toBeVisible();
  await expect(page.locator('.run-row.placeholder')).toHaveCount(0);
  const shown = (await rowsOnScreen(page)).map((row) => row.run.split('/')[1]);
  const domOrder = await page
    .getByTestId('run-row')
    .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-index'))));
  // The case this test is about: the DOM order is not the rows' order here.
  expect(domOrder).not.toEqual([...domOrder].sort((a, b) => a - b));
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { role?: { value: string }; name?: { value: string } }[];
  };
  const read = nodes
    .filter((node) => node.role?.value === 'row')
    .map((node) => /Select run (\S+)/u.exec(node.name?.value ?? '')?.[1])
    .filter((id): id is string => id !== undefined);
  expect(read).toEqual(shown);
});

test('rows whose page is still on its way are placeholders, then fill in with their runs', async ({
  page,
}) => {
  await openTable(page);
  const order = cliOrder('start_time:desc', 2100);
  // Hold the answers for the rows far down until the placeholders have been looked at.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/api/queryRuns', async (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}') as { offset?: number };
    if ((body.offset ?? 0) >= 1800) await held;
    await route.continue();
  });
  const table = page.getByTestId('run-table');
  await table.evaluate((element) => {
    element.scrollTop = 2000 * 26;
  });
  const placeholders = page.locator('.run-row.placeholder');
  await expect(placeholders.first()).toBeVisible();
  // A placeholder is a row for screen readers (its number), not a run: no checkbox, no id.
  const first = placeholders.first();
  await expect(first).toHaveAttribute('role', 'row');
  expect(Number(await first.getAttribute('aria-rowindex'))).toBeGreaterThan(1900);
  await expect(first.getByTestId('row-select')).toHaveCount(0);
  await expect(first).not.toHaveAttribute('data-run-id', /.*/u);
  await expect(page.locator('[data-testid="run-row"][data-index="2000"]')).toHaveCount(0);

  release();
  await expect(page.locator('[data-testid="run-row"][data-index="2000"]')).toBeVisible();
  await expect(placeholders).toHaveCount(0);
  const shown = await rowsOnScreen(page);
  expectInPlace(shown, order);
  expect(shown.every((row) => row.ticked === false)).toBe(true);
});

test('a fling jumping a screen a frame refills the rows already on screen instead of building new ones', async ({
  page,
}) => {
  // Building and removing a screen of row elements every frame was most of a fling's frame;
  // rows a scroll brings take the elements of the rows it took away, whatever the jump.
  await openTable(page);
  const order = cliOrder('start_time:desc', 2300);
  const table = page.getByTestId('run-table');
  const addedPerFrame = await table.evaluate(async (element) => {
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    let added = 0;
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof HTMLElement && node.matches('.run-row')) added++;
        }
      }
    });
    const body = element.querySelector('.run-body');
    if (body === null) throw new Error('no table body');
    observer.observe(body, { childList: true });
    const counts: number[] = [];
    // 97 rows a frame: no multiple of any power of two, so no slot scheme by index lines up.
    for (let frame = 1; frame <= 20; frame++) {
      element.scrollTop = frame * 97 * 26;
      await nextFrame();
      await Promise.resolve();
      counts.push(added);
      added = 0;
    }
    observer.disconnect();
    return counts;
  });
  // Slots by index modulo a power of two built every row here (~29 a frame). Only the overscan
  // rows may come back, in a frame slower than the virtualizer's scrolling pause (150 ms, a
  // loaded machine): the scroll has stopped as far as the table knows.
  expect(Math.max(...addedPerFrame)).toBeLessThanOrEqual(2 * OVERSCAN_ROWS);
  await expect(page.locator('[data-testid="run-row"][data-index="1940"]')).toBeVisible();
  await expect(page.locator('.run-row.placeholder')).toHaveCount(0);
  expectInPlace(await rowsOnScreen(page), order);
});
