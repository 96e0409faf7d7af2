import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseTolerantJson,
  readJsonFileTolerant,
  TolerantJsonError,
} from '../../main/core/folder/tolerant-json';

describe('parseTolerantJson', () => {
  it('reads the bare NaN, Infinity and -Infinity tokens Python writes', () => {
    const value = parseTolerantJson('{"a": NaN, "b": [Infinity, -Infinity, 1.5], "c": {"d": NaN}}');
    expect(value).toEqual({ a: NaN, b: [Infinity, -Infinity, 1.5], c: { d: NaN } });
  });

  it('leaves the words inside strings alone, escaped quotes included', () => {
    const text = String.raw`{"NaN": "NaN is fine", "q": "say \"NaN\" or \"Infinity\"", "p": "a\\", "x": NaN, "e": "-Infinity"}`;
    expect(parseTolerantJson(text)).toEqual({
      NaN: 'NaN is fine',
      q: 'say "NaN" or "Infinity"',
      p: 'a\\',
      x: NaN,
      e: '-Infinity',
    });
  });

  it('reads plain JSON unchanged', () => {
    expect(parseTolerantJson('[1, "two", null, true, {"k": []}]')).toEqual([
      1,
      'two',
      null,
      true,
      { k: [] },
    ]);
    expect(parseTolerantJson('NaN')).toBeNaN();
  });

  it('says a cut-off document is truncated', () => {
    for (const text of ['{"a": [1, 2', '{"a": "abc', '{"a": NaN, ', '']) {
      let caught: unknown;
      try {
        parseTolerantJson(text);
      } catch (error) {
        caught = error;
      }
      expect(caught, text).toBeInstanceOf(TolerantJsonError);
      expect((caught as TolerantJsonError).truncated, text).toBe(true);
    }
  });

  it('rejects garbage that is not a truncation', () => {
    expect(() => parseTolerantJson('{"a": nan}')).toThrow(/Invalid JSON/);
    expect(() => parseTolerantJson('{"a": 1} x')).toThrow(TolerantJsonError);
  });
});

describe('readJsonFileTolerant', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'altar-json-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the value of a good file', async () => {
    await writeFile(join(dir, 'run.json'), '{"status": "RUNNING", "result": NaN}');
    expect(await readJsonFileTolerant(join(dir, 'run.json'))).toEqual({
      ok: true,
      value: { status: 'RUNNING', result: NaN },
    });
  });

  it('gives a reason a user can read for missing, empty and truncated files', async () => {
    const opts = { retries: 1, retryDelayMs: 0 };
    await writeFile(join(dir, 'empty.json'), '  \n');
    await writeFile(join(dir, 'run.json'), '{"status": "RUN');
    await writeFile(join(dir, 'bad.json'), '{"status": oops}');
    expect(await readJsonFileTolerant(join(dir, 'missing.json'), opts)).toMatchObject({
      ok: false,
      reason: 'missing.json is missing',
    });
    expect(await readJsonFileTolerant(join(dir, 'empty.json'), opts)).toMatchObject({
      ok: false,
      reason: 'empty.json is empty',
    });
    expect(await readJsonFileTolerant(join(dir, 'run.json'), opts)).toMatchObject({
      ok: false,
      reason: 'run.json is not valid JSON (truncated?)',
    });
    const bad = await readJsonFileTolerant(join(dir, 'bad.json'), opts);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/^bad\.json is not valid JSON \(/);
  });

  it('reads again when the file is being rewritten and picks up the new content', async () => {
    const path = join(dir, 'run.json');
    await writeFile(path, '');
    const reading = readJsonFileTolerant(path, { retries: 200, retryDelayMs: 10 });
    await new Promise((done) => setTimeout(done, 30));
    await writeFile(path, '{"status": "COMPLETED"}');
    expect(await reading).toEqual({ ok: true, value: { status: 'COMPLETED' } });
  });
});
