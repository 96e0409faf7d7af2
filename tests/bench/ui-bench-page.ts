/**
 * What the window benchmark does inside the page: a click timed from the click to the frame
 * that shows its result (requestAnimationFrame, in the page, so the driver's own latency is not
 * counted), an API call made the way the renderer's HTTP client makes it, and the browser it
 * all runs in (Debian's Chromium, cold: a fresh context per session, so a fresh HTTP cache).
 */
import { chromium } from '@playwright/test';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { CHROMIUM_ARGS } from './renderer-memory-bench';

/** What the frame must show for a timed action to count as done. */
export type Shown =
  | { kind: 'sorted'; column: string; firstRowBefore: string | null }
  | { kind: 'selector'; selector: string }
  | { kind: 'attribute-change'; selector: string; attribute: string; before: string | null };

export async function launchBrowser(chromiumPath: string): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
}

/** A fresh context: no HTTP cache, no storage, the app's first use. */
export async function coldPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // tsx (esbuild, keepNames) wraps named helpers in __name(), which the page lacks.
  await context.addInitScript('globalThis.__name ??= (fn) => fn');
  const page = await context.newPage();
  return { context, page };
}

/**
 * Clicks `selector` in the page and waits, frame by frame, until `shown` holds. Returns the
 * milliseconds from the click to the start of that frame.
 */
export async function timedClick(
  page: Page,
  selector: string,
  shown: Shown,
  timeoutMs = 600_000,
): Promise<number> {
  return page.evaluate(
    async ({ selector, shown, timeoutMs }) => {
      const done = (): boolean => {
        if (shown.kind === 'selector') return document.querySelector(shown.selector) !== null;
        if (shown.kind === 'attribute-change') {
          const now = document.querySelector(shown.selector)?.getAttribute(shown.attribute);
          return now !== undefined && now !== null && now !== shown.before;
        }
        const header = document.querySelector(
          `[data-testid="column-header"][data-column="${shown.column}"]`,
        );
        const first = document
          .querySelector('[data-testid="run-row"]')
          ?.getAttribute('data-run-id');
        const busy = document.querySelector('[data-testid="run-table"][aria-busy="true"]');
        return (
          header?.getAttribute('aria-sort') === 'ascending' &&
          busy === null &&
          first !== undefined &&
          first !== shown.firstRowBefore &&
          document.querySelector('.run-row.placeholder') === null
        );
      };
      const target = document.querySelector<HTMLElement>(selector);
      if (target === null) throw new Error(`nothing to click at ${selector}`);
      const started = performance.now();
      target.click();
      for (;;) {
        await new Promise<number>((resolve) => requestAnimationFrame(resolve));
        // performance.now(), not the frame's timestamp: that is the frame's start, which can
        // precede the click handled in the same frame.
        const now = performance.now();
        if (done()) return now - started;
        if (now - started > timeoutMs) throw new Error(`${selector}: never shown (${shown.kind})`);
      }
    },
    { selector, shown, timeoutMs },
  );
}

/**
 * One API call through the browser door as the renderer's client makes it (POST, the session
 * cookie), the reply read and parsed. Milliseconds and the reply's length in characters.
 */
export async function pageApiCall(
  page: Page,
  method: string,
  args: Record<string, unknown>,
): Promise<{ ms: number; chars: number }> {
  return page.evaluate(
    async ({ method, args }) => {
      const started = performance.now();
      const response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args),
        credentials: 'same-origin',
      });
      const text = await response.text();
      const reply = JSON.parse(text) as { ok?: boolean; error?: { message?: string } };
      if (reply.ok === false) throw new Error(`${method}: ${reply.error?.message ?? 'failed'}`);
      return { ms: performance.now() - started, chars: text.length };
    },
    { method, args },
  );
}

/** Several calls at once (as a plot asks for its traces): milliseconds until all answered. */
export async function pageApiCalls(
  page: Page,
  method: string,
  argsList: Record<string, unknown>[],
): Promise<number> {
  return page.evaluate(
    async ({ method, argsList }) => {
      const started = performance.now();
      await Promise.all(
        argsList.map(async (args) => {
          const response = await fetch(`/api/${method}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(args),
            credentials: 'same-origin',
          });
          const reply = JSON.parse(await response.text()) as { ok?: boolean };
          if (reply.ok === false) throw new Error(`${method} failed`);
        }),
      );
      return performance.now() - started;
    },
    { method, argsList },
  );
}

export function median(samples: number[]): number {
  const sorted = [...samples].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
