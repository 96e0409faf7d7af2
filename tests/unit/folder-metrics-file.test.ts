import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedMetric } from '../../main/core/folder/parsed-run';
import { readMetricsFile } from '../../main/core/folder/read-metrics-file';

interface ExpectedMetric {
  name: string;
  steps: number[];
  timestamps: number[];
  values: number[];
  /** How each point is written, as Python's json.dump would. */
  stepText: string[];
  timeText: string[];
  valueText: string[];
}

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function naiveIso(ms: number, micros: number, withFraction: boolean): string {
  const iso = new Date(ms).toISOString().slice(0, 19);
  if (!withFraction) return iso;
  const fraction = String((ms % 1000) * 1000 + micros).padStart(6, '0');
  return `${iso}.${fraction}`;
}

function makeMetric(name: string, count: number, seed: number): ExpectedMetric {
  const random = prng(seed);
  const metric: ExpectedMetric = {
    name,
    steps: [],
    timestamps: [],
    values: [],
    stepText: [],
    timeText: [],
    valueText: [],
  };
  const start = Date.UTC(2026, 10, 26, 21, 32, 2);
  for (let i = 0; i < count; i++) {
    metric.steps.push(i * 10);
    metric.stepText.push(String(i * 10));
    const withFraction = i % 7 !== 3;
    const ms = withFraction ? start + i * 13 + Math.floor(random() * 10) : start + i * 1000;
    const micros = withFraction ? Math.floor(random() * 1000) : 0;
    metric.timeText.push(naiveIso(ms, micros, withFraction));
    // Microseconds are kept as the fraction of a millisecond, computed as the reader does.
    metric.timestamps.push(ms - (ms % 1000) + ((ms % 1000) * 1000 + micros) / 1000);
    const kind = i % 11;
    let value: number;
    let text: string;
    if (kind === 0) [value, text] = [NaN, 'NaN'];
    else if (kind === 1) [value, text] = [Infinity, 'Infinity'];
    else if (kind === 2) [value, text] = [-Infinity, '-Infinity'];
    else if (kind === 3) [value, text] = [NaN, 'null'];
    else if (kind === 4) [value, text] = [1, 'true'];
    else if (kind === 5) [value, text] = [(random() - 0.5) * 1e-7, ''];
    else if (kind === 6) [value, text] = [Math.round(random() * 1000) - 500, ''];
    else if (kind === 7) [value, text] = [-0, '-0.0'];
    else [value, text] = [(random() - 0.5) * 10 ** Math.floor(random() * 30 - 10), ''];
    if (text === '') {
      // Python writes 1e-05 and 1.5e+20 where JavaScript writes 0.00001 and 150000000000000000000.
      text = String(value);
      if (Number.isInteger(value) && kind !== 6 && !text.includes('e')) text = `${text}.0`;
      text = text.replace(/e([+-])(\d)$/, 'e$10$2');
    }
    metric.values.push(value);
    metric.valueText.push(text);
  }
  return metric;
}

function pythonJson(metrics: ExpectedMetric[]): string {
  const arr = (items: string[]) => `[\n      ${items.join(',\n      ')}\n    ]`;
  const entries = metrics.map(
    (m) =>
      `  "${m.name}": {\n    "steps": ${arr(m.stepText)},\n    "timestamps": ${arr(
        m.timeText.map((t) => `"${t}"`),
      )},\n    "values": ${arr(m.valueText)}\n  }`,
  );
  return `{\n${entries.join(',\n')}\n}`;
}

function expectSame(actual: ParsedMetric | undefined, expected: ExpectedMetric, count?: number) {
  const n = count ?? expected.values.length;
  expect(actual?.name).toBe(expected.name);
  expect(actual?.values.length).toBe(n);
  // Object.is per point: -0, NaN and the last bit of every double must survive.
  const mismatch = (got: Float64Array | undefined, want: number[]) => {
    for (let i = 0; i < n; i++)
      if (!Object.is(got?.[i], want[i])) return `${i}: ${got?.[i]} vs ${want[i]}`;
    return null;
  };
  expect(mismatch(actual?.steps, expected.steps)).toBeNull();
  expect(mismatch(actual?.timestamps, expected.timestamps)).toBeNull();
  expect(mismatch(actual?.values, expected.values)).toBeNull();
}

describe('readMetricsFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'altar-metrics-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads 200k points in 4 KiB chunks exactly, tokens straddling chunk edges', async () => {
    const metrics = [makeMetric('train.loss', 120_000, 1), makeMetric('val.acc', 80_000, 2)];
    const path = join(dir, 'metrics.json');
    await writeFile(path, pythonJson(metrics));
    const read = await readMetricsFile(path, { chunkBytes: 4096 });
    expect(read.warning).toBeNull();
    expect(read.truncated).toBe(false);
    expect(read.metrics).toHaveLength(2);
    expectSame(read.metrics[0], metrics[0] as ExpectedMetric);
    expectSame(read.metrics[1], metrics[1] as ExpectedMetric);
  });

  it('gives the same points for every chunk size, down to a few bytes', async () => {
    const metrics = [makeMetric('a "quoted" \u00e9 name', 60, 3), makeMetric('b', 40, 4)];
    const path = join(dir, 'metrics.json');
    await writeFile(
      path,
      pythonJson(metrics).replace('a "quoted" \u00e9 name', 'a \\"quoted\\" \u00e9 name'),
    );
    for (let chunkBytes = 16; chunkBytes < 80; chunkBytes += 7) {
      const read = await readMetricsFile(path, { chunkBytes });
      expect(read.warning).toBeNull();
      expectSame(read.metrics[0], metrics[0] as ExpectedMetric);
      expectSame(read.metrics[1], metrics[1] as ExpectedMetric);
    }
  });

  it('reads timestamps without a fraction to the right milliseconds, and keeps microseconds', async () => {
    const path = join(dir, 'metrics.json');
    await writeFile(
      path,
      '{"m": {"steps": [0, 1], "timestamps": ["2026-11-26T21:32:02", "2026-11-26T21:32:03.000001"], "values": [1, 2]}}',
    );
    const read = await readMetricsFile(path);
    expect(Array.from(read.metrics[0]?.timestamps ?? [])).toEqual([
      Date.UTC(2026, 10, 26, 21, 32, 2),
      Date.UTC(2026, 10, 26, 21, 32, 3) + 0.001,
    ]);
  });

  it('keeps the complete points of a truncated file and says it is truncated', async () => {
    const metrics = [makeMetric('first', 50, 5), makeMetric('second', 50, 6)];
    const text = pythonJson(metrics);
    // Cut inside the 21st value of "second", in the middle of its number token.
    const valuesAt = text.lastIndexOf('"values"');
    let cut = valuesAt;
    for (let i = 0; i < 21; i++) cut = text.indexOf('\n      ', cut + 1);
    cut += '\n      '.length + 1;
    const path = join(dir, 'metrics.json');
    await writeFile(path, text.slice(0, cut));
    const read = await readMetricsFile(path, { chunkBytes: 64 });
    expect(read.truncated).toBe(true);
    expect(read.warning).toMatch(/^metrics\.json is truncated/);
    expect(read.metrics).toHaveLength(2);
    expectSame(read.metrics[0], metrics[0] as ExpectedMetric);
    expectSame(read.metrics[1], metrics[1] as ExpectedMetric, 20);
  });

  it('does not count a number cut at the very end of the file as a point', async () => {
    const path = join(dir, 'metrics.json');
    await writeFile(
      path,
      '{"m": {"steps": [0, 1, 2], "timestamps": ["2026-11-26T21:32:02", "2026-11-26T21:32:02", "2026-11-26T21:32:02"], "values": [1.5, 12',
    );
    const read = await readMetricsFile(path);
    expect(Array.from(read.metrics[0]?.values ?? [])).toEqual([1.5]);
    expect(Array.from(read.metrics[0]?.steps ?? [])).toEqual([0]);
  });

  it('drops a metric that was cut before its first complete point', async () => {
    const path = join(dir, 'metrics.json');
    await writeFile(
      path,
      '{"a": {"steps": [0], "timestamps": ["2026-11-26T21:32:02"], "values": [3]}, "b": {"steps": [0, 1',
    );
    const read = await readMetricsFile(path);
    expect(read.metrics.map((m) => m.name)).toEqual(['a']);
    expect(read.truncated).toBe(true);
  });

  it('reports an empty file, and reads {} as no metrics', async () => {
    const empty = join(dir, 'empty.json');
    const none = join(dir, 'none.json');
    await writeFile(empty, '');
    await writeFile(none, '{}');
    const readEmpty = await readMetricsFile(empty);
    expect(readEmpty.metrics).toEqual([]);
    expect(readEmpty.truncated).toBe(true);
    expect(readEmpty.warning).toMatch(/^metrics\.json is empty/);
    expect(await readMetricsFile(none)).toEqual({
      metrics: [],
      warning: null,
      truncated: false,
      invalid: false,
    });
  });

  it('stops at invalid content with the points read so far and a warning', async () => {
    const path = join(dir, 'metrics.json');
    await writeFile(
      path,
      '{"a": {"steps": [0], "timestamps": ["2026-11-26T21:32:02"], "values": [3]}, "b": {"steps": [0, nan]}}',
    );
    const read = await readMetricsFile(path);
    expect(read.invalid).toBe(true);
    expect(read.warning).toMatch(/^metrics\.json is not valid JSON at byte \d+/);
    expect(read.metrics.map((m) => m.name)).toEqual(['a']);
  });

  it('cuts ragged arrays to the shortest and warns about it', async () => {
    const path = join(dir, 'metrics.json');
    await writeFile(
      path,
      '{"m": {"steps": [0, 1, 2], "timestamps": ["2026-11-26T21:32:02", "2026-11-26T21:32:03"], "values": [1, 2, 3]}}',
    );
    const read = await readMetricsFile(path);
    expect(Array.from(read.metrics[0]?.values ?? [])).toEqual([1, 2]);
    expect(read.warning).toContain('different lengths');
    expect(read.truncated).toBe(false);
  });

  it('fills missing steps with 0..n-1 and missing timestamps with NaN, ignores extra keys', async () => {
    const path = join(dir, 'metrics.json');
    await writeFile(path, '{"m": {"note": {"x": [1, 2]}, "values": [5, 6, "7"], "extra": [1]}}');
    const read = await readMetricsFile(path);
    const m = read.metrics[0];
    expect(Array.from(m?.steps ?? [])).toEqual([0, 1, 2]);
    expect(Array.from(m?.values ?? [])).toEqual([5, 6, 7]);
    expect(Array.from(m?.timestamps ?? [])).toEqual([NaN, NaN, NaN]);
    expect(read.warning).toBeNull();
  });

  it('rejects a file that does not hold an object of metrics', async () => {
    const path = join(dir, 'metrics.json');
    await writeFile(path, '[1, 2, 3]');
    const read = await readMetricsFile(path);
    expect(read.metrics).toEqual([]);
    expect(read.warning).toContain('does not hold an object of metrics');
  });
});
