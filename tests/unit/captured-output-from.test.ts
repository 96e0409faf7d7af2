import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capturedOutputFrom, sliceFromByte } from '../../main/core/captured-output-from';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'altar-cout-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const never = async () => {
  throw new Error('the cache should not be read');
};

describe('sliceFromByte', () => {
  const whole = { text: 'hello wörld\n', truncated: false, totalBytes: 13 };

  it('returns only the text after the offset', () => {
    expect(sliceFromByte(whole, 6, 1000)).toEqual({
      text: 'wörld\n',
      truncated: false,
      totalBytes: 13,
    });
  });

  it('returns nothing new when the offset is at (or past) the end', () => {
    expect(sliceFromByte(whole, 13, 1000).text).toBe('');
    expect(sliceFromByte(whole, 20, 1000).totalBytes).toBe(13);
  });

  it('says when the part after the offset is no longer held by a cached tail', () => {
    // The cache holds the last 6 bytes of 1000.
    const tail = { text: 'world\n', truncated: true, totalBytes: 1000 };
    expect(sliceFromByte(tail, 10, 1000)).toEqual({
      text: 'world\n',
      truncated: true,
      totalBytes: 1000,
    });
  });

  it('never starts inside a multi-byte character', () => {
    // "ö" is bytes 7-8: starting at 8 skips its second byte.
    expect(sliceFromByte(whole, 8, 1000).text).toBe('rld\n');
  });
});

describe('capturedOutputFrom', () => {
  it('follows a growing cout.txt, returning only the appended text', async () => {
    const file = path.join(dir, 'cout.txt');
    writeFileSync(file, 'epoch 1\n');
    const first = await capturedOutputFrom({ fromByte: 0, dir, readWhole: never });
    expect(first).toEqual({ text: 'epoch 1\n', truncated: false, totalBytes: 8 });
    appendFileSync(file, 'epoch 2\n');
    const next = await capturedOutputFrom({ fromByte: first.totalBytes, dir, readWhole: never });
    expect(next).toEqual({ text: 'epoch 2\n', truncated: false, totalBytes: 16 });
  });

  it('leaves a character still being written for the next read', async () => {
    const file = path.join(dir, 'cout.txt');
    writeFileSync(file, Buffer.concat([Buffer.from('ok '), Buffer.from('é').subarray(0, 1)]));
    const first = await capturedOutputFrom({ fromByte: 0, dir, readWhole: never });
    expect(first.text).toBe('ok ');
    expect(first.totalBytes).toBe(3);
    appendFileSync(file, Buffer.from('é').subarray(1));
    const next = await capturedOutputFrom({ fromByte: 3, dir, readWhole: never });
    expect(next.text).toBe('é');
  });

  it('falls back to the cached output when the folder has no cout.txt', async () => {
    const out = await capturedOutputFrom({
      fromByte: 3,
      dir,
      readWhole: async () => ({ text: 'abcdef', truncated: false, totalBytes: 6 }),
    });
    expect(out).toEqual({ text: 'def', truncated: false, totalBytes: 6 });
  });

  it('caps what it returns at maxBytes and says so', async () => {
    writeFileSync(path.join(dir, 'cout.txt'), 'x'.repeat(100));
    const out = await capturedOutputFrom({ fromByte: 0, maxBytes: 10, dir, readWhole: never });
    expect(out).toEqual({ text: 'x'.repeat(10), truncated: true, totalBytes: 100 });
  });
});
