import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ConsoleMessage, Page } from '@playwright/test';
import { SAMPLES_DIR, writeOddFolderRuns } from '../support/sacred-odd-folder-runs';
import { startSeededMongo, type SeededMongo } from '../support/seeded-mongo-process';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';
import { callApi } from './call-api';
import { openRunBySearch } from './open-run';

// Issue 5, "done when": every tab shows the real Sacred data of SACRED_FORMAT.md's variants
// without errors; a broken or missing part shows a message in its place. Every run of every
// source below is opened and every tab of its detail clicked, in one page.
let app: ServedApp;
let mongo: SeededMongo;
const tempDirs: string[] = [];

/**
 * Console errors we expect, each with its reason; everything else fails the test. Chromium
 * logs a failed fetch as "Failed to load resource: …404" with the URL as location. None are
 * expected: an artifact whose file is missing is not fetched at all (the tab says it is missing).
 */
const EXPECTED_CONSOLE_ERRORS: { reason: string; text: RegExp; url: RegExp }[] = [];

/** Text that means an exception reached the screen instead of a message. */
const RAW_EXCEPTION =
  /Cannot read propert|is not a function|\[object Object\]|\bundefined\b|Unexpected token '|Invalid JSON: Unexpected/u;
/** Tabs that show the run's own text, where a Python trace may name any exception. */
const USER_TEXT_TABS = new Set(['output', 'fail-trace']);

function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `altar-e2e-${label}-`));
  tempDirs.push(dir);
  return dir;
}

async function callApiOf<T>(page: Page, method: string, args: object): Promise<T> {
  return callApi<T>(page, app.origin, method, args);
}

test.beforeAll(async () => {
  mongo = await startSeededMongo(['--runs', '2', '--seed', '21', '--samples']);
  app = await startServedApp();
});

test.afterAll(async () => {
  await Promise.all([app?.stop(), mongo?.stop()]);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

test('every tab of every Sacred variant shows its content or a message', async ({ page }) => {
  // About 70 runs x 10 tabs: 75-85 s on two busy cores, over 300 s on two cores loaded ten
  // times over. The budget is the setup's, then a minute for each run from when it is opened:
  // a run that hangs still fails the test, a slow machine does not.
  const started = Date.now();
  test.setTimeout(300_000);
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    const expected = EXPECTED_CONSOLE_ERRORS.some(
      (allowed) => allowed.text.test(message.text()) && allowed.url.test(url),
    );
    if (!expected) consoleErrors.push(`${message.text()} @ ${url}`);
  });

  await page.goto(app.url);

  // Folder sources: the real FileStorage samples, odd runs built on the real completed run,
  // and the generator's broken variants (truncated/empty run.json, legacy queued, ...).
  const odd = tempDir('odd');
  const oddRuns = writeOddFolderRuns(odd);
  const folders: Record<string, string> = {
    'fs-odd': odd,
    'fs-generated': writeGeneratedFolder('variants', 2, 17),
  };
  tempDirs.push(folders['fs-generated']!);
  for (const state of ['failed', 'interrupted', 'queued']) {
    const copy = tempDir(state);
    cpSync(path.join(SAMPLES_DIR, `filestorage_${state}`), copy, { recursive: true });
    folders[`fs-${state}`] = copy;
  }
  for (const [name, folder] of Object.entries(folders)) {
    await callApiOf(page, 'addFolderSource', { name, path: folder });
  }

  // MongoDB sources: the real MongoObserver samples, odd documents, and a generated database
  // with Altar sender runs (§7), string/Int64 ids, a bare `{_id}` and a non-object config.
  const profile = await callApiOf<{ id: string }>(page, 'saveProfile', {
    name: 'lab',
    uri: `mongodb://reader@127.0.0.1:${mongo.port}/?authSource=admin`,
    password: 'reader-pw',
  });
  const databases: Record<string, string> = {
    'mongo-lab': mongo.database,
    'mongo-odd': mongo.oddDatabase!,
  };
  for (const [state, database] of Object.entries(mongo.sampleDatabases ?? {})) {
    databases[`mongo-${state}`] = database;
  }
  for (const [name, database] of Object.entries(databases)) {
    await callApiOf(page, 'addMongoSource', { name, profileId: profile.id, database });
  }
  const sourceNames = [...Object.keys(folders), ...Object.keys(databases)];
  await callApiOf(page, 'syncSources', { names: sourceNames });

  const runs: { source: string; id: string }[] = [];
  for (const source of sourceNames) {
    const listed = await callApiOf<{ runs: { id: string }[] }>(page, 'listRuns', { source });
    for (const run of listed.runs) runs.push({ source, id: run.id });
  }
  // Every odd folder run and every Altar run is listed (readers skip nothing with a run.json).
  const listedOdd = runs.filter((r) => r.source === 'fs-odd').map((r) => r.id);
  expect(listedOdd).toEqual(expect.arrayContaining(Object.keys(oddRuns.runs)));
  for (const id of mongo.altarIds ?? []) {
    expect(runs).toContainEqual({ source: 'mongo-lab', id });
  }
  for (const id of mongo.oddIds ?? []) expect(runs).toContainEqual({ source: 'mongo-odd', id });

  await page.reload();
  await page.getByText('All sources').click();
  const problems: string[] = [];
  /** What each tab showed, by "source/id [tab]", for the checks of particular variants. */
  const shown = new Map<string, string>();
  let tabsClicked = 0;

  for (const run of runs) {
    test.setTimeout(Date.now() - started + 60_000);
    const where = `${run.source}/${run.id}`;
    // The search applies after a pause and replaces the rows: the previous run's search
    // already showed a filtered count, so the wait is for the table itself.
    await openRunBySearch(page, run.id, run.source);
    await page.waitForFunction(
      () =>
        document.querySelector('.run-detail') !== null &&
        document.querySelector('.run-detail > .loading') === null,
      undefined,
      { timeout: 20_000 },
    );
    const detailError = await page.locator('.run-detail > .detail-error').allInnerTexts();
    if (detailError.length > 0) problems.push(`${where}: detail failed: ${detailError.join()}`);
    // The header lists what went wrong reading the run: in words, not as a parser's exception.
    const header = await page.locator('.run-header-panel').innerText();
    shown.set(`${where} [header]`, header);
    if (RAW_EXCEPTION.test(header)) problems.push(`${where} [header]: raw exception: ${header}`);

    const tabs = await page
      .locator('[role="tab"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid') ?? ''));
    for (const tab of tabs) {
      const id = tab.slice('tab-'.length);
      await page.getByTestId(tab).click();
      tabsClicked++;
      // Once the tab is shown and done loading (no `.loading` left), read what it shows.
      const handle = await page.waitForFunction(
        (want) => {
          const el = document.querySelector<HTMLElement>('.tab-panel');
          if (el?.getAttribute('data-tab') !== want || el.querySelector('.loading') !== null) {
            return null;
          }
          return {
            crash: el.querySelector('.panel-crash')?.textContent ?? null,
            text: el.innerText.trim(),
            media: el.querySelectorAll('img, svg, canvas, video, audio, iframe, table').length,
          };
        },
        id,
        { timeout: 20_000 },
      );
      const state = (await handle.jsonValue()) as {
        crash: string | null;
        text: string;
        media: number;
      };
      shown.set(`${where} [${id}]`, state.text);
      if (state.crash !== null) problems.push(`${where} [${id}]: crashed: ${state.crash}`);
      else if (state.text === '' && state.media === 0) problems.push(`${where} [${id}]: blank`);
      const raw = USER_TEXT_TABS.has(id) ? null : RAW_EXCEPTION.exec(state.text);
      if (raw !== null) {
        const at = raw.index;
        problems.push(`${where} [${id}]: raw exception: …${state.text.slice(at - 60, at + 80)}…`);
      }
    }
    const banners = await page.getByTestId('error-banner').allInnerTexts();
    if (banners.length > 0) {
      problems.push(`${where}: error banner: ${banners.join(' | ')}`);
      for (const dismiss of await page.locator('.error-banner button').all()) await dismiss.click();
    }
    for (const error of pageErrors.splice(0)) problems.push(`${where}: page error: ${error}`);
    for (const error of consoleErrors.splice(0)) problems.push(`${where}: console: ${error}`);
    await page.getByRole('button', { name: '← Runs' }).click();
  }

  expect(problems).toEqual([]);
  expect(runs.length).toBeGreaterThan(60);
  expect(tabsClicked).toBeGreaterThan(runs.length * 8);

  // A broken or missing part says so where it would have been shown.
  const expectShown = (key: string, text: string | RegExp): void => {
    expect(shown.has(key), `${key} was not shown`).toBe(true);
    if (typeof text === 'string') expect(shown.get(key), key).toContain(text);
    else expect(shown.get(key), key).toMatch(text);
  };
  expectShown(
    'fs-odd/junk-config [header]',
    'config.json is not valid JSON (unexpected character U+0000)',
  );
  expectShown('fs-odd/broken-config [header]', 'config.json is not valid JSON (truncated?)');
  expectShown(
    'fs-odd/junk-run [header]',
    /could not be read completely\. run\.json is not valid JSON/u,
  );
  expectShown('fs-odd/junk-metrics [metrics]', 'The metrics of this run could not be read.');
  expectShown('fs-odd/cout-directory [output]', 'The captured output could not be read.');
  expectShown('mongo-odd/4 [fail-trace]', 'one string, not a list');
  expectShown(`mongo-odd/${mongo.oddIds![4]} [output]`, 'captured_out is a number, not text');
  expectShown(
    'fs-odd/missing-files [artifacts]',
    '“ghost.png” is listed by this run, but its file is missing',
  );
  expectShown(
    'mongo-odd/4 [artifacts]',
    '“ghost.bin” is listed by this run, but its file is missing',
  );
  expectShown('fs-odd/missing-files [experiment]', 'gone.py (not stored)');
  expectShown('fs-odd/no-metrics [metrics]', 'This run logged no metrics');
  expectShown('fs-odd/truncated-metrics-tokens [header]', 'metrics.json is truncated');
  // Real sample data and decoded jsonpickle nodes are shown, not raw dicts.
  expectShown('fs-odd/jsonpickle [config]', 'datetime 2023-04-17 18:13:00.250000');
  expectShown('fs-odd/jsonpickle [config]', 'ndarray float64 [16, 4]');
  expectShown('fs-odd/jsonpickle [info]', 'DataFrame 2 rows × 2 columns (a, b)');
  expectShown('mongo-odd/1 [config]', 'datetime 2024-06-01 12:00:00 UTC+02:00');
  expectShown('fs-odd/awkward-keys [config]', '学习率');
  expectShown('mongo-completed/1 [info]', 'datetime 2024-01-02 00:00:00');
  expectShown('mongo-completed/1 [experiment]', 'my_exp.py');
  expectShown('mongo-failed/1 [fail-trace]', 'Traceback');
  expectShown('fs-queued/1 [overview]', 'QUEUED');
  expectShown('mongo-queued/1 [overview]', 'QUEUED');
  expectShown('fs-odd/host-gpus [host]', 'NVIDIA A100');
  for (const id of mongo.altarIds ?? []) {
    expectShown(`mongo-lab/${id} [raw-data]`, 'notes.txt');
    expectShown(`mongo-lab/${id} [info]`, /data files[\s\S]*video\.tiff/iu);
  }
});
