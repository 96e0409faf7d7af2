/**
 * The window's part of a sort, builds alternated (issue 13): `npx tsx
 * tests/bench/ui-sort-window.ts --table-dir DIR --cli A/dist/cli.mjs --cli B/dist/cli.mjs
 * [--rounds N] [--clicks N]`, on a table data dir written by `npm run bench:ui -- --data-dir D`
 * (D/t…/table; copied once, never changed). Each round serves each build in turn on the copy
 * (a fresh serve process and browser context), waits for the first rows, adds the bench's
 * config column and clicks sorts: the config column and the run id, ascending and descending
 * in turn, so every click brings a screen of other runs. Per click it notes, in the page, the
 * time from the click to the frame showing the new rows and from the reply's last byte to that
 * frame (the window's part, which a warm server leaves as most of a click's time), the click's
 * own task, the reply → commit and the layout forced right after the commit. Prints the
 * medians per build and round; read the builds against each other, never the absolutes.
 * With `--cpu`, each click is also traced and the renderer main thread's CPU (thread time,
 * which the machine's load moves far less than wall time) from the click to its rows is
 * printed: in all, and its style, layout and paint (pre-paint, paint, layerize) parts.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from '@playwright/test';
import type { TraceEvent } from './profile-summaries';
import { rendererMainThreads, selfTimesByName } from './profile-summaries';
import { startServedApp } from '../support/serve-process';
import { pristineCopy } from './clean-close-stamp';
import { defaultChromium, settled } from './renderer-memory-bench';
import { addColumn, CONFIG_COLUMN, openCatalogOnce } from './ui-bench-table-session';
import { coldPage, launchBrowser, median } from './ui-bench-page';

const { values } = parseArgs({
  options: {
    'table-dir': { type: 'string' },
    cli: { type: 'string', multiple: true },
    runs: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    clicks: { type: 'string', default: '12' },
    work: { type: 'string', default: '/tmp/ui-sort-window' },
    /** CSS added on every other click (a same-page A/B of a style change). */
    css: { type: 'string' },
    /** Trace each click: the renderer main thread's CPU by phase. */
    cpu: { type: 'boolean', default: false },
  },
});
const clis = values.cli ?? [];
if (values['table-dir'] === undefined || clis.length === 0) {
  console.error('usage: ui-sort-window.ts --table-dir DIR --cli A/cli.mjs [--cli B/cli.mjs] …');
  process.exit(2);
}
const runs = Number(values.runs);

interface Click {
  ms: number;
  /** From the reply's last byte to the frame showing its rows. */
  windowMs: number;
  /** From the reply's last byte to the DOM holding its rows (parse, render, commit). */
  renderMs: number;
  /** Style and layout of the new rows, forced right after the commit. */
  layoutMs: number;
  /** The click's own task (its handlers, React's render and effects of the click). */
  clickMs: number;
  /** With --cpu: the renderer main thread's thread time over the traced click, by phase. */
  cpu?: ClickCpu;
}

interface ClickCpu {
  totalMs: number;
  styleMs: number;
  layoutMs: number;
  paintMs: number;
}

const PAINT_EVENTS = new Set(['PrePaint', 'Paint', 'Layerize', 'PaintSetup', 'UpdateLayer']);

/** The busiest renderer main thread's thread time in a trace of one click, by phase. */
function clickCpu(trace: Buffer): ClickCpu {
  let busiest: TraceEvent[] = [];
  for (const complete of rendererMainThreads(trace)) {
    if (complete.length > busiest.length) busiest = complete;
  }
  const self = selfTimesByName(busiest, (event) => (event.tdur ?? event.dur ?? 0) / 1000);
  let totalMs = 0;
  let paintMs = 0;
  for (const [name, ms] of self) {
    totalMs += ms;
    if (PAINT_EVENTS.has(name)) paintMs += ms;
  }
  return {
    totalMs,
    styleMs: self.get('UpdateLayoutTree') ?? 0,
    layoutMs: self.get('Layout') ?? 0,
    paintMs,
  };
}

/** Clicks the sort button of `column` and waits for a new first row, all rows loaded. */
async function timedSortClick(page: Page, column: string): Promise<Click> {
  return page.evaluate(async (column) => {
    const selector = `[data-testid="column-header"][data-column="${column}"] [data-testid="column-sort"]`;
    const firstRow = (): string | null =>
      document.querySelector('[data-testid="run-row"]')?.getAttribute('data-run-id') ?? null;
    const before = firstRow();
    const target = document.querySelector<HTMLElement>(selector);
    if (target === null) throw new Error(`no sort button for ${column}`);
    const table = document.querySelector('[data-testid="run-table"]');
    if (table === null) throw new Error('no run table');
    // The commit that brings the new first row: its time, and its style and layout forced
    // at once (the frame would do the same work a little later).
    let committedAt = NaN;
    let layoutMs = NaN;
    const observer = new MutationObserver(() => {
      if (!Number.isNaN(committedAt) || firstRow() === before) return;
      committedAt = performance.now();
      void (table as HTMLElement).offsetHeight;
      layoutMs = performance.now() - committedAt;
    });
    observer.observe(table, { subtree: true, childList: true, attributes: true });
    performance.clearResourceTimings();
    const started = performance.now();
    target.click();
    // React renders a click's update in a microtask, and the effects it runs may queue more:
    // a few turns of the microtask queue take them in.
    for (let turn = 0; turn < 5; turn++) await Promise.resolve();
    const clickMs = performance.now() - started;
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      const shown =
        firstRow() !== before &&
        document.querySelector('[data-testid="run-table"][aria-busy="true"]') === null &&
        document.querySelector('.run-row.placeholder') === null;
      if (shown) {
        const replies = performance
          .getEntriesByType('resource')
          .filter((entry) => entry.name.includes('/api/queryRuns'))
          .map((entry) => (entry as PerformanceResourceTiming).responseEnd)
          .filter((end) => end > started && end <= now);
        const reply = replies.length === 0 ? started : Math.min(...replies);
        observer.disconnect();
        return {
          ms: now - started,
          windowMs: now - reply,
          renderMs: committedAt - reply,
          layoutMs,
          clickMs,
        };
      }
      if (now - started > 60_000) throw new Error(`sort by ${column}: never shown`);
    }
  }, column);
}

async function session(
  browser: Browser,
  cli: string,
  dataDir: string,
): Promise<{ clicks: Click[]; styled: Click[] }> {
  const app = await startServedApp({ dataDir, keepDataDir: true, cli });
  const { context, page } = await coldPage(browser);
  try {
    await page.goto(app.url, { timeout: 600_000 });
    await settled(page, new RegExp(`^${runs} runs`, 'u'));
    await openCatalogOnce(page);
    await addColumn(page, CONFIG_COLUMN, 1500);
    const clicks: Click[] = [];
    const styled: Click[] = [];
    const columns = [CONFIG_COLUMN, 'id'];
    const css = values.css === undefined ? null : readFileSync(values.css, 'utf8');
    for (let i = 0; i < Number(values.clicks); i++) {
      // Each column twice (ascending, then descending), then the other one.
      const column = columns[Math.floor(i / 2) % columns.length] ?? CONFIG_COLUMN;
      const withCss = css !== null && i % 2 === 1;
      await page.evaluate(
        ({ css, on }) => {
          let style = document.getElementById('bench-css');
          if (on && style === null) {
            style = document.createElement('style');
            style.id = 'bench-css';
            style.textContent = css;
            document.head.append(style);
          }
          if (!on) style?.remove();
        },
        { css: css ?? '', on: withCss },
      );
      await page.waitForTimeout(300);
      if (values.cpu) {
        await browser.startTracing(page, {
          screenshots: false,
          categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'],
        });
      }
      const click = await timedSortClick(page, column);
      if (values.cpu) click.cpu = clickCpu(await browser.stopTracing());
      (withCss ? styled : clicks).push(click);
    }
    return { clicks, styled };
  } finally {
    await context.close();
    await app.stop();
  }
}

function report(label: string, warm: Click[], first: Click | undefined): void {
  const p50 = (pick: (click: Click) => number): string => median(warm.map(pick)).toFixed(1);
  console.log(
    `${label}: click → rows p50 ${p50((c) => c.ms)} ms, reply → rows ` +
      `${p50((c) => c.windowMs)} (reply → commit ${p50((c) => c.renderMs)}, forced ` +
      `layout ${p50((c) => c.layoutMs)}; the click's task ${p50((c) => c.clickMs)})` +
      (first === undefined
        ? ''
        : `; first sort ${first.ms.toFixed(0)} ms (reply → rows ${first.windowMs.toFixed(0)})`) +
      `; reply → rows each: ${warm.map((c) => c.windowMs.toFixed(0)).join(' ')}`,
  );
  const cpu = warm.flatMap((click) => (click.cpu === undefined ? [] : [click.cpu]));
  if (cpu.length > 0) {
    const cpu50 = (pick: (c: ClickCpu) => number): string => median(cpu.map(pick)).toFixed(1);
    console.log(
      `${label}: renderer main thread CPU p50 ${cpu50((c) => c.totalMs)} ms (style ` +
        `${cpu50((c) => c.styleMs)}, layout ${cpu50((c) => c.layoutMs)}, paint ` +
        `${cpu50((c) => c.paintMs)}); layout each: ${cpu.map((c) => c.layoutMs.toFixed(1)).join(' ')}`,
    );
  }
}

const dataDir = path.resolve(values.work, 'data');
pristineCopy(path.resolve(values['table-dir']), dataDir);
const browser = await launchBrowser(defaultChromium());
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const cli of clis) {
      const { clicks, styled } = await session(browser, path.resolve(cli), dataDir);
      // The first click of a session is the column's first sort; the rest are warm.
      report(`round ${round} ${cli}`, clicks.slice(1), clicks[0]);
      if (styled.length > 0) report(`round ${round} ${cli} + css`, styled, undefined);
    }
  }
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
