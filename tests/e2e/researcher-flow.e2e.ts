import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';

// Issue 14, items 1 (selecting several runs), 7 (what "unreadable" means) and 8 (an added
// source shows its runs; switching views asks before dropping unsaved edits).

const RUNS = 12;
let app: ServedApp;
let folder: string;
let second: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  folder = writeGeneratedFolder('flow', RUNS, 14);
  // A run whose run.json is JSON but not an object: the sync keeps it as UNREADABLE.
  mkdirSync(path.join(folder, '99'));
  writeFileSync(path.join(folder, '99', 'run.json'), '[1, 2]');
  second = writeGeneratedFolder('flow-added', 3, 15);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
  rmSync(second, { recursive: true, force: true });
});

async function addFolder(page: Page, dir: string, name: string): Promise<void> {
  await page.getByTestId('add-folder-button').first().click();
  await page.getByTestId('folder-path-input').fill(dir);
  await page.getByTestId('folder-name-input').fill(name);
  await page.getByTestId('folder-submit').click();
  const source = page.locator(`[data-testid="source-item"][data-source="${name}"]`);
  await expect(source).toBeVisible();
  await expect(source.getByTestId('sync-cancel')).toHaveCount(0);
}

/** The app with the folder as source "flow", every run listed. */
async function open(page: Page): Promise<number> {
  await page.goto(app.url);
  const source = page.locator('[data-testid="source-item"][data-source="flow"]');
  await expect(source.or(page.locator('.start-screen'))).toBeVisible();
  if (!(await source.isVisible())) await addFolder(page, folder, 'flow');
  await expect(page.getByTestId('run-row').first()).toBeVisible();
  const count = page.getByTestId('run-count');
  await expect(count).toHaveText(/^\d+ runs/u);
  // The first sync may still be listing runs when its cancel button has not shown yet: the
  // total is the count once it no longer moves between two reads.
  const read = async (): Promise<number> =>
    Number(/^(\d+)/u.exec((await count.textContent()) ?? '')?.[1]);
  let last = -1;
  await expect
    .poll(
      async () => {
        const now = await read();
        const settled = now === last;
        last = now;
        return settled;
      },
      { intervals: [500] },
    )
    .toBe(true);
  await expect(source.getByTestId('sync-cancel')).toHaveCount(0);
  return read();
}

async function rowId(page: Page, index: number): Promise<string> {
  return (await page.getByTestId('run-row').nth(index).getAttribute('data-run-id')) ?? '';
}

function box(page: Page, id: string) {
  return page.getByRole('checkbox', { name: `Select run ${id}`, exact: true });
}

test('runs are selected with checkboxes and keys; the buttons say how many they take', async ({
  page,
}) => {
  const total = await open(page);
  const plot = page.getByTestId('plot-selected');
  const compare = page.getByTestId('compare-selected');
  const count = page.getByTestId('run-count');
  await expect(plot).toHaveText('Plot selected');
  await expect(plot).toBeDisabled();

  const ids = [0, 1, 2, 3, 4].map(async (i) => rowId(page, i));
  const [a, b, c, d, e] = await Promise.all(ids);
  if (a === undefined || b === undefined || c === undefined || d === undefined || e === undefined)
    throw new Error('fewer than 5 rows');

  // A checkbox selects without opening the run; a second one adds to it.
  await box(page, a).click();
  await expect(page.getByTestId('run-list')).toBeVisible();
  await expect(box(page, a)).toBeChecked();
  await expect(count).toHaveText(`${total} runs · 1 selected`);
  await expect(plot).toHaveText('Plot 1 selected');
  await expect(compare).toBeDisabled();
  await box(page, c).click();
  await expect(count).toHaveText(`${total} runs · 2 selected`);
  await expect(plot).toHaveText('Plot 2 selected');
  await expect(compare).toHaveText('Compare 2');
  await expect(compare).toBeEnabled();

  // Space toggles the focused row (the last one ticked) and keeps the other.
  await page.keyboard.press('Space');
  await expect(box(page, c)).not.toBeChecked();
  await expect(box(page, a)).toBeChecked();
  await expect(count).toHaveText(`${total} runs · 1 selected`);
  await page.keyboard.press('Space');
  await expect(box(page, c)).toBeChecked();
  await expect(box(page, a)).toBeChecked();

  // Shift+Down extends from there, row by row.
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  for (const id of [c, d, e]) await expect(box(page, id)).toBeChecked();
  await expect(box(page, b)).not.toBeChecked();
  await expect(plot).toHaveText('Plot 3 selected');
  await expect(compare).toHaveText('Compare 3');

  // Escape clears everything.
  await page.keyboard.press('Escape');
  await expect(count).toHaveText(`${total} runs`);
  await expect(page.getByRole('checkbox', { name: /^Select run /, checked: true })).toHaveCount(0);
  await expect(plot).toHaveText('Plot selected');
  await expect(plot).toBeDisabled();

  // The header box selects what the filter lets through, and only that.
  await page.getByTestId('filter-input').fill('id <= 5');
  await page.getByTestId('filter-input').press('Enter');
  await expect(count).toHaveText(new RegExp(`^\\d+ of ${total} runs$`, 'u'));
  const listed = Number(/^(\d+)/u.exec((await count.textContent()) ?? '')?.[1]);
  expect(listed).toBeGreaterThan(1);
  expect(listed).toBeLessThan(total);
  const all = page.getByRole('checkbox', { name: 'Select all listed runs' });
  await all.click();
  await expect(all).toBeChecked();
  await expect(count).toHaveText(`${listed} of ${total} runs · ${listed} selected`);
  await expect(plot).toHaveText(`Plot ${listed} selected`);
  const ticked = page.getByRole('checkbox', { name: /^Select run /, checked: true });
  await expect(ticked).toHaveCount(listed);
  await all.click();
  await expect(count).toHaveText(`${listed} of ${total} runs`);
  await expect(ticked).toHaveCount(0);

  // Plot takes exactly the ticked runs.
  await box(page, await rowId(page, 0)).click();
  await box(page, await rowId(page, 1)).click();
  await expect(plot).toHaveText('Plot 2 selected');
  await plot.click();
  await expect(page.getByTestId('run-list')).toBeHidden();
});

test('"1 unreadable" opens the list of runs that could not be read, with the reason', async ({
  page,
}) => {
  await open(page);
  const source = page.locator('[data-testid="source-item"][data-source="flow"]');
  const unreadable = source.getByTestId('source-unreadable');
  await expect(unreadable).toHaveText(/^\d+ unreadable$/u);
  const n = Number(/^(\d+)/u.exec((await unreadable.textContent()) ?? '')?.[1]);
  await unreadable.click();
  const dialog = page.getByTestId('unreadable-runs-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Unreadable runs in flow');
  await expect(dialog.getByTestId('unreadable-run')).toHaveCount(n);
  await expect(dialog.locator('[data-testid="unreadable-run"][data-run-id="99"]')).toHaveText(
    'Run 99: run.json does not hold a JSON object',
  );
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('an added source shows its runs, and switching views asks before dropping edits', async ({
  page,
}) => {
  const total = await open(page);
  const filter = page.getByTestId('filter-input');
  const count = page.getByTestId('run-count');

  // A filter that hides everything offers the way back in one click.
  await filter.fill('experiment = "no such experiment"');
  await filter.press('Enter');
  await expect(count).toHaveText(`0 of ${total} runs`);
  await page.getByRole('button', { name: 'Show all runs' }).click();
  await expect(filter).toHaveValue('');
  await expect(count).toHaveText(`${total} runs`);

  // With that filter on, adding a source shows every run, the new source's among them.
  await filter.fill('experiment = "no such experiment"');
  await filter.press('Enter');
  await expect(count).toHaveText(`0 of ${total} runs`);
  await addFolder(page, second, 'added');
  await expect(filter).toHaveValue('');
  await expect(page.locator('[data-testid="run-row"][data-source="added"]').first()).toBeVisible();
  await expect(count).toHaveText(/^\d+ runs/u);
  expect(Number(/^(\d+)/u.exec((await count.textContent()) ?? '')?.[1])).toBeGreaterThan(total);
  await expect(page.getByRole('status')).toContainText('added');

  // Two saved views; an edit to the second is not dropped by picking the first unasked.
  const views = page.getByTestId('view-select');
  await filter.fill('id <= 3');
  await filter.press('Enter');
  await page.getByTestId('view-save-as').click();
  await page.getByTestId('view-name-input').fill('first');
  await page.getByTestId('view-name-ok').click();
  await expect(views.locator('option:checked')).toHaveText(/^first/u);
  await filter.fill('id > 3');
  await filter.press('Enter');
  await page.getByTestId('view-save-as').click();
  await page.getByTestId('view-name-input').fill('second');
  await page.getByTestId('view-name-ok').click();
  await expect(views.locator('option:checked')).toHaveText(/^second/u);

  // No edits: switching asks nothing.
  let asked: string | null = null;
  page.on('dialog', (dialog) => {
    asked = dialog.message();
    void (asked.includes('open “first”') && answer === 'accept'
      ? dialog.accept()
      : dialog.dismiss());
  });
  let answer: 'accept' | 'dismiss' = 'dismiss';
  await views.selectOption({ label: 'first' });
  await expect(filter).toHaveValue('id <= 3');
  expect(asked).toBeNull();
  await views.selectOption({ label: 'second' });
  await expect(filter).toHaveValue('id > 3');

  // An unsaved edit: declining keeps the edit and the view.
  await filter.fill('id > 4');
  await filter.press('Enter');
  await expect(views.locator('option:checked')).toHaveText(/second \(modified\)/u);
  await views.selectOption({ label: 'first' });
  await expect
    .poll(() => asked)
    .toBe('The view “second” has unsaved changes. Discard them and open “first”?');
  await expect(filter).toHaveValue('id > 4');
  await expect(views.locator('option:checked')).toHaveText(/second \(modified\)/u);

  // Accepting opens the other view.
  asked = null;
  answer = 'accept';
  await views.selectOption({ label: 'first' });
  await expect.poll(() => asked).not.toBeNull();
  await expect(filter).toHaveValue('id <= 3');
  await expect(views.locator('option:checked')).toHaveText(/^first/u);
});
