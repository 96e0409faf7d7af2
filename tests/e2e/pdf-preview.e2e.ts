import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { writePdf } from '../../main/core/demo/pdf-document';
import { brokenPdf, numberedPages, passwordProtectedPdf } from '../support/pdf-fixtures';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';
import { openRunBySearch } from './open-run';
import { runFolders } from './run-folders';

let app: ServedApp;
let folder: string;
let reportRun: string;
const pdfRun = '9101';

function artifactsOf(id: string): string[] {
  try {
    const run = JSON.parse(readFileSync(path.join(folder, id, 'run.json'), 'utf8')) as {
      artifacts?: string[];
    };
    return run.artifacts ?? [];
  } catch {
    return []; // broken variants are expected in the generated folder
  }
}

test.beforeAll(async () => {
  folder = writeGeneratedFolder('pdf', 40, 11);
  // The demo generator's own three-page report.pdf.
  const withReport = runFolders(folder).find((id) => artifactsOf(id).includes('report.pdf'));
  if (withReport === undefined) throw new Error('the generated folder has no run with report.pdf');
  reportRun = withReport;
  const runJson = JSON.parse(readFileSync(path.join(folder, reportRun, 'run.json'), 'utf8')) as {
    [key: string]: unknown;
  };
  mkdirSync(path.join(folder, pdfRun));
  const files: Record<string, Buffer> = {
    'long.pdf': writePdf(numberedPages(300, 'A long PDF')),
    'broken.pdf': brokenPdf(),
    'locked.pdf': passwordProtectedPdf(),
  };
  writeFileSync(
    path.join(folder, pdfRun, 'run.json'),
    JSON.stringify({ ...runJson, artifacts: Object.keys(files) }),
  );
  for (const [name, bytes] of Object.entries(files)) {
    writeFileSync(path.join(folder, pdfRun, name), bytes);
  }
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test.describe.configure({ mode: 'serial' });

/** Collects CSP violations from the page, its worker (console) and the DOM event. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  page.on('pageerror', (error) => {
    if (error.message.includes('Content Security Policy')) violations.push(error.message);
  });
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`,
      );
    });
  });
  return violations;
}

async function openArtifacts(page: Page, runId: string): Promise<void> {
  await openRunBySearch(page, runId);
  await page.getByTestId('tab-artifacts').click();
}

const artifact = (page: Page, name: string) =>
  page.getByTestId('artifact-item').filter({ hasText: name });

const drawnPage = (page: Page, number: number) =>
  page.locator(`[data-testid="pdf-page"][data-page="${number}"][data-drawn="drawn"]`);

/** Pixels of a drawn page's canvas: how many are not white, and how many are dark (text). */
async function inkOf(page: Page, number: number): Promise<{ ink: number; dark: number }> {
  return drawnPage(page, number)
    .locator('canvas')
    .evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext('2d');
      if (context === null || canvas.width === 0) return { ink: 0, dark: 0 };
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let ink = 0;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i] ?? 255, data[i + 1] ?? 255, data[i + 2] ?? 255];
        if (r < 240 || g < 240 || b < 240) ink++;
        if (r < 90 && g < 90 && b < 90) dark++;
      }
      return { ink, dark };
    });
}

test('a PDF artifact is drawn page by page, turns pages and zooms', async ({ page }) => {
  const violations = watchCsp(page);
  await page.goto(app.url);
  await page.getByTestId('add-folder-button').first().click();
  await page.getByTestId('folder-path-input').fill(folder);
  await page.getByTestId('folder-name-input').fill('pdfs');
  await page.getByTestId('folder-submit').click();
  await expect(page.getByTestId('run-row').first()).toBeVisible();
  await openArtifacts(page, reportRun);

  await artifact(page, 'report.pdf').click();
  const indicator = page.getByTestId('pdf-page-indicator');
  await expect(indicator).toHaveText('Page 1 of 3');
  await expect(drawnPage(page, 1)).toBeVisible();
  // The blue bar and black Helvetica text (a font the PDF does not embed) are on the canvas.
  const first = await inkOf(page, 1);
  expect(first.ink).toBeGreaterThan(1000);
  expect(first.dark).toBeGreaterThan(200);
  // The download button stays next to the preview.
  await expect(page.locator('.artifact-preview a[download="report.pdf"]')).toBeVisible();

  await page.getByTestId('pdf-next').click();
  await expect(indicator).toHaveText('Page 2 of 3');
  await expect(drawnPage(page, 2)).toBeVisible();
  expect((await inkOf(page, 2)).dark).toBeGreaterThan(200);

  const pages = page.getByTestId('pdf-pages');
  await pages.focus();
  await page.keyboard.press('PageDown');
  await expect(indicator).toHaveText('Page 3 of 3');
  await expect(page.getByTestId('pdf-next')).toBeDisabled();
  await page.keyboard.press('PageUp');
  await expect(indicator).toHaveText('Page 2 of 3');
  await page.getByTestId('pdf-prev').click();
  await expect(indicator).toHaveText('Page 1 of 3');

  const zoom = page.getByTestId('pdf-zoom');
  const widthOf = () =>
    page.locator('[data-testid="pdf-page"][data-page="1"]').evaluate((el) => el.clientWidth);
  const fitted = await widthOf();
  const fittedLabel = await zoom.textContent();
  await page.getByTestId('pdf-zoom-out').click();
  await expect(zoom).not.toHaveText(fittedLabel ?? '');
  expect(await widthOf()).toBeLessThan(fitted);
  await expect(drawnPage(page, 1)).toBeVisible();
  await page.getByTestId('pdf-fit-width').click();
  await expect(zoom).toHaveText(fittedLabel ?? '');
  expect(await widthOf()).toBe(fitted);

  // The fonts pdf.js substitutes for ones a PDF names without embedding ship with the build.
  const font = await page.request.get(
    `${app.origin}/pdfjs/standard_fonts/LiberationSans-Regular.ttf`,
  );
  expect(font.status()).toBe(200);
  expect((await font.body()).length).toBeGreaterThan(10_000);

  expect(violations).toEqual([]);
});

test('a 300-page PDF draws only the pages in view', async ({ page }) => {
  const violations = watchCsp(page);
  await page.goto(app.url);
  await openArtifacts(page, pdfRun);
  await artifact(page, 'long.pdf').click();
  await expect(page.getByTestId('pdf-page-indicator')).toHaveText('Page 1 of 300');
  await expect(page.getByTestId('pdf-page')).toHaveCount(300);
  await expect(drawnPage(page, 1)).toBeVisible();
  const drawn = page.locator('[data-testid="pdf-page"][data-drawn="drawn"]');
  expect(await drawn.count()).toBeLessThanOrEqual(8);

  await page
    .getByTestId('pdf-pages')
    .evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(page.getByTestId('pdf-page-indicator')).toHaveText('Page 300 of 300');
  await expect(drawnPage(page, 300)).toBeVisible();
  expect((await inkOf(page, 300)).dark).toBeGreaterThan(200);
  // The first page left the view: its canvas was emptied.
  await expect(
    page.locator('[data-testid="pdf-page"][data-page="1"][data-drawn="idle"]'),
  ).toHaveCount(1);
  expect(await drawn.count()).toBeLessThanOrEqual(8);
  expect(violations).toEqual([]);
});

test('a broken or password-protected PDF says so in place of the preview', async ({ page }) => {
  const violations = watchCsp(page);
  await page.goto(app.url);
  await openArtifacts(page, pdfRun);

  await artifact(page, 'broken.pdf').click();
  const error = page.getByTestId('pdf-error');
  await expect(error).toContainText('not a readable PDF');
  await expect(page.locator('.artifact-preview a[download="broken.pdf"]')).toBeVisible();

  await artifact(page, 'locked.pdf').click();
  await expect(error).toContainText('protected by a password');

  // Back to a good PDF after the errors: nothing stuck.
  await artifact(page, 'long.pdf').click();
  await expect(drawnPage(page, 1)).toBeVisible();
  expect(violations).toEqual([]);
});
