import type { Page } from '@playwright/test';

/**
 * Calls the served app's HTTP API with the page's session cookie, as the page itself would, and
 * returns the result; a refused call fails the test with the method and the app's error.
 */
export async function callApi<T = unknown>(
  page: Page,
  origin: string,
  method: string,
  args: object,
): Promise<T> {
  const response = await page.request.post(`${origin}/api/${method}`, { data: args });
  const envelope = (await response.json()) as { ok: boolean; result: T; error?: unknown };
  if (!envelope.ok) throw new Error(`${method}: ${JSON.stringify(envelope.error)}`);
  return envelope.result;
}
