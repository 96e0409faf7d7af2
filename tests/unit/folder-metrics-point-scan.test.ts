import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricsFileResult } from '../../main/core/folder/read-metrics-file';
import { readMetricsFile } from '../../main/core/folder/read-metrics-file';

// The points' scan reads the usual shapes of points (plain decimals, 17-digit floats, Sacred's
// time strings) without the byte-by-byte path; anything else falls back to that path. A user
// must see the same points and notes either way: every number's bits, NaN and -0 included.

let dir: string;
let counter = 0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'altar-point-scan-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every field of the result, the arrays as their bytes (so NaN, -0 and 1e400 compare exactly). */
function exactly(result: MetricsFileResult): unknown {
  return {
    ...result,
    metrics: result.metrics.map((metric) => ({
      name: metric.name,
      steps: Buffer.from(
        metric.steps.buffer,
        metric.steps.byteOffset,
        metric.steps.byteLength,
      ).toString('hex'),
      timestamps: Buffer.from(
        metric.timestamps.buffer,
        metric.timestamps.byteOffset,
        metric.timestamps.byteLength,
      ).toString('hex'),
      values: Buffer.from(
        metric.values.buffer,
        metric.values.byteOffset,
        metric.values.byteLength,
      ).toString('hex'),
    })),
  };
}

/** Reads `text` with the scan and byte by byte, whole and in small chunks: one answer. */
async function readBothWays(text: string): Promise<MetricsFileResult> {
  const path = join(dir, `metrics-${counter++}.json`);
  await writeFile(path, text);
  const reference = await readMetricsFile(path, { pointScan: false });
  for (const chunkBytes of [undefined, 16, 23, 61, 256]) {
    const options = chunkBytes === undefined ? {} : { chunkBytes };
    expect(exactly(await readMetricsFile(path, options))).toEqual(exactly(reference));
    expect(exactly(await readMetricsFile(path, { ...options, pointScan: false }))).toEqual(
      exactly(reference),
    );
  }
  return reference;
}

/** A small seeded generator, so a failure names a text that can be made again. */
function randomOf(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const NUMBER_WORDS = [
  '0',
  '-0',
  '7',
  '0.01',
  '20.704599982127547',
  '-0.12345678901234568',
  '123456789012345678901234',
  '9007199254740993',
  '0.0000000000000000000000001',
  '1e400',
  '-1e400',
  '1.5e-05',
  '1E+20',
  '01',
  '1.',
  'NaN',
  'Infinity',
  '-Infinity',
  'null',
  'true',
  'false',
  '"3.5"',
  '" "',
  '[1, 2]',
  '{"a": 1}',
];

const TIME_WORDS = [
  '"2026-10-07T00:20:30.640332"',
  '"2026-10-07T00:20:30"',
  '"2026-10-07T23:59:60.5"',
  '"2026-10-07 00:20:30.123456789123"',
  '"2026-10-07T00:20:30.640332+02:00"',
  '"2026-10-07T00:20:30Z"',
  '"2026-10-07"',
  '"2026-13-07T00:20:30"',
  '"2026-10-07T00:20:30."',
  '"\\u0032026-10-07T00:20:30"',
  '"not a time"',
  '12',
  'null',
  'NaN',
  '[]',
];

function pick(random: () => number, words: readonly string[]): string {
  return words[Math.floor(random() * words.length)] as string;
}

function spaced(random: () => number): string {
  return ['', ' ', '\n      ', '\r\n\t', '  '][Math.floor(random() * 5)] as string;
}

function randomMetricsText(seed: number): string {
  const random = randomOf(seed);
  const metrics: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let m = 0; m < count; m++) {
    const points = Math.floor(random() * 40);
    const usual = random() < 0.7;
    const array = (word: (i: number) => string): string =>
      `[${Array.from({ length: points }, (_, i) => `${spaced(random)}${word(i)}`).join(',')}${spaced(random)}]`;
    const steps = array((i) => (usual && random() < 0.9 ? String(i) : pick(random, NUMBER_WORDS)));
    const timestamps = array((i) =>
      usual && random() < 0.9
        ? `"2026-10-07T00:${String(20 + (i % 30)).padStart(2, '0')}:30.${String(640000 + i * 37).padStart(6, '0')}"`
        : pick(random, TIME_WORDS),
    );
    const values = array(() =>
      usual && random() < 0.9 ? String(random() * 100 - 50) : pick(random, NUMBER_WORDS),
    );
    metrics.push(
      `"metric_${m}": {"steps": ${steps},${spaced(random)}"timestamps": ${timestamps}, "values": ${values}}`,
    );
  }
  return `{${metrics.join(',\n  ')}}`;
}

describe('readMetricsFile points scan', () => {
  it('reads 200 random files of usual and unusual points exactly as the byte path', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      await readBothWays(randomMetricsText(seed));
    }
  });

  it('reads Python floats, timestamps and steps into the same numbers', async () => {
    const result = await readBothWays(
      '{"loss": {"steps": [0, 1, 2], "timestamps": ["2026-10-07T00:20:30.640332", ' +
        '"2026-10-07T00:20:31", "2026-10-08T00:00:00.5"], "values": [20.704599982127547, -0, 1e400]}}',
    );
    const loss = result.metrics[0];
    expect(Array.from(loss?.steps ?? [])).toEqual([0, 1, 2]);
    expect(Array.from(loss?.timestamps ?? [])).toEqual([
      Date.UTC(2026, 9, 7, 0, 20, 30) + 640.332,
      Date.UTC(2026, 9, 7, 0, 20, 31),
      Date.UTC(2026, 9, 8) + 500,
    ]);
    expect(Object.is(loss?.values[1], -0)).toBe(true);
    expect(Array.from(loss?.values ?? [])).toEqual([20.704599982127547, -0, Infinity]);
    expect(result.warning).toBeNull();
  });

  it('notes the points it could not read, as the byte path does', async () => {
    const result = await readBothWays(
      '{"m": {"steps": [0, 1, 2, 3], "timestamps": ["2026-10-07T00:20:30", 12, "x", ' +
        '"2026-10-07T00:20:30+01:00"], "values": [1.5, "abc", [2], 01]}}',
    );
    expect(Array.from(result.metrics[0]?.values ?? [])).toEqual([1.5, NaN, NaN, 1]);
    expect(result.warning).toMatch(/not numbers/);
    expect(result.warning).toMatch(/time/);
  });

  it('stops at the same byte on a broken or cut file', async () => {
    const broken = await readBothWays('{"m": {"values": [1.25, 2.5, 3.x5, 4]}}');
    expect(broken.invalid).toBe(true);
    expect(Array.from(broken.metrics[0]?.values ?? [])).toEqual([1.25, 2.5]);
    const cut = await readBothWays('{"m": {"steps": [0, 1, 2], "values": [1.25, 2.5, 3.7');
    expect(cut.truncated).toBe(true);
    expect(Array.from(cut.metrics[0]?.values ?? [])).toEqual([1.25, 2.5]);
  });
});
