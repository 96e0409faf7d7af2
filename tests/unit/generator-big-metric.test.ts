import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import { tempDir } from './generator-support';

const dir = tempDir('gen-big-');
afterAll(() => dir.remove());

const POINTS = 300_000;

function column(text: string, metric: string, key: string): string {
  const start = text.indexOf(`"${metric}": {`);
  expect(start).toBeGreaterThanOrEqual(0);
  const open = text.indexOf(`"${key}": [`, start);
  const close = text.indexOf('\n    ]', open);
  return text.slice(open, close);
}

describe('big metric streaming', () => {
  it('writes the requested number of points into one run', async () => {
    const folder = await generateSacredFolder(dir.path, {
      runs: 3,
      seed: 21,
      variants: false,
      bigMetricPoints: POINTS,
    });
    const owner = folder.runIds.find(
      (id) => statSync(join(dir.path, id, 'metrics.json')).size > 10_000_000,
    );
    expect(owner).toBeDefined();
    const text = readFileSync(join(dir.path, owner!, 'metrics.json'), 'utf8');
    expect(column(text, 'batch.loss', 'steps').match(/\n {6}\d+/gu)?.length).toBe(POINTS);
    const stamps = column(text, 'batch.loss', 'timestamps');
    expect(stamps.match(/\n {6}"\d{4}-\d\d-\d\dT[\d:.]+"/gu)?.length).toBe(POINTS);
    const values = column(text, 'batch.loss', 'values');
    expect(values.match(/\n {6}(-?[\d.e+-]+|NaN|-?Infinity|null)(?=,|$)/gu)?.length).toBe(POINTS);
    // About 0.1% NaN, written as the bare token Python writes.
    const nans = values.match(/\n {6}NaN/gu)?.length ?? 0;
    expect(nans).toBeGreaterThan(POINTS * 0.0005);
    expect(nans).toBeLessThan(POINTS * 0.002);
    expect(folder.points).toBeGreaterThanOrEqual(POINTS);
  });
});
