import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startServedApp, writeGeneratedFolder, type ServedApp } from '../support/serve-process';
import { callApi } from './call-api';
import { openRunBySearch } from './open-run';

let app: ServedApp;
let folder: string;

interface Summary {
  source: string;
  id: string;
  experiment: string | null;
  unreadable: string | null;
  metrics: { name: string; count: number }[];
}

async function callApiOf<T>(page: Page, method: string, args: object): Promise<T> {
  return callApi<T>(page, app.origin, method, args);
}

/** Two metrics and three readable runs that logged them (the first run logged both). */
function pickRunsAndMetrics(runs: Summary[]): { metrics: [string, string]; ids: string[] } {
  const readable = runs.filter((r) => r.unreadable === null);
  let best: { metrics: [string, string]; ids: string[]; both: number } | null = null;
  const names = [...new Set(readable.flatMap((r) => r.metrics.map((m) => m.name)))].sort();
  for (const a of names) {
    for (const b of names) {
      if (a >= b) continue;
      const has = (r: Summary, n: string) => r.metrics.some((m) => m.name === n && m.count >= 20);
      const both = readable.filter((r) => has(r, a) && has(r, b));
      const either = readable.filter((r) => has(r, a) || has(r, b));
      if (both.length === 0 || either.length < 3) continue;
      const ids = [...both, ...either.filter((r) => !both.includes(r))]
        .slice(0, 3)
        .map((r) => r.id);
      if (best === null || both.length > best.both)
        best = { metrics: [a, b], ids, both: both.length };
    }
  }
  if (best === null) throw new Error('the generated folder has no two metrics shared by 3 runs');
  return best;
}

test.beforeAll(async () => {
  folder = writeGeneratedFolder('detail', 30, 11);
  app = await startServedApp();
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('open a run, switch every tab, plot two metrics of three runs, zoom, group', async ({
  page,
}) => {
  await page.goto(app.url);
  await callApiOf(page, 'addFolderSource', { name: 'lab', path: folder });
  await callApiOf(page, 'syncSources', { names: ['lab'] });
  const { runs } = await callApiOf<{ runs: Summary[] }>(page, 'listRuns', { source: 'lab' });
  const { metrics, ids } = pickRunsAndMetrics(runs);
  const [firstId, ...otherIds] = ids as [string, string, string];

  await page.reload();
  await openRunBySearch(page, firstId);
  const detail = page.getByTestId('run-detail');
  await expect(detail).toBeVisible();

  // Overview first, then every tab: each shows its content or a message, never a crash.
  await expect(page.getByTestId('overview')).toBeVisible();
  const tabs = await page
    .locator('[role="tab"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid') ?? ''));
  expect(tabs[0]).toBe('tab-overview');
  for (const id of [
    'config',
    'info',
    'output',
    'metrics',
    'artifacts',
    'experiment',
    'host',
    'meta',
    'resources',
  ]) {
    expect(tabs).toContain(`tab-${id}`);
  }
  for (const tab of tabs) {
    await page.getByTestId(tab).click();
    await expect(page.locator('.tab-panel')).toHaveAttribute('data-tab', tab.slice('tab-'.length));
    await expect(page.locator('.tab-panel .panel-crash')).toHaveCount(0);
    await expect(page.locator('.tab-panel')).not.toBeEmpty();
  }

  // Config: the tree is searchable and keeps the path of what it finds.
  await page.getByTestId('tab-config').click();
  await page.getByTestId('config-tree-search').fill('seed');
  await expect(page.locator('[data-testid="config-tree"] [data-path="seed"]')).toBeVisible();

  // Captured output: search counts matches. The run's output is known beforehand, so the
  // search is always exercised (a run without output would fail here, not skip it).
  const { text } = await callApiOf<{ text: string }>(page, 'getCapturedOutput', {
    source: 'lab',
    id: firstId,
  });
  const word = /[A-Za-z]{4,}/u.exec(text)?.[0];
  expect(word, `run ${firstId} has no word in its output`).toBeDefined();
  await page.getByTestId('tab-output').click();
  await expect(page.getByTestId('captured-output')).toBeVisible();
  await page.getByTestId('output-search').fill(word ?? '');
  await expect(page.getByTestId('output-match-count')).toHaveText(/^1 of [1-9]\d*/u);
  await expect(page.locator('mark.output-match').first()).toBeVisible();

  // Metrics: add the two other runs, tick the two metrics.
  await page.getByTestId('tab-metrics').click();
  await page.getByTestId('plot-add-runs').click();
  const picker = page.getByTestId('run-picker');
  // The picker lists the source's runs once they are loaded.
  await expect(picker.locator('.run-picker-list')).toBeVisible();
  const onlyThisExperiment = picker.locator('label.checkbox input');
  if ((await onlyThisExperiment.count()) > 0) await onlyThisExperiment.uncheck();
  for (const id of otherIds) await picker.locator(`[data-pick-run="${id}"]`).check();
  await page.getByTestId('plot-add-runs').click();
  const metricBoxes = page.getByTestId('plot-metrics').locator('input[type="checkbox"]');
  // all() does not wait: the boxes of both metrics must be listed before they are ticked.
  for (const name of metrics) {
    await expect(metricBoxes.and(page.locator(`[data-metric="${name}"]`))).toHaveCount(1);
  }
  for (const box of await metricBoxes.all()) {
    const name = await box.getAttribute('data-metric');
    if (metrics.includes(name ?? '')) await box.check();
    else await box.uncheck();
  }
  const frame = page.getByTestId('plot-frame');
  const runsWithMetric = runs.filter((r) => ids.includes(r.id));
  const expectedTraces = runsWithMetric.reduce(
    (sum, r) => sum + r.metrics.filter((m) => metrics.includes(m.name)).length,
    0,
  );
  await expect(frame).toHaveAttribute('data-trace-count', String(expectedTraces));
  const plot = page.getByTestId('metric-plot');
  await expect(plot).toHaveClass(/drawn/u);
  await expect(plot.locator('.scatterlayer .trace')).toHaveCount(expectedTraces);
  const before = Number(await frame.getAttribute('data-points-in-range'));
  expect(before).toBeGreaterThan(0);
  await expect(frame).toHaveAttribute('data-requery-count', '0');

  // Zoom: drag a box over a tenth of the x axis; the visible range is fetched again.
  const refines: { traces: { xMin?: number; xMax?: number }[] }[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/api/getMetrics')) return;
    const body = JSON.parse(request.postData() ?? '{}') as (typeof refines)[number];
    if (body.traces.some((trace) => trace.xMin !== undefined)) refines.push(body);
  });
  // When plotly reports the zoom it has drawn (the app's refine request should be out by then).
  await plot.evaluate((element) => {
    const plotly = element as HTMLElement & {
      on: (event: string, listener: () => void) => void;
      dataset: DOMStringMap;
    };
    plotly.on('plotly_relayout', () => {
      plotly.dataset.relayoutAt ??= String(performance.now());
    });
  });
  const drag = plot.locator('.nsewdrag').first();
  const box = await drag.boundingBox();
  if (box === null) throw new Error('the plot has no drag layer');
  // The drag starts on a point of the first line, where plotly shows its hover label.
  const onLine = async (fraction: number): Promise<{ x: number; y: number }> => {
    const d = (await plot.locator('.scatterlayer .trace path.js-line').first().getAttribute('d'))!;
    const vertices = [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/gu)].map((m) => ({
      x: box.x + Number(m[1]),
      y: box.y + Number(m[2]),
    }));
    const target = box.x + box.width * fraction;
    return vertices.reduce((a, b) => (Math.abs(b.x - target) < Math.abs(a.x - target) ? b : a));
  };
  const hoverLabels = plot.locator('.hoverlayer .hovertext');
  const start = await onLine(0.3);
  const y = start.y;
  await page.mouse.move(start.x, y);
  await expect(hoverLabels.first()).toBeVisible();
  await page.mouse.down();
  await page.mouse.move(start.x + box.width * 0.05, y, { steps: 5 });
  await page.mouse.move(start.x + box.width * 0.1, y + 2, { steps: 5 });
  await page.mouse.up();
  await expect(frame).toHaveAttribute('data-zoomed', 'yes');
  await expect(frame).toHaveAttribute('data-requery-count', '1');
  // No hover label left where the drag began (plotly redrew it there, over another point,
  // after its relayout and again after the refine); the next mouse move shows one.
  await expect(hoverLabels).toHaveCount(0);
  const later = await onLine(0.5);
  await page.mouse.move(later.x, later.y);
  await expect(hoverLabels.first()).toBeVisible();
  const after = Number(await frame.getAttribute('data-points-in-range'));
  expect(after).toBeLessThan(before);
  // One request (plotly's own report of the range asks nothing again; the marker request
  // below is seen after any request the page made before it), for the range plotly shows,
  // sent at mouse-up before plotly had drawn the zoom and reported it.
  const marker = page.waitForRequest((request) => request.url().endsWith('/zoom-check-marker'));
  await page.evaluate(() => fetch('/zoom-check-marker').then(() => undefined));
  await marker;
  expect(refines).toHaveLength(1);
  const shown = await plot.evaluate((element) => {
    const plotly = element as HTMLElement & { _fullLayout: { xaxis: { range: number[] } } };
    const sent = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.endsWith('/api/getMetrics'))
      .at(-1);
    return {
      range: plotly._fullLayout.xaxis.range,
      sentAt: sent?.startTime ?? NaN,
      relayoutAt: Number(plotly.dataset.relayoutAt),
    };
  });
  for (const trace of refines[0]?.traces ?? []) {
    expect(trace.xMin).toBe(Math.min(...shown.range));
    expect(trace.xMax).toBe(Math.max(...shown.range));
  }
  expect(shown.sentAt).toBeLessThan(shown.relayoutAt);

  // Group by config (all but the seed): mean lines with a ±std band.
  await page.getByTestId('plot-group-mode').selectOption('allBut');
  await expect(page.getByTestId('plot-group-key')).toHaveValue('seed');
  await expect(frame).not.toHaveAttribute('data-group-count', '0');
  await expect(plot.locator('.legendtext', { hasText: 'mean of' }).first()).toBeVisible();
  await expect(plot.locator('.scatterlayer .trace path.js-fill').first()).toBeAttached();
  // Nothing went wrong on the way (plotly errors and failed calls land in the banner).
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});
