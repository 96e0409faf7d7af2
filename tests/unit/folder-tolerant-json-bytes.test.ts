import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseTolerantJson,
  readableJsonError,
  readJsonFileTolerant,
  TolerantJsonError,
} from '../../main/core/folder/tolerant-json';

// What a user sees for a run.json that is not plain UTF-8 JSON: an editor's byte-order mark,
// a Windows tool's UTF-16, a binary file, a file nested absurdly deep. Each gets a message
// that names the problem, and a good file is never refused.

const SAMPLE_RUN = '/work/shared/sacred-samples/filestorage_completed/1/run.json';
const NO_RETRY = { retries: 0, retryDelayMs: 0 };

describe('readJsonFileTolerant on bytes that are not plain UTF-8', () => {
  let dir: string;
  let sample: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'altar-json-bytes-'));
    sample = await readFile(SAMPLE_RUN, 'utf8');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, bytes: Buffer | string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  }

  // What the sample run.json holds (read from the file by eye, not by the code under test).
  function expectSampleRun(value: unknown): void {
    expect(value).toMatchObject({
      status: 'COMPLETED',
      command: 'main',
      start_time: '2026-11-26T21:32:02.430553',
      result: { inf: Infinity },
    });
  }

  it('reads a real run.json saved with a UTF-8 byte-order mark, and says so', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample)]);
    const result = await readJsonFileTolerant(await file('run.json', bom), NO_RETRY);
    expect(result.ok && result.note).toBe(
      'run.json starts with a UTF-8 byte-order mark, which Sacred never writes; it was skipped',
    );
    expectSampleRun(result.ok && result.value);
  });

  it('gives no note for the same file without the mark', async () => {
    const result = await readJsonFileTolerant(await file('run.json', sample), NO_RETRY);
    expect(Object.keys(result).sort()).toEqual(['ok', 'value']);
    expectSampleRun(result.ok && result.value);
  });

  it('names UTF-16 with either byte-order mark instead of an "unexpected character"', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(await readJsonFileTolerant(await file('le.json', le), NO_RETRY)).toEqual({
      ok: false,
      reason:
        'le.json is UTF-16 text (little endian, byte-order mark FF FE); Sacred writes UTF-8: save it as UTF-8',
      missing: false,
      halfWritten: false,
    });
    expect(await readJsonFileTolerant(await file('be.json', be), NO_RETRY)).toEqual({
      ok: false,
      reason:
        'be.json is UTF-16 text (big endian, byte-order mark FE FF); Sacred writes UTF-8: save it as UTF-8',
      missing: false,
      halfWritten: false,
    });
  });

  it('names UTF-16 without a mark, little and big endian', async () => {
    const le = Buffer.from('{"status": "COMPLETED"}', 'utf16le');
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, bytes] of [
      ['le.json', le],
      ['be.json', be],
    ] as const) {
      expect(await readJsonFileTolerant(await file(name, bytes), NO_RETRY)).toEqual({
        ok: false,
        reason: `${name} is UTF-16 text; Sacred writes UTF-8: save it as UTF-8`,
        missing: false,
        halfWritten: false,
      });
    }
  });

  it('does not take short or mixed files for UTF-16', async () => {
    // One byte, and text whose first pairs have a NUL on one side only part of the way.
    expect(await readJsonFileTolerant(await file('one.json', '1'), NO_RETRY)).toEqual({
      ok: true,
      value: 1,
    });
    const mixed = Buffer.from([0x5b, 0x00, 0x31, 0x00, 0x2c, 0x32, 0x5d, 0x00]);
    const result = await readJsonFileTolerant(await file('mixed.json', mixed), NO_RETRY);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).not.toMatch(/UTF-16/u);
    // NUL pairs with a non-ASCII partner are not UTF-16 text either.
    const high = Buffer.from([0x00, 0xc3, 0x00, 0x22]);
    const high2 = await readJsonFileTolerant(await file('high.json', high), NO_RETRY);
    expect(!high2.ok && high2.reason).not.toMatch(/UTF-16/u);
    // Two NULs side by side are binary, not UTF-16.
    const nuls = Buffer.from([0x00, 0x00, 0x7b, 0x00]);
    const nuls2 = await readJsonFileTolerant(await file('nuls.json', nuls), NO_RETRY);
    expect(!nuls2.ok && nuls2.reason).not.toMatch(/UTF-16/u);
  });

  it('does not report a file that starts with FF or FE alone as UTF-16', async () => {
    for (const [name, bytes] of [
      ['ff.json', Buffer.from([0xff, 0x7b, 0x7d])],
      ['fe.json', Buffer.from([0xfe, 0x7b, 0x7d])],
      ['ef.json', Buffer.from([0xef, 0xbb, 0x7b, 0x7d])],
    ] as const) {
      const result = await readJsonFileTolerant(await file(name, bytes), NO_RETRY);
      expect(result.ok, name).toBe(false);
      expect(!result.ok && result.reason, name).toMatch(
        new RegExp(
          `^${name.replace('.', '\\.')} is not valid JSON \\(unexpected character U\\+FFFD\\)$`,
          'u',
        ),
      );
    }
  });

  it('refuses a file nested deeper than any Sacred run, and reads one at the limit', async () => {
    const deep = `${'['.repeat(201)}${']'.repeat(201)}`;
    expect(await readJsonFileTolerant(await file('config.json', deep), NO_RETRY)).toEqual({
      ok: false,
      reason:
        'config.json nests more than 200 levels deep, which no Sacred run does; it is not read',
      missing: false,
      halfWritten: false,
    });
    const limit = `${'['.repeat(200)}${']'.repeat(200)}`;
    expect((await readJsonFileTolerant(await file('ok.json', limit), NO_RETRY)).ok).toBe(true);
  });

  it('refuses a directory and a file over the size cap without reading them', async () => {
    await mkdir(join(dir, 'run.json'));
    const asDir = await readJsonFileTolerant(join(dir, 'run.json'), NO_RETRY);
    expect(asDir).toMatchObject({ ok: false, missing: false, halfWritten: false });
    expect(!asDir.ok && asDir.reason).toMatch(/^run\.json is a directory, not a regular file/u);

    const big = await file('metrics.json', '{"a": [1, 2, 3]}');
    const capped = await readJsonFileTolerant(big, { ...NO_RETRY, maxBytes: 4 });
    expect(capped).toMatchObject({ ok: false, missing: false, halfWritten: false });
    expect(!capped.ok && capped.reason).toMatch(/^metrics\.json/u);
    expect((await readJsonFileTolerant(big, { ...NO_RETRY, maxBytes: 1024 })).ok).toBe(true);
  });

  it('says a file is missing when the listing said so, without reading it', async () => {
    const path = await file('run.json', sample);
    expect(await readJsonFileTolerant(path, { ...NO_RETRY, listed: 'missing' })).toEqual({
      ok: false,
      reason: 'run.json is missing',
      missing: true,
      halfWritten: false,
    });
    expect((await readJsonFileTolerant(path, { ...NO_RETRY, listed: 'file' })).ok).toBe(true);
    expect(await readJsonFileTolerant(join(dir, 'gone.json'), NO_RETRY)).toEqual({
      ok: false,
      reason: 'gone.json is missing',
      missing: true,
      halfWritten: false,
    });
  });

  it('gives up on a file that stays empty or broken as half-written, with the last reason', async () => {
    const empty = await readJsonFileTolerant(await file('run.json', ''), NO_RETRY);
    expect(empty).toEqual({
      ok: false,
      reason: 'run.json is empty',
      missing: false,
      halfWritten: true,
    });
    const broken = await readJsonFileTolerant(await file('info.json', '{"a": oops}'), NO_RETRY);
    expect(broken).toMatchObject({ ok: false, missing: false, halfWritten: true });
    expect(!broken.ok && broken.reason).toMatch(
      /^info\.json is not valid JSON \((?!Invalid JSON)/u,
    );
  });
});

describe('the messages of broken JSON', () => {
  function errorOf(text: string): TolerantJsonError {
    try {
      parseTolerantJson(text);
    } catch (error) {
      if (error instanceof TolerantJsonError) return error;
      throw error;
    }
    throw new Error(`parsed: ${text}`);
  }

  it('names the character of a binary file, never quoting its bytes', () => {
    const error = errorOf('\u0001\u0002garbage');
    expect(error.name).toBe('TolerantJsonError');
    expect(error.truncated).toBe(false);
    expect(error.message).toBe('Invalid JSON: unexpected character U+0001');
    expect(errorOf('x{}').message).toBe('Invalid JSON: unexpected "x"');
    expect(errorOf('x\u0001\u0002').message).toBe('Invalid JSON: unexpected "x"');
  });

  it('shows control characters in a message as code points', () => {
    expect(readableJsonError('bad\u0007 byte\u009b here\ufffd')).toBe(
      'bad[U+0007] byte[U+009B] here[U+FFFD]',
    );
    expect(readableJsonError(`Unexpected token ' ', "  x" is not valid JSON`)).toBe(
      'unexpected character U+0020',
    );
    expect(readableJsonError(`Unexpected token '\u007f', "\u007f" is not valid JSON`)).toBe(
      'unexpected character U+007F',
    );
    expect(readableJsonError(`Unexpected token '\u00a0', "\u00a0" is not valid JSON`)).toBe(
      'unexpected "\u00a0"',
    );
    expect(readableJsonError('Unexpected end of JSON input')).toBe('Unexpected end of JSON input');
  });

  it('tells a cut-off file from one with junk after its end', () => {
    expect(errorOf('{"a": [1, 2').truncated).toBe(true);
    expect(errorOf('{"a": [1, 2  \n').truncated).toBe(true);
    expect(errorOf('{"a": [1, 2').message).toMatch(/^JSON is truncated: /u);
    expect(errorOf('{"a": [1 2]}').truncated).toBe(false);
    expect(errorOf('{"a": 1} x').truncated).toBe(false);
    expect(errorOf('{"a": 1} x').message).toMatch(/^Invalid JSON: /u);
  });

  it('keeps a string that only starts like a sentinel', () => {
    expect(parseTolerantJson('["\\u0000altar-nonfinite:NaNx", NaN]')).toEqual([
      '\u0000altar-nonfinite:NaNx',
      NaN,
    ]);
  });
});
