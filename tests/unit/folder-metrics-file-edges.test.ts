import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricsFileResult } from '../../main/core/folder/read-metrics-file';
import { readMetricsFile } from '../../main/core/folder/read-metrics-file';

// Edge cases of the metrics.json tokenizer that the round-trip tests do not reach: number
// spellings, literals, escapes, points that are not numbers or times, broken files (with the
// byte the user is pointed at) and the exact warnings shown on the run.

let dir: string;
let counter = 0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'altar-metrics-edges-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(text: string, chunkBytes?: number): Promise<MetricsFileResult> {
  const path = join(dir, `metrics-${counter++}.json`);
  await writeFile(path, text);
  return readMetricsFile(path, chunkBytes === undefined ? {} : { chunkBytes });
}

/** Reads the text with the default chunk and with chunks of 16..40 bytes, expecting one answer. */
async function readEveryChunk(text: string): Promise<MetricsFileResult> {
  const whole = await read(text);
  for (const chunkBytes of [16, 17, 23, 40]) {
    expect(await read(text, chunkBytes)).toEqual(whole);
  }
  return whole;
}

function valuesOf(result: MetricsFileResult, name: string): number[] {
  const metric = result.metrics.find((m) => m.name === name);
  expect(metric, `metric ${name}`).toBeDefined();
  return Array.from(metric?.values ?? []);
}

describe('readMetricsFile edge cases', () => {
  it('reads exponents, long fractions and big integers as JSON does', async () => {
    const written = [
      '1e5',
      '1E+20',
      '1.5e-05',
      '-2.5e+3',
      '0.00000000000000000000001',
      '0.0000000000000000000001',
      '123456789012345678901234',
      '9007199254740993',
      '0.1',
      '-0',
      '100',
    ];
    const result = await readEveryChunk(`{"m": {"values": [${written.join(', ')}]}}`);
    expect(result.warning).toBeNull();
    expect(valuesOf(result, 'm')).toEqual(written.map(Number));
  });

  it('reads NaN, Infinity, true, false and null as Sacred writes them', async () => {
    const result = await readEveryChunk(
      '{"m": {"steps": [0, 1, 2, 3, 4, 5], "values": [NaN, Infinity, -Infinity, true, false, null]}}',
    );
    expect(valuesOf(result, 'm')).toEqual([NaN, Infinity, -Infinity, 1, 0, NaN]);
    // null is Python's None: no number, but nothing was lost either.
    expect(result.warning).toBeNull();
  });

  it('reads a file with CRLF line ends and tabs', async () => {
    const result = await readEveryChunk(
      '{\r\n\t"m":\t{\r\n\t\t"values":\t[1,\r\n\t2]\r\n\t}\r\n}\r\n',
    );
    expect(result.warning).toBeNull();
    expect(valuesOf(result, 'm')).toEqual([1, 2]);
  });

  it('names the unknown word it stopped at, at most 20 bytes of it', async () => {
    const text = '{"m": {"values": [1, ZAz, 2]}}';
    const result = await read(text, 16);
    expect(result.invalid).toBe(true);
    expect(result.warning).toBe(
      `metrics.json is not valid JSON at byte ${text.indexOf('ZAz')} (unexpected "ZAz"); ` +
        'showing the points read before it',
    );
    expect(valuesOf(result, 'm')).toEqual([1]);

    const long = `{"m": {"values": [${'x'.repeat(30)}]}}`;
    const longResult = await read(long);
    expect(longResult.warning).toContain(`(unexpected "${'x'.repeat(20)}")`);
  });

  it('takes a leading plus or a bare fraction for invalid JSON', async () => {
    for (const word of ['+1', '.5']) {
      const text = `{"m": {"values": [3, ${word}]}}`;
      const result = await read(text);
      expect(result.invalid, word).toBe(true);
      expect(result.warning).toContain(`at byte ${text.indexOf(word)} (unexpected "${word}")`);
      expect(valuesOf(result, 'm')).toEqual([3]);
    }
  });

  it('points at the right byte of a stray byte far into the file, across chunks', async () => {
    const text = `{"first": {"values": [1, 2, 3]}, "second": {"values": [4, @]}}`;
    for (const chunkBytes of [16, 19, 1000]) {
      const result = await read(text, chunkBytes);
      expect(result.invalid).toBe(true);
      expect(result.truncated).toBe(false);
      expect(result.warning).toBe(
        `metrics.json is not valid JSON at byte ${text.indexOf('@')} (unexpected byte 0x40); ` +
          'showing the points read before it',
      );
      expect(result.metrics.map((m) => m.name)).toEqual(['first', 'second']);
      expect(valuesOf(result, 'second')).toEqual([4]);
    }
  });

  it('stops at a closing bracket of the wrong kind and reads nothing after it', async () => {
    const text = '{"m": {"values": [1, 2}, 3, 4]}}';
    for (const chunkBytes of [16, 1000]) {
      const result = await read(text, chunkBytes);
      expect(result.invalid).toBe(true);
      expect(result.warning).toContain(`at byte ${text.indexOf('}')} (unexpected "}")`);
      expect(valuesOf(result, 'm')).toEqual([1, 2]);
    }
    const bracket = '{"m": {"values": [7]]}, "n": {"values": [8]}}';
    const result = await read(bracket);
    expect(result.warning).toContain(`at byte ${bracket.indexOf(']]') + 1} (unexpected "]")`);
    expect(result.metrics.map((m) => m.name)).toEqual(['m']);
  });

  it('reports a file broken at its very first byte and reads nothing after it', async () => {
    for (const [first, chunkBytes] of [
      ['}', 16],
      ['}', undefined],
      [']', undefined],
    ] as const) {
      const result = await read(`${first}{"m": {"values": [1]}}`, chunkBytes);
      expect(result.invalid).toBe(true);
      expect(result.truncated).toBe(false);
      expect(result.metrics).toEqual([]);
      expect(result.warning).toBe(
        `metrics.json is not valid JSON at byte 0 (unexpected "${first}"); showing the points read before it`,
      );
    }
  });

  it('points past leading whitespace at a file that holds no object', async () => {
    const pad = ' '.repeat(21);
    for (const body of ['5 ', '"loss" ', '[1]']) {
      const result = await read(pad + body, 16);
      expect(result.invalid, body).toBe(true);
      expect(result.warning).toContain(
        `at byte ${pad.length} (the file does not hold an object of metrics)`,
      );
    }
  });

  it('names a control byte with two hex digits', async () => {
    const text = '{"m": {"values": [1, \u0001]}}';
    const result = await read(text);
    expect(result.warning).toContain(`at byte ${text.indexOf('\u0001')} (unexpected byte 0x01)`);
  });

  it('skips strings written as whole metrics or metric fields without a warning', async () => {
    const result = await readEveryChunk(
      '{"note": "hello", "m": {"unit": "loss", "values": [1, 2]}, "n": {"values": [3]}}',
    );
    expect(result.warning).toBeNull();
    expect(result.metrics.map((m) => [m.name, Array.from(m.values)])).toEqual([
      ['m', [1, 2]],
      ['n', [3]],
    ]);
  });

  it('takes values written as an object for no values, not for lost points', async () => {
    const result = await read('{"m": {"values": {"a": 1}, "steps": [0]}}');
    expect(result.metrics.map((m) => m.values.length)).toEqual([0]);
    expect(result.warning).toBe('metric "m" has no values');
  });

  it.skipIf(!existsSync('/proc/self/fd'))('closes the file after reading it', async () => {
    const path = join(dir, 'closed-metrics.json');
    await writeFile(path, '{"m": {"values": [1, 2]}}');
    await readMetricsFile(path, { chunkBytes: 16 });
    await writeFile(path, '{"m": {"values": [1, @]}}');
    await readMetricsFile(path, { chunkBytes: 16 });
    const open: string[] = [];
    for (const fd of await readdir('/proc/self/fd')) {
      const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
      if (target === path) open.push(fd);
    }
    expect(open).toEqual([]);
  });

  it('rejects a bare number or string as the whole file', async () => {
    for (const text of ['5 ', '"loss" ', 'true ']) {
      const result = await read(text);
      expect(result.invalid, text).toBe(true);
      expect(result.metrics).toEqual([]);
      expect(result.warning).toBe(
        'metrics.json is not valid JSON at byte 0 (the file does not hold an object of metrics); ' +
          'showing the points read before it',
      );
    }
  });

  it('reads escaped metric names and keeps every metric under its own name', async () => {
    const text =
      '{"lo\\"ss": {"values": [1]}, "acc\\u00e9": {"values": [2]}, "a\\\\b": {"values": [3]}, ' +
      '"plain": {"values": [4]}}';
    const result = await readEveryChunk(text);
    expect(result.warning).toBeNull();
    expect(result.metrics.map((m) => [m.name, Array.from(m.values)])).toEqual([
      ['lo"ss', [1]],
      ['accé', [2]],
      ['a\\b', [3]],
      ['plain', [4]],
    ]);
  });

  it('stops at an invalid escape in a name or a value, without inventing a point', async () => {
    const inName = '{"ok": {"values": [1]}, "b\\xad": {"values": [2]}}';
    const named = await read(inName);
    expect(named.invalid).toBe(true);
    expect(named.warning).toContain(`at byte ${inName.indexOf('"b\\x')} (invalid string escape)`);
    expect(named.metrics.map((m) => m.name)).toEqual(['ok']);

    const inValue = '{"m": {"values": [1, "\\q", 3]}}';
    const valued = await read(inValue, 16);
    expect(valued.warning).toContain(`at byte ${inValue.indexOf('"\\q')} (invalid string escape)`);
    expect(valuesOf(valued, 'm')).toEqual([1]);
  });

  it('keeps a nested array or object in the values as one NaN point and says so', async () => {
    const result = await readEveryChunk(
      '{"m": {"steps": [0, 1, 2, 3], "values": [1, [2, 3], {"v": 4}, 5]}}',
    );
    expect(valuesOf(result, 'm')).toEqual([1, NaN, NaN, 5]);
    expect(Array.from(result.metrics[0]?.steps ?? [])).toEqual([0, 1, 2, 3]);
    expect(result.warning).toBe('metric "m": 2 values were not numbers (kept as NaN)');
  });

  it('reads number strings as numbers and counts the strings that are not', async () => {
    const result = await readEveryChunk(
      '{"m": {"values": ["0.5", "high", "", " ", "1e3", "2026-11-26T21:32:02"]}}',
    );
    expect(valuesOf(result, 'm')).toEqual([0.5, NaN, NaN, NaN, 1000, NaN]);
    expect(result.warning).toBe('metric "m": 4 values were not numbers (kept as NaN)');
  });

  it('does not count strings in the steps as lost values', async () => {
    const result = await read('{"m": {"steps": ["x", 1], "values": [1, 2]}}');
    expect(valuesOf(result, 'm')).toEqual([1, 2]);
    expect(result.warning).toBeNull();
  });

  it('counts unreadable and numeric times, not null ones', async () => {
    const result = await readEveryChunk(
      '{"m": {"timestamps": ["2026-11-26T21:32:02.500000", "yesterday", 17, 18.5, null, ' +
        '"2026-11-26T21:32:\\u00303"], "values": [1, 2, 3, 4, 5, 6]}}',
    );
    const metric = result.metrics[0];
    expect(Array.from(metric?.timestamps ?? [])).toEqual([
      Date.UTC(2026, 10, 26, 21, 32, 2, 500),
      NaN,
      NaN,
      NaN,
      NaN,
      Date.UTC(2026, 10, 26, 21, 32, 3),
    ]);
    expect(result.warning).toBe('metric "m": 3 times were not readable times (kept as no time)');
  });

  it('keeps more than 256 points of one metric', async () => {
    const values = Array.from({ length: 600 }, (_, i) => i * 0.5);
    const result = await read(`{"m": {"values": [${values.join(',')}]}}`, 64);
    expect(result.warning).toBeNull();
    expect(valuesOf(result, 'm')).toEqual(values);
  });

  it('warns about a metric with no values, and joins several warnings with "; "', async () => {
    const result = await read(
      '{"a": {"steps": [1, 2]}, "b": {"values": ["x"]}, "c": {"values": [3]}}',
    );
    expect(result.metrics.map((m) => [m.name, m.values.length])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 1],
    ]);
    expect(result.warning).toBe(
      'metric "a" has no values; metric "b": 1 value was not numbers (kept as NaN)',
    );
  });

  it('names the missing array in a ragged-arrays warning with "-"', async () => {
    const noSteps = await read(
      '{"m": {"timestamps": ["2026-11-26T21:32:02"], "values": [1, 2, 3]}}',
    );
    expect(noSteps.warning).toBe(
      'metric "m": steps, timestamps and values have different lengths (-, 1, 3); kept the first 1 points',
    );
    const noTimes = await read('{"m": {"steps": [0, 1], "values": [1, 2, 3]}}');
    expect(noTimes.warning).toBe(
      'metric "m": steps, timestamps and values have different lengths (2, -, 3); kept the first 2 points',
    );
  });

  it('does not call a metric cut by truncation ragged', async () => {
    const result = await read('{"m": {"steps": [0, 1, 2], "values": [5, 6, ', 16);
    expect(result.truncated).toBe(true);
    expect(result.invalid).toBe(false);
    expect(valuesOf(result, 'm')).toEqual([5, 6]);
    expect(result.warning).toBe(
      'metrics.json is truncated (it may be being rewritten); showing the points read before the cut',
    );
  });

  it('tells an empty file from one holding only whitespace', async () => {
    const empty = await read('');
    expect(empty.warning).toBe('metrics.json is empty (it may be being rewritten)');
    const blank = await read(' \r\n\t ');
    expect(blank.truncated).toBe(true);
    expect(blank.warning).toBe('metrics.json holds only whitespace');
  });

  it('names metrics.json when the path is not a regular file', async () => {
    const path = join(dir, 'metrics.dir');
    await mkdir(path);
    await expect(readMetricsFile(path)).rejects.toThrow(/^metrics\.json is /u);
  });
});
