import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { repoRoot, startServedApp, type ServedApp } from '../support/serve-process';
import { parseTolerantJson } from '../../main/core/folder/tolerant-json';
import { openWithFolderSource } from './open-folder-source';

const apps: ServedApp[] = [];
const folders: string[] = [];

/** A folder of three COMPLETED runs (1, 2, 3): a RUNNING folder run could not be edited. */
function threeRunFolder(label: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), `altar-e2e-${label}-`));
  const sample = path.join(repoRoot, 'tests/fixtures/sacred-samples/filestorage_completed/1');
  for (const id of ['1', '2', '3']) cpSync(sample, path.join(folder, id), { recursive: true });
  folders.push(folder);
  return folder;
}

/** Each test serves its own data dir: no source of another test is in its way. */
async function servedApp(): Promise<ServedApp> {
  const app = await startServedApp();
  apps.push(app);
  return app;
}

test.afterAll(async () => {
  for (const app of apps) await app.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function row(page: Page, id: string) {
  return page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
}

async function showTagsColumn(page: Page): Promise<void> {
  await page.getByTestId('column-picker-button').click();
  await page.getByTestId('column-picker-search').fill('tags');
  // Until the catalog comes the picker offers an "Add …" button that the list replaces:
  // a click then could land on either.
  await expect(page.getByText('Reading the columns…')).toHaveCount(0);
  await page.locator('[data-testid="column-option"][data-column="tags"]').click();
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid="column-header"][data-column="tags"]')).toBeVisible();
}

async function shownRunIds(page: Page): Promise<string[]> {
  return page
    .getByTestId('run-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id') ?? ''));
}

test('edits on, two runs tagged from the table, filtered by the tag, a note kept across a reload', async ({
  page,
}) => {
  const folder = threeRunFolder('tags');
  const app = await servedApp();
  await openWithFolderSource(page, app.url, { folder, source: 'tagged' });
  const source = page.locator('[data-testid="source-item"][data-source="tagged"]');
  await expect(row(page, '3')).toBeVisible();
  await expect(source.getByTestId('source-writable')).toHaveCount(0);

  // Edits on, from the source menu: the sidebar marks the source as writable.
  await source.getByTestId('source-menu-button').click();
  await expect(source.getByTestId('source-read-only')).toHaveAttribute('aria-checked', 'true');
  await source.getByTestId('source-allow-edits').click();
  await expect(source.getByTestId('writes-answer')).toContainText('Edits of tagged are on');
  await expect(source.getByTestId('source-writable')).toBeVisible();

  // Runs 1 and 2 selected, one tag for both.
  await showTagsColumn(page);
  await row(page, '1').getByTestId('row-select').click();
  await row(page, '2').getByTestId('row-select').click();
  await page.getByTestId('tag-selected').click();
  const bulk = page.getByTestId('bulk-tag-popover');
  await expect(bulk).toContainText('Add a tag to 2 selected runs');
  await bulk.getByTestId('bulk-tag-input').fill('best');
  await bulk.getByTestId('bulk-tag-input').press('Enter');
  await expect(bulk.getByTestId('bulk-tag-state')).toHaveText('Tagged 2 runs “best”.');
  await page.keyboard.press('Escape');
  await expect(bulk).toHaveCount(0);
  for (const id of ['1', '2']) {
    await expect(row(page, id).locator('[data-testid="tag-chip"][data-tag="best"]')).toBeVisible();
  }
  await expect(row(page, '3').getByTestId('tag-chip')).toHaveCount(0);

  // Run 3's own Tags cell: the source's tags are offered as the user types.
  await row(page, '3').getByTestId('tags-cell-edit').click();
  const popover = page.getByTestId('tag-popover');
  await expect(page.getByTestId('run-detail')).toHaveCount(0);
  const input = popover.getByTestId('tag-input');
  await expect(input).toBeFocused();
  await input.fill('be');
  await expect(popover.getByTestId('tag-suggestion')).toHaveText(['best2 runs']);
  await input.fill('baseline');
  await input.press('Enter');
  await expect(popover.getByTestId('tag-edit-state')).toHaveText('Saved.');
  await expect(popover.locator('[data-testid="tag-chip"][data-tag="baseline"]')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(
    row(page, '3').locator('[data-testid="tag-chip"][data-tag="baseline"]'),
  ).toBeVisible();

  // From the keyboard: T on the focused run opens its tags; Esc gives the table its keys back.
  const table = page.getByTestId('run-table');
  await table.focus();
  await page.keyboard.press('Home');
  // A row focused before Home is still marked until the table re-renders: wait for the first.
  await expect(page.locator('.run-row.focused')).toHaveAttribute('data-index', '0');
  const focusedId = await page.locator('.run-row.focused').getAttribute('data-run-id');
  await page.keyboard.press('t');
  await expect(popover).toContainText(`Tags of run ${focusedId ?? ''}`);
  await expect(input).toBeFocused();
  await page.keyboard.type('kbd');
  await page.keyboard.press('Enter');
  await expect(popover.getByTestId('tag-edit-state')).toHaveText('Saved.');
  await page.keyboard.press('Escape');
  await expect(table).toBeFocused();
  // (A narrow Tags cell may clip its last chip: it is there all the same.)
  await expect(
    row(page, focusedId ?? '').locator('[data-testid="tag-chip"][data-tag="kbd"]'),
  ).toHaveCount(1);

  // The filter language finds the tagged runs.
  const filter = page.getByTestId('filter-input');
  await filter.fill('tags has best');
  await filter.press('Enter');
  await expect(page.getByTestId('run-count')).toContainText('2 of 3 runs');
  await expect.poll(async () => (await shownRunIds(page)).sort()).toEqual(['1', '2']);

  // A note on run 1's page, saved with Ctrl+S.
  // Clicked near its start: the Tags cell's edit button would not open the run.
  await row(page, '1').click({ position: { x: 60, y: 10 } });
  const notes = page.getByTestId('notes-text');
  await notes.fill('lr too high; rerun with 1e-4');
  await expect(page.getByTestId('notes-state')).toContainText('Not saved yet');
  await notes.press('Control+s');
  await expect(page.getByTestId('notes-state')).toHaveText('Saved.');

  // A reload reads it back, and the tags with it.
  await page.reload();
  await expect(page.getByTestId('notes-text')).toHaveValue('lr too high; rerun with 1e-4');
  await expect(
    page.getByTestId('run-annotations').locator('[data-testid="tag-chip"][data-tag="best"]'),
  ).toBeVisible();
  // Text typed and not saved survives a reload too, marked unsaved, until discarded.
  await page.getByTestId('notes-text').fill('half a thought');
  await page.reload();
  await expect(page.getByTestId('notes-text')).toHaveValue('half a thought');
  await expect(page.getByTestId('notes-state')).toContainText('Not saved yet');
  await page.getByTestId('notes-discard').click();
  await expect(page.getByTestId('notes-text')).toHaveValue('lr too high; rerun with 1e-4');

  // Written where Omniboard keeps them, in the run's run.json (Sacred's Infinity and all).
  const runJson = readFileSync(path.join(folder, '1', 'run.json'), 'utf8');
  expect(runJson).toMatch(/"inf": Infinity/u);
  const written = parseTolerantJson(runJson) as {
    omniboard?: { tags?: string[]; notes?: string };
    status?: string;
  };
  expect(written.omniboard).toEqual({ tags: ['best'], notes: 'lr too high; rerun with 1e-4' });
  expect(written.status).toBe('COMPLETED');
});

test('a read-only source shows its tags and notes without editors and says how to allow edits', async ({
  page,
}) => {
  const folder = threeRunFolder('readonly');
  const app = await servedApp();
  await openWithFolderSource(page, app.url, { folder, source: 'readonly' });
  await expect(row(page, '1')).toBeVisible();

  await showTagsColumn(page);
  await expect(row(page, '1').getByTestId('tags-cell')).toHaveCount(1);
  await expect(page.getByTestId('tags-cell-edit')).toHaveCount(0);

  // Tagging a selection of a read-only source says why it cannot be done.
  await row(page, '2').getByTestId('row-select').click();
  await page.getByTestId('tag-selected').click();
  const bulk = page.getByTestId('bulk-tag-popover');
  await expect(bulk.getByTestId('bulk-tag-read-only')).toContainText(
    'readonly is read-only. To edit tags and notes, choose “Allow edits”',
  );
  await expect(bulk.getByTestId('bulk-tag-input')).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(row(page, '2').getByTestId('tag-chip')).toHaveCount(0);

  await row(page, '1').click({ position: { x: 60, y: 10 } });
  const annotations = page.getByTestId('run-annotations');
  await expect(annotations).toHaveAttribute('data-writable', 'false');
  await expect(annotations).toContainText('No tags.');
  // The sample's meta.comment, shown as Omniboard shows notes.
  await expect(page.getByTestId('overview-notes')).toHaveText('a comment');
  await expect(page.getByTestId('notes-text')).toHaveCount(0);
  await expect(page.getByTestId('tag-input')).toHaveCount(0);
  await expect(page.getByTestId('enable-edits-hint')).toContainText(
    'altar-viewer sources set readonly --writes on',
  );
  const runJson = readFileSync(path.join(folder, '2', 'run.json'), 'utf8');
  expect(runJson).not.toContain('omniboard');
});
