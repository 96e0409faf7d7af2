import { expect, type Page } from '@playwright/test';

/**
 * Finds a run with the search box and opens it. The rows move when the search applies, so the
 * click waits until the table no longer says it is busy; a click on a row that moved anyway would
 * open another run, which the check of the page's heading catches here rather than a later step.
 */
export async function openRunBySearch(page: Page, runId: string, source?: string): Promise<void> {
  await page.getByTestId('quick-filter').fill(runId);
  await expect(page.getByTestId('run-table')).toHaveAttribute('aria-busy', 'false');
  const inSource = source === undefined ? '' : `[data-source="${source}"]`;
  await page.locator(`[data-testid="run-row"][data-run-id="${runId}"]${inSource}`).click();
  await expect(page.getByTestId('run-detail')).toHaveAttribute('aria-label', `Run ${runId}`);
}
