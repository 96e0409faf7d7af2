import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/**
 * Opens the app at `url` with `folder` as the source named `source`, adding it through the Add
 * folder form the way a user does when a fresh page has no such source yet, and waits until its
 * first sync is over. A later test of the same file finds the source already there.
 */
export async function openWithFolderSource(
  page: Page,
  url: string,
  { folder, source }: { folder: string; source: string },
): Promise<void> {
  await page.goto(url);
  const item = page.locator(`[data-testid="source-item"][data-source="${source}"]`);
  await expect(item.or(page.locator('.start-screen'))).toBeVisible();
  if (!(await item.isVisible())) {
    await page.getByTestId('add-folder-button').first().click();
    await page.getByTestId('folder-path-input').fill(folder);
    await page.getByTestId('folder-name-input').fill(source);
    await page.getByTestId('folder-submit').click();
    await expect(item).toBeVisible();
  }
  await expect(item.getByTestId('sync-cancel')).toHaveCount(0);
}
