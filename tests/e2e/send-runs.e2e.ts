import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { encodePng } from '../../main/core/demo/png-encoder';
import { storedName, storedPrefix } from '../../main/core/send/stored-name';
import { repoRoot, startServedApp, type ServedApp } from '../support/serve-process';
import { openWithFolderSource } from './open-folder-source';

// Issue 16, "Send runs…" from the window: two lab folders (a YAML config, a CSV metrics table,
// a PNG plot) and one whose CSV has text in a metric column are chosen in their parent, mapped
// once, checked (the bad one marked and held back), sent to a writable folder source with
// progress, and the two new runs are in the run table without a sync. A read-only source
// offers the entry disabled, saying why.
const apps: ServedApp[] = [];
let root: string;

/** Each test serves its own data dir: no source of another test is in its way. */
async function servedApp(): Promise<ServedApp> {
  const app = await startServedApp();
  apps.push(app);
  return app;
}

/** A folder source's folder with one run written by Sacred; sent runs take the next ids. */
function runsFolder(name: string): string {
  const runs = path.join(root, name);
  cpSync(
    path.join(repoRoot, 'tests/fixtures/sacred-samples/filestorage_completed/1'),
    path.join(runs, '1'),
    { recursive: true },
  );
  return runs;
}

test.beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'altar-e2e-send-'));
});

test.afterAll(async () => {
  for (const app of apps) await app.stop();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

const png = encodePng({
  width: 2,
  height: 2,
  pixels: Uint8Array.from({ length: 12 }, (_v, i) => i * 20),
});

/** A lab folder as an acquisition leaves it. */
function labFolder(parent: string, name: string, metrics: string): void {
  const folder = path.join(parent, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'config.yaml'), 'mouse: M12\nlaser:\n  power: 5\n');
  writeFileSync(path.join(folder, 'metrics.csv'), metrics);
  writeFileSync(path.join(folder, 'plot.png'), png);
}

function row(page: Page, id: string) {
  return page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
}

test('two lab folders sent from the window become runs of the table; a bad CSV is held back', async ({
  page,
}) => {
  const runs = runsFolder('runs');
  const app = await servedApp();
  const lab = path.join(root, 'lab');
  labFolder(lab, '2023-04-17_18_13_mouse1', 'time,speed\n0.5,1.5\n1.0,2.5\n1.5,3.5\n');
  labFolder(lab, '2023-04-18_09_00_mouse2', 'time,speed\n0.5,4\n1.0,5\n');
  labFolder(lab, '2023-04-19_10_00_broken', 'time,speed\n0.5,fast\n');

  await openWithFolderSource(page, app.url, { folder: runs, source: 'lab' });
  const source = page.locator('[data-testid="source-item"][data-source="lab"]');
  await expect(row(page, '1')).toBeVisible();

  // Read-only: the entry is there, disabled, with the reason.
  await source.getByTestId('source-menu-button').click();
  const entry = source.getByTestId('source-send-runs');
  await expect(entry).toBeDisabled();
  await expect(entry).toContainText('Allow edits');
  await source.getByTestId('source-allow-edits').click();
  await expect(source.getByTestId('source-writable')).toBeVisible();
  await source.getByTestId('source-menu-button').click();
  await expect(entry).toBeEnabled();
  await entry.click();

  // Step 1: the parent folder typed and opened with Enter, its three folders ticked.
  const dialog = page.getByTestId('send-runs-dialog');
  await dialog.getByTestId('send-folder-path').fill(lab);
  await dialog.getByTestId('send-folder-path').press('Enter');
  await expect(dialog.getByTestId('send-child-folder')).toHaveCount(3);
  for (const box of await dialog.getByTestId('send-child-folder').all()) await box.check();
  await expect(dialog.getByTestId('send-folders-chosen')).toHaveText(
    '3 folders chosen: one run each.',
  );
  await page.keyboard.press('Enter');

  // Step 2: the first folder's files mapped; each previewed as the send reads it.
  const file = (name: string) =>
    dialog.locator(`[data-testid="send-file-row"][data-file="${name}"]`);
  await file('config.yaml').getByTestId('send-file-role').selectOption('config');
  await expect(dialog.getByTestId('send-parsed-file')).toContainText('mouse');
  await file('metrics.csv').getByTestId('send-file-role').selectOption('metrics');
  await expect(dialog.getByTestId('send-table-preview')).toContainText('speed');
  await dialog.getByTestId('send-x-axis').selectOption('time');
  await file('plot.png').getByTestId('send-file-role').selectOption('artifact');
  const documentTree = dialog.getByTestId('send-document-tree');
  await expect(documentTree).toContainText('COMPLETED');
  await expect(documentTree).toContainText('MongoObserver-0.7.0');

  // Back to the folders and on again: nothing chosen is lost.
  await dialog.getByTestId('send-back').click();
  await expect(dialog.getByTestId('send-folders-chosen')).toContainText('3 folders');
  await dialog.getByTestId('send-next').click();
  await expect(file('config.yaml').getByTestId('send-file-role')).toHaveValue('config');
  await expect(dialog.getByTestId('send-x-axis')).toHaveValue('time');
  await dialog.getByTestId('send-next').click();

  // Step 3: the broken folder is marked and not sent; the button counts the runs written.
  const broken = dialog.locator(
    '[data-testid="send-check-folder"][data-folder="2023-04-19_10_00_broken"]',
  );
  await expect(broken).toHaveAttribute('data-kind', 'problems');
  await expect(broken.getByTestId('send-check-problems')).toContainText(
    'row 2 of column "speed" is not a number',
  );
  await expect(dialog.getByTestId('send-start')).toHaveText('Send 2 runs');
  await dialog.getByTestId('send-start').click();

  // Step 4: the summary names the new runs, which the table lists without a sync.
  await expect(dialog.getByTestId('send-progress-text')).toHaveText('Sent 2 runs.');
  const newIds = await dialog
    .getByTestId('send-new-run')
    .evaluateAll((spans) => spans.map((span) => span.getAttribute('data-run-id') ?? ''));
  expect(newIds.sort()).toEqual(['2', '3']);
  await expect(
    dialog.locator('[data-testid="send-progress-folder"][data-state="done"]'),
  ).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  for (const id of newIds) await expect(row(page, id)).toBeVisible();
  await expect(page.getByTestId('run-count')).toContainText('3 runs');
  // On disk: two new run folders, none for the broken one.
  expect(readdirSync(runs).sort()).toEqual(['1', '2', '3']);

  // The first folder again: it was sent with the same files, so it is held back until the user
  // ticks "send again", which writes a new run.
  await source.getByTestId('source-menu-button').click();
  await entry.click();
  await dialog.getByTestId('send-folder-path').fill(path.join(lab, '2023-04-17_18_13_mouse1'));
  await dialog.getByTestId('send-folder-path').press('Enter');
  await dialog.getByTestId('send-this-folder').click();
  await dialog.getByTestId('send-next').click();
  await file('config.yaml').getByTestId('send-file-role').selectOption('config');
  await file('metrics.csv').getByTestId('send-file-role').selectOption('metrics');
  await dialog.getByTestId('send-x-axis').selectOption('time');
  await file('plot.png').getByTestId('send-file-role').selectOption('artifact');
  await dialog.getByTestId('send-next').click();
  const again = dialog.locator('[data-testid="send-check-folder"][data-kind="sent-before"]');
  await expect(again).toContainText(`Sent before as run ${newIds.sort()[0] ?? ''}`);
  await expect(dialog.getByTestId('send-start')).toHaveText('Nothing to send');
  await expect(dialog.getByTestId('send-start')).toBeDisabled();
  await again.getByTestId('send-again').check();
  await expect(dialog.getByTestId('send-start')).toHaveText('Send 1 run');
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('send-progress-text')).toHaveText('Sent 1 run.');
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(row(page, '4')).toBeVisible();
});

test('a send whose raw file could not be stored leaves a FAILED run, which the wizard resumes', async ({
  page,
}) => {
  const runs = runsFolder('resume-runs');
  const app = await servedApp();
  const lab = path.join(root, 'resume-lab');
  const name = '2023-05-02_08_30_mouse3';
  labFolder(lab, name, 'time,speed\n0,1\n1,2\n');
  const video = Buffer.from(Array.from({ length: 4096 }, (_v, i) => (i * 7) & 0xff));
  writeFileSync(path.join(lab, name, 'video.mp4'), video);
  // The lab share already holds a folder where the copy must go: the copy fails.
  const share = path.join(root, 'share');
  const target = path.join(share, 'video', storedName(storedPrefix(name, new Date()), 'video.mp4'));
  mkdirSync(path.join(target, 'in-the-way'), { recursive: true });

  await openWithFolderSource(page, app.url, { folder: runs, source: 'resume' });
  const source = page.locator('[data-testid="source-item"][data-source="resume"]');
  await source.getByTestId('source-menu-button').click();
  await source.getByTestId('source-allow-edits').click();
  await expect(source.getByTestId('source-writable')).toBeVisible();
  const dialog = page.getByTestId('send-runs-dialog');
  const file = (relative: string) =>
    dialog.locator(`[data-testid="send-file-row"][data-file="${relative}"]`);

  /** The wizard up to its check step, mapped as the lab always maps these folders. */
  async function mapAndCheck(): Promise<void> {
    await source.getByTestId('source-menu-button').click();
    await source.getByTestId('source-send-runs').click();
    await dialog.getByTestId('send-folder-path').fill(path.join(lab, name));
    await dialog.getByTestId('send-folder-path').press('Enter');
    await dialog.getByTestId('send-this-folder').click();
    await dialog.getByTestId('send-next').click();
    await file('metrics.csv').getByTestId('send-file-role').selectOption('metrics');
    await file('video.mp4').getByTestId('send-file-role').selectOption('raw');
    await dialog.getByTestId('send-local-root').fill(share);
    await dialog.getByTestId('send-next').click();
  }

  await mapAndCheck();
  await expect(dialog.getByTestId('send-start')).toHaveText('Send 1 run');
  await dialog.getByTestId('send-start').click();
  await expect(dialog.getByTestId('send-progress-text')).toHaveText('Sent 1 run.');
  const failed = dialog.getByTestId('send-new-run');
  await expect(failed).toContainText('FAILED');
  const id = (await failed.getAttribute('data-run-id')) ?? '';
  await dialog.getByTestId('send-close').click();
  await expect(row(page, id)).toContainText('FAILED');

  // The share fixed, the same folder again: the check step offers to resume that run.
  rmSync(target, { recursive: true });
  await mapAndCheck();
  const cut = dialog.locator('[data-testid="send-check-folder"][data-kind="failed-earlier"]');
  await expect(cut.getByTestId('send-failed-earlier')).toContainText(`run ${id}`);
  await expect(cut.getByTestId('send-choice-resume')).toBeChecked();
  await expect(dialog.getByTestId('send-start')).toHaveText('Send 1 run (1 resumed)');
  await dialog.getByTestId('send-start').click();
  await expect(dialog.getByTestId('send-progress-text')).toHaveText('Sent 1 run.');
  await expect(dialog.getByTestId('send-new-run')).toHaveAttribute('data-run-id', id);
  await expect(dialog.getByTestId('send-new-run')).toContainText('resumed');
  await dialog.getByTestId('send-close').click();
  // The same run, now COMPLETED; the video is on the share byte for byte.
  await expect(row(page, id)).toContainText('COMPLETED');
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  expect(readFileSync(target).equals(video)).toBe(true);
});
