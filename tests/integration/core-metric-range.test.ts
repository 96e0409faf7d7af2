import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';

const samples = fileURLToPath(new URL('../fixtures/sacred-samples/', import.meta.url));

let work: string;
let core: AltarCore;

beforeEach(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'altar-core-range-'));
  cpSync(path.join(samples, 'filestorage_completed'), path.join(work, 'runs'), { recursive: true });
  core = createAltarCore({ dataDir: path.join(work, 'data'), door: 'direct' });
  await core.addFolderSource({ name: 'lab', path: path.join(work, 'runs') });
  await core.syncSources({ names: ['lab'] });
});

afterEach(async () => {
  await core.close();
  rmSync(work, { recursive: true, force: true });
});

describe('getMetric with a step range (real Sacred output)', () => {
  it('returns the points of the range, the neighbours outside it and how many were in it', async () => {
    const all = await core.getMetric({ source: 'lab', id: '1', name: 'train.loss' });
    expect(all.pointsInRange).toBeUndefined();
    const zoomed = await core.getMetric({
      source: 'lab',
      id: '1',
      name: 'train.loss',
      maxPoints: 100,
      xMin: 2,
      xMax: 4,
    });
    expect(zoomed.pointsInRange).toBe(3);
    expect([...zoomed.steps]).toEqual([1, 2, 3, 4, 5]);
    expect([...zoomed.values]).toEqual([...all.values.slice(1, 6)]);
    expect(zoomed.totalPoints).toBe(all.totalPoints);
  });

  it('works with only one end given', async () => {
    const tail = await core.getMetric({ source: 'lab', id: '1', name: 'train.loss', xMin: 5 });
    expect([...tail.steps]).toEqual([5, 6]);
  });

  it('refuses a range whose start is after its end, and an unknown metric', async () => {
    await expect(
      core.getMetric({ source: 'lab', id: '1', name: 'train.loss', xMin: 5, xMax: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      core.getMetric({ source: 'lab', id: '1', name: 'nope', maxPoints: 10 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      core.getMetric({ source: 'lab', id: '1', name: 'train.loss', xMin: Number.NaN }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('getCapturedOutput from a byte offset', () => {
  it('returns only what was appended to cout.txt since the last read', async () => {
    const whole = await core.getCapturedOutput({ source: 'lab', id: '1' });
    expect(whole.text.length).toBeGreaterThan(0);
    const nothing = await core.getCapturedOutput({
      source: 'lab',
      id: '1',
      fromByte: whole.totalBytes,
    });
    expect(nothing).toEqual({ text: '', truncated: false, totalBytes: whole.totalBytes });
    appendFileSync(path.join(work, 'runs', '1', 'cout.txt'), 'epoch 99 done ✓\n');
    const next = await core.getCapturedOutput({
      source: 'lab',
      id: '1',
      fromByte: whole.totalBytes,
    });
    expect(next.text).toBe('epoch 99 done ✓\n');
    expect(next.truncated).toBe(false);
    expect(next.totalBytes).toBe(whole.totalBytes + Buffer.byteLength('epoch 99 done ✓\n'));
  });

  it('falls back to the cached output when the run folder is gone', async () => {
    const whole = await core.getCapturedOutput({ source: 'lab', id: '1' });
    rmSync(path.join(work, 'runs', '1'), { recursive: true, force: true });
    const tail = await core.getCapturedOutput({ source: 'lab', id: '1', fromByte: 5 });
    expect(tail.text).toBe(Buffer.from(whole.text).subarray(5).toString('utf8'));
  });

  it('refuses a negative offset', async () => {
    await expect(
      core.getCapturedOutput({ source: 'lab', id: '1', fromByte: -1 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
