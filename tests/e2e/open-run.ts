import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Waits until the run table shows the rows of what was last typed or clicked (a search, a
 * filter, a sort): it says aria-busy from the keystroke until those rows are in. Rows and the
 * run count read before that may be the previous query's, and a click may land on a row that
 * moves.
 */
export async function waitForRows(page: Page): Promise<void> {
  await expect(page.getByTestId('run-table')).toHaveAttribute('aria-busy', 'false');
}

/** Types `text` in the search box and waits until the table lists what it finds. */
export async function searchRuns(page: Page, text: string): Promise<void> {
  await page.getByTestId('quick-filter').fill(text);
  await waitForRows(page);
}

/**
 * Opens the run of `row` once the table is settled, and checks that the page that opened is
 * that run's: a click on a row that moved would open another run, which this catches here
 * rather than a later step. Returns the run's id.
 */
export async function openRow(page: Page, row: Locator): Promise<string> {
  await waitForRows(page);
  const runId = await row.getAttribute('data-run-id');
  if (runId === null) throw new Error('the row has no run id');
  await row.click();
  await expect(page.getByTestId('run-detail')).toHaveAttribute('aria-label', `Run ${runId}`);
  return runId;
}

/**
 * Finds a run with the search box and opens it. The rows move when the search applies, and
 * when a sync adds runs that the search also finds (run 12 beside 112), so the click waits for
 * both to be over; a click on a row that moved anyway would open another run, which the check
 * of the page's heading catches here rather than a later step.
 */
export async function openRunBySearch(page: Page, runId: string, source?: string): Promise<void> {
  await expect(page.getByTestId('sync-cancel')).toHaveCount(0);
  await searchRuns(page, runId);
  const inSource = source === undefined ? '' : `[data-source="${source}"]`;
  await page.locator(`[data-testid="run-row"][data-run-id="${runId}"]${inSource}`).click();
  await expect(page.getByTestId('run-detail')).toHaveAttribute('aria-label', `Run ${runId}`);
}
