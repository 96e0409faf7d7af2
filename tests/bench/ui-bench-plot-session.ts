/**
 * Metric plots as a user meets them, cold (a fresh serve process and browser context): the
 * first plot of the session (one run, plotly not loaded yet), a zoom on it, then all runs
 * plotted and zoomed. Zooms are real mouse drags on plotly's drag layer; the page notes the
 * mouse-up, the frame that shows the new axis range (plotly's local relayout) and the moment
 * the refined points are drawn. Baselines: the full arrays through the same door, the
 * full-resolution range of the zoom, and for the one-run zoom plotly's own local relayout of the
 * same drag on the same figure, as the first relayout of another cold page (the app's zoom is
 * its page's first relayout too: comparing it with a second, warm one was unfair).
 */
import type { Browser, Page } from '@playwright/test';
import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { startServedApp } from '../support/serve-process';
import { METRIC, lossRun } from './metric-plot-bench';
import { coldPage, pageApiCall, pageApiCalls, timedClick } from './ui-bench-page';

export const PLOT_SOURCE = 'plots';

/** A cache in `dataDir` holding `runs` runs of one `points`-point loss metric each. */
export function writePlotData(dataDir: string, runs: number, points: number): void {
  const store = CacheStore.open(cacheFilePath(dataDir));
  try {
    store.addSource({
      name: PLOT_SOURCE,
      kind: 'folder',
      location: `/nowhere/${PLOT_SOURCE}`,
      createdAt: '2025-01-01T00:00:00Z',
    });
    for (let id = 1; id <= runs; id++) {
      store.writeRun(
        PLOT_SOURCE,
        { id: String(id), dir: null, fingerprint: 'x' },
        lossRun(id, points),
      );
    }
  } finally {
    store.close();
  }
}

export interface PlotSession {
  firstPlotMs: number;
  firstPlotFullArrayMs: number;
  /** Mouse-up → the zoomed axis on screen, and → the refined points drawn (one run). */
  zoomOneShownMs: number;
  zoomOneRefinedMs: number;
  /**
   * The same drag on a copy of the same figure that only plotly listens to, the first
   * relayout of a cold page: plotly's local relayout, nothing re-queried.
   */
  localRelayoutMs: number;
  allPlotMs: number;
  allFullArraysMs: number;
  zoomAllShownMs: number;
  zoomAllRefinedMs: number;
  zoomAllFullRangeMs: number;
}

export const PLOT = '[data-testid="plot-runs-view"] [data-testid="metric-plot"]';

/** From a plot back to the table, then every one of its `runs` runs selected (Ctrl+A). */
export async function selectAllRuns(page: Page, runs: number): Promise<void> {
  await page.getByRole('button', { name: '← Runs' }).click();
  await page.locator('[data-testid="run-row"]').first().waitFor();
  await page.getByTestId('run-table').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page
    .getByText(new RegExp(`${runs} selected`, 'u'))
    .first()
    .waitFor();
}

interface ZoomTimes {
  shownMs: number;
  refinedMs: number;
  /** The x range after the zoom, in steps. */
  range: [number, number];
}

/**
 * From the table's first rows: the first run plotted alone, then all `runs` plotted together
 * (what the zoom benches start from).
 */
export async function plotAllRuns(page: Page, runs: number): Promise<void> {
  await page
    .locator('[data-testid="run-row"]')
    .first()
    .click({ modifiers: ['Control'] });
  await page.locator('[data-testid="plot-selected"]:not([disabled])').click();
  await page.locator(`${PLOT}.drawn .scatterlayer .trace`).first().waitFor({ timeout: 600_000 });
  await selectAllRuns(page, runs);
  await page.locator('[data-testid="plot-selected"]:not([disabled])').click();
  await page
    .locator(`${PLOT}.drawn .scatterlayer .trace:nth-child(${runs})`)
    .waitFor({ timeout: 600_000 });
}

/**
 * Drags on the plot from (fx0, fy0) to (fx1, fy1), fractions of plotly's drag layer. `axis`
 * says which axis range to watch; `refine` whether to wait for the app's re-queried points.
 */
export async function dragZoom(
  page: Page,
  from: [number, number],
  to: [number, number],
  axis: 'xaxis' | 'yaxis',
  refine: boolean,
  plotSelector = PLOT,
): Promise<ZoomTimes> {
  await page.evaluate(
    ({ plotSelector, axis }) => {
      type PlotlyDiv = HTMLElement & { _fullLayout: Record<string, { range: unknown[] }> };
      const plot = document.querySelector(plotSelector) as PlotlyDiv;
      const frame = document.querySelector<HTMLElement>('[data-testid="plot-frame"]');
      if (frame === null) throw new Error('no plot frame');
      if (plot === null) throw new Error(`no plot at ${plotSelector}`);
      const rangeOf = (): string => JSON.stringify(plot._fullLayout[axis]?.range);
      const watch = {
        up: NaN,
        shown: NaN,
        refined: NaN,
        rangeBefore: rangeOf(),
        requeryBefore: frame.dataset.requeryCount,
      };
      (globalThis as unknown as { __zoomWatch: typeof watch }).__zoomWatch = watch;
      // The input's own time, not when this listener runs: the app's mouse-up listener is
      // registered first and runs before it, and its work is part of what the user waits for.
      window.addEventListener(
        'mouseup',
        (event) => {
          watch.up = event.timeStamp;
        },
        { capture: true, once: true },
      );
      // Refined: the re-queried points are in (requery count moved) and plotly drew them.
      const observer = new MutationObserver(() => {
        if (Number.isNaN(watch.up) || !Number.isNaN(watch.refined)) return;
        if (
          frame.dataset.requeryCount !== watch.requeryBefore &&
          plot.classList.contains('drawn')
        ) {
          watch.refined = performance.now() - watch.up;
          observer.disconnect();
        }
      });
      observer.observe(plot, { attributes: true, attributeFilter: ['class'] });
      const loop = (): void => {
        // performance.now(), not the frame's timestamp (the frame's start, maybe before the
        // mouse-up handled in it).
        const now = performance.now();
        if (
          !Number.isNaN(watch.up) &&
          Number.isNaN(watch.shown) &&
          rangeOf() !== watch.rangeBefore
        ) {
          watch.shown = now - watch.up;
        }
        if (Number.isNaN(watch.shown)) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    },
    { plotSelector, axis },
  );
  const box = await page.locator(`${plotSelector} .nsewdrag`).first().boundingBox();
  if (box === null) throw new Error('no plotly drag layer');
  const at = (fx: number, fy: number): [number, number] => [
    box.x + box.width * fx,
    box.y + box.height * fy,
  ];
  await page.mouse.move(...at(...from));
  await page.mouse.down();
  for (let step = 1; step <= 5; step++) {
    const f = step / 5;
    await page.mouse.move(...at(from[0] + (to[0] - from[0]) * f, from[1] + (to[1] - from[1]) * f));
  }
  await page.mouse.up();
  const watched = await page.waitForFunction(
    (refine) => {
      const watch = (globalThis as unknown as { __zoomWatch: { shown: number; refined: number } })
        .__zoomWatch;
      if (Number.isNaN(watch.shown) || (refine && Number.isNaN(watch.refined))) return null;
      return { shown: watch.shown, refined: watch.refined };
    },
    refine,
    { timeout: 600_000, polling: 'raf' },
  );
  const times = (await watched.jsonValue()) as { shown: number; refined: number };
  const range = await page.evaluate((plotSelector) => {
    const plot = document.querySelector(plotSelector) as HTMLElement & {
      _fullLayout: { xaxis: { range: [number, number] } };
    };
    return plot._fullLayout.xaxis.range;
  }, plotSelector);
  return { shownMs: times.shown, refinedMs: times.refined ?? NaN, range };
}

const PLAIN_PLOT = '[data-testid="plain-plotly-copy"]';

/**
 * plotly's local relayout of the drag from..to on the first run's plot, in a page of its own:
 * the app draws the plot, then the page gets a copy of its figure (same data, layout and size,
 * over it) made with the app's own plotly chunk, to which nothing but plotly listens; the drag
 * on the copy is the page's first relayout, as the app's zoom was in its page.
 */
export async function localRelayoutOfSameZoom(
  browser: Browser,
  url: string,
  from: [number, number],
  to: [number, number],
  /** Where to write a Chromium trace of the drag, if anywhere. */
  tracePath?: string,
): Promise<number> {
  const { context, page } = await coldPage(browser);
  try {
    await page.goto(url);
    const rows = page.locator('[data-testid="run-row"]');
    await rows.first().waitFor({ timeout: 600_000 });
    await rows.first().click({ modifiers: ['Control'] });
    await page.locator('[data-testid="plot-selected"]:not([disabled])').click();
    await page.locator(`${PLOT}.drawn .scatterlayer .trace`).first().waitFor({ timeout: 600_000 });
    await page.evaluate(
      async ({ plotSelector, copyId }) => {
        type Figure = HTMLElement & { data: unknown[]; layout: Record<string, unknown> };
        const plot = document.querySelector(plotSelector) as Figure;
        const chunk = performance
          .getEntriesByType('resource')
          .map((entry) => entry.name)
          .find((name) => /\/assets\/[^/]*plotly[^/]*\.js$/u.test(name));
        if (chunk === undefined) throw new Error('the plotly chunk was not loaded');
        const module = (await import(chunk)) as Record<string, unknown>;
        // The chunk runs plotly in steps (build/plotly-stepper.ts): finish() returns it.
        const finish = module.finish as (() => unknown) | undefined;
        const plotly = (
          typeof finish === 'function'
            ? finish()
            : Object.values(module).find(
                (value) => typeof (value as { newPlot?: unknown })?.newPlot === 'function',
              )
        ) as { newPlot: (div: HTMLElement, data: unknown[], layout: unknown) => Promise<void> };
        const box = plot.getBoundingClientRect();
        const copy = document.createElement('div');
        copy.dataset.testid = copyId;
        Object.assign(copy.style, {
          position: 'fixed',
          left: `${box.left}px`,
          top: `${box.top}px`,
          width: `${box.width}px`,
          height: `${box.height}px`,
          zIndex: '1000',
          background: 'white',
        });
        document.body.append(copy);
        await plotly.newPlot(copy, structuredClone(plot.data), {
          ...structuredClone(plot.layout),
          width: box.width,
          height: box.height,
        });
      },
      { plotSelector: PLOT, copyId: 'plain-plotly-copy' },
    );
    if (tracePath !== undefined) await browser.startTracing(page, { path: tracePath });
    const times = await dragZoom(page, from, to, 'xaxis', false, PLAIN_PLOT);
    if (tracePath !== undefined) await browser.stopTracing();
    return times.shownMs;
  } finally {
    await context.close();
  }
}

/** One cold session on the plot data (runs 1..runs of METRIC in source PLOT_SOURCE). */
export async function runPlotSession(
  browser: Browser,
  dataDir: string,
  runs: number,
  thinkMs: number,
  /** Where to write a Chromium performance trace of the session (chrome://tracing), if any. */
  tracePath?: string,
): Promise<PlotSession> {
  const app = await startServedApp({ dataDir, keepDataDir: true });
  const { context, page } = await coldPage(browser);
  try {
    if (tracePath !== undefined) await browser.startTracing(page, { path: tracePath });
    await page.goto(app.url);
    const rows = page.locator('[data-testid="run-row"]');
    await rows.first().waitFor({ timeout: 600_000 });
    await page
      .getByText(new RegExp(`^${runs} runs`, 'u'))
      .first()
      .waitFor();
    // A user reads the table before asking for a plot; the app may use that idle time.
    await page.waitForTimeout(thinkMs);

    const firstId = (await rows.first().getAttribute('data-run-id')) ?? '';
    await rows.first().click({ modifiers: ['Control'] });
    await page.locator('[data-testid="plot-selected"]:not([disabled])').waitFor();
    const firstPlotMs = await timedClick(page, '[data-testid="plot-selected"]', {
      kind: 'selector',
      selector: `${PLOT}.drawn .scatterlayer .trace`,
    });
    const zoomOne = await dragZoom(page, [0.4, 0.5], [0.6, 0.5], 'xaxis', true);
    const full = await pageApiCall(page, 'getMetric', {
      source: PLOT_SOURCE,
      id: firstId,
      name: METRIC,
    });

    await selectAllRuns(page, runs);
    const allPlotMs = await timedClick(page, '[data-testid="plot-selected"]', {
      kind: 'selector',
      selector: `${PLOT}.drawn .scatterlayer .trace:nth-child(${runs})`,
    });
    const zoomAll = await dragZoom(page, [0.45, 0.5], [0.55, 0.5], 'xaxis', true);
    const ids = Array.from({ length: runs }, (_, i) => String(i + 1));
    const [x0, x1] = zoomAll.range;
    const zoomAllFullRangeMs = await pageApiCalls(
      page,
      'getMetric',
      ids.map((id) => ({ source: PLOT_SOURCE, id, name: METRIC, xMin: x0, xMax: x1 })),
    );
    const allFullArraysMs = await pageApiCalls(
      page,
      'getMetric',
      ids.map((id) => ({ source: PLOT_SOURCE, id, name: METRIC })),
    );
    if (tracePath !== undefined) await browser.stopTracing();
    const localRelayoutMs = await localRelayoutOfSameZoom(browser, app.url, [0.4, 0.5], [0.6, 0.5]);
    return {
      firstPlotMs,
      firstPlotFullArrayMs: full.ms,
      zoomOneShownMs: zoomOne.shownMs,
      zoomOneRefinedMs: zoomOne.refinedMs,
      localRelayoutMs,
      allPlotMs,
      allFullArraysMs,
      zoomAllShownMs: zoomAll.shownMs,
      zoomAllRefinedMs: zoomAll.refinedMs,
      zoomAllFullRangeMs,
    };
  } finally {
    await context.close();
    await app.stop();
  }
}
