import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { repoRoot, startServedApp, type ServedApp } from '../support/serve-process';

// The app runs plotly's bundle rewritten into steps (build/plotly-stepper.ts), modules run in
// another order than one evaluation would. This holds what it yields to the untouched bundle
// from npm, in the same browser: the same plot schema (every trace type, attribute and default)
// and the same drawing of a figure, whether all of it ran in idle steps or at once in finish().

let app: ServedApp;
test.beforeAll(async () => {
  app = await startServedApp();
});
test.afterAll(async () => {
  await app?.stop();
});

const untouchedBundle = createRequire(import.meta.url).resolve(
  'plotly.js-basic-dist-min/plotly-basic.min.js',
);
const steppedChunk = readdirSync(path.join(repoRoot, 'dist/renderer/assets')).find((name) =>
  /plotly-stepper.*\.js$/u.test(name),
);

const FIGURE = {
  data: [
    { x: [1, 2, 3, 4], y: [0.5, NaN, 0.25, 0.125], type: 'scatter', mode: 'lines', name: 'loss' },
    { x: [1, 2, 3, 4], y: [1, 2, 3, 4], type: 'scatter', mode: 'lines+markers', name: 'acc' },
  ],
  layout: { width: 600, height: 300, yaxis: { type: 'log' }, showlegend: true },
};

/** The schema as JSON (functions dropped) and the figure's SVG, from the plotly in the page. */
async function schemaAndDrawing(page: Page): Promise<{ schema: string; svg: string }> {
  return page.evaluate(async (figure) => {
    type Plotly = {
      PlotSchema: { get(): unknown };
      newPlot(div: HTMLElement, data: unknown[], layout: unknown): Promise<HTMLElement>;
    };
    const plotly = (window as unknown as { __plotly: Plotly }).__plotly;
    const div = document.createElement('div');
    document.body.append(div);
    await plotly.newPlot(div, figure.data, { ...figure.layout });
    const svg = div.querySelector('svg.main-svg')?.outerHTML ?? '';
    // Trace, clip-path and defs ids carry a random hex part per figure.
    return {
      schema: JSON.stringify(plotly.PlotSchema.get()),
      svg: svg.replace(/[0-9a-f]{6,}/gu, 'ID'),
    };
  }, FIGURE);
}

async function fromStepped(page: Page, inSteps: boolean): Promise<{ schema: string; svg: string }> {
  // A page of the app's origin that is not the app (a 404): the app's own idle-time preload
  // would step the same module instance before this test could. The app's page first, for the
  // session cookie its token gives.
  await page.goto(app.url);
  const response = await page.goto(`${app.origin}/no-such-page`);
  expect(response?.status()).toBe(404);
  await page.evaluate(
    async ({ chunk, inSteps }) => {
      const module = (await import(`/assets/${chunk}`)) as {
        step(shouldStop: () => boolean): boolean;
        finish(): unknown;
      };
      if (inSteps) while (!module.step(() => false));
      (window as unknown as { __plotly: unknown }).__plotly = module.finish();
    },
    { chunk: steppedChunk, inSteps },
  );
  return schemaAndDrawing(page);
}

test('plotly run in steps gives the schema and drawing of the untouched bundle', async ({
  browser,
}) => {
  expect(steppedChunk, 'npm run build made no plotly-stepper chunk').toBeDefined();
  const plain = await browser.newPage();
  await plain.setContent('<!doctype html><html><body></body></html>');
  await plain.addScriptTag({ path: untouchedBundle });
  await plain.evaluate(() => {
    const w = window as unknown as { Plotly: unknown; __plotly: unknown };
    w.__plotly = w.Plotly;
  });
  const expected = await schemaAndDrawing(plain);
  expect(expected.svg).toContain('scatterlayer');

  for (const inSteps of [true, false]) {
    const page = await browser.newPage();
    const got = await fromStepped(page, inSteps);
    expect(got.schema, `schema, ${inSteps ? 'in steps' : 'at once'}`).toBe(expected.schema);
    expect(got.svg, `drawing, ${inSteps ? 'in steps' : 'at once'}`).toBe(expected.svg);
    await page.close();
  }
  await plain.close();
});
