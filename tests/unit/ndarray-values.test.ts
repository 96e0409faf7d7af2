import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { largeNdarray } from '../../main/core/demo/numpy-encoding';
import { describeJsonpickle } from '../../shared/jsonpickle';
import type { NdarrayDecoded, NdarrayValues } from '../../shared/ndarray-buffer';
import { inflateZlib } from '../../renderer/src/model/inflate-zlib';
import {
  hasBinaryValues,
  loadNdarrayValues,
  ndarrayLines,
  summaryText,
} from '../../renderer/src/model/ndarray-values';
import { everyJsonpickleNode } from '../support/sacred-odd-folder-runs';

// The renderer inflates with DecompressionStream('deflate'), which Node 20 has globally too:
// these run the same code path the app runs, on data made by our generator or node:zlib.

function ok(decoded: NdarrayDecoded): NdarrayValues {
  if (!decoded.ok) throw new Error(`expected values, got: ${decoded.message}`);
  return decoded;
}

function node(raw: Buffer, dtype: string, shape: number[], extra: object = {}): object {
  return {
    'py/object': 'numpy.ndarray',
    dtype,
    byteorder: '<',
    shape: { 'py/tuple': shape },
    values: deflateSync(raw).toString('base64'),
    ...extra,
  };
}

describe('inflateZlib', () => {
  it('inflates what zlib.compress writes', async () => {
    const raw = Buffer.from('hello '.repeat(10_000));
    const inflated = await inflateZlib(new Uint8Array(deflateSync(raw)), 1e6);
    expect(inflated.ok && Buffer.from(inflated.bytes).equals(raw)).toBe(true);
  });

  it('reports data that is not zlib, or cut short, as corrupt', async () => {
    const junk = await inflateZlib(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 1e6);
    expect(junk).toMatchObject({ ok: false, message: expect.stringMatching(/^corrupt: /u) });
    const whole = deflateSync(Buffer.alloc(4096, 7));
    const cut = await inflateZlib(new Uint8Array(whole.subarray(0, whole.length - 6)), 1e6);
    expect(cut).toMatchObject({ ok: false, message: expect.stringMatching(/^corrupt: /u) });
  });

  it('stops once the output passes the cap', async () => {
    const bomb = new Uint8Array(deflateSync(Buffer.alloc(8 * 1024 * 1024)));
    expect(await inflateZlib(bomb, 1024 * 1024)).toEqual({
      ok: false,
      message: 'the values take more than 1 MB once inflated; not shown here',
    });
  });
});

describe('loadNdarrayValues', () => {
  it("decodes the demo generator's big float64 array with a summary over all values", async () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => (i === 7 ? NaN : i / 2));
    const encoded = largeNdarray(values);
    expect(hasBinaryValues(encoded)).toBe(true);
    // The one-line description stays as it was: dtype and shape only.
    expect(describeJsonpickle(encoded)).toBe('ndarray float64 [5000]');
    const decoded = ok(await loadNdarrayValues(encoded));
    expect(decoded.shown).toBe(1000);
    expect((decoded.values as number[]).slice(0, 9)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, NaN, 4]);
    expect(decoded.summary).toMatchObject({ count: 5000, nanCount: 1, min: 0, max: 2499.5 });
    expect(summaryText(decoded.summary)).toMatch(
      /^5000 values · min 0 · max 2499.5 · mean .* · 1 NaN$/u,
    );
  });

  it('decodes a big-endian int32 matrix written by node:zlib', async () => {
    const raw = Buffer.alloc(4 * 40);
    for (let i = 0; i < 40; i++) raw.writeInt32BE(i - 20, i * 4);
    const decoded = ok(await loadNdarrayValues(node(raw, '>i4', [20, 2], { byteorder: '>' })));
    expect((decoded.values as number[][])[0]).toEqual([-20, -19]);
    expect(ndarrayLines(decoded.values, decoded.shape).slice(0, 2)).toEqual([
      '[0] -20, -19',
      '[1] -18, -17',
    ]);
  });

  it('decodes the big arrays of the odd Sacred runs and explains the corrupt one', async () => {
    const nodes = everyJsonpickleNode();
    const le = ok(await loadNdarrayValues(nodes.big_array_le));
    expect(le.shape).toEqual([16, 4]);
    expect((le.values as number[][])[1]).toEqual([1, 1.25, 1.5, 1.75]);
    const be = ok(await loadNdarrayValues(nodes.big_array_be));
    expect((be.values as number[][])[7]).toEqual([7, 7.25, 7.5, 7.75]);
    expect(await loadNdarrayValues(nodes.big_array_corrupt)).toEqual({
      ok: false,
      message: 'corrupt: the values are not base64',
    });
    expect(hasBinaryValues(nodes.small_int_array)).toBe(false);
  });

  it('says when valid base64 holds no zlib data', async () => {
    const decoded = await loadNdarrayValues({
      ...(node(Buffer.alloc(160), 'float64', [20]) as Record<string, unknown>),
      values: Buffer.from('certainly not zlib data at all').toString('base64'),
    });
    expect(decoded).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^corrupt: the values are not valid zlib data/u),
    });
  });

  it('reports an inflated buffer that does not fit the shape', async () => {
    const raw = Buffer.alloc(8 * 100);
    expect(await loadNdarrayValues(node(raw, 'float64', [50]))).toEqual({
      ok: false,
      message: 'corrupt: 800 bytes for shape [50] of dtype float64 (expected 400)',
    });
  });

  it('refuses an array over the size cap before inflating, and an unknown dtype', async () => {
    const huge = node(Buffer.alloc(8), 'float64', [10_000, 1000]);
    expect(await loadNdarrayValues(huge, { maxBytes: 50 * 1024 * 1024 })).toEqual({
      ok: false,
      message: 'the values take 76 MB, more than the 50 MB shown here',
    });
    expect(await loadNdarrayValues(node(Buffer.alloc(8 * 20), '<M8[ns]', [20]))).toEqual({
      ok: false,
      message: 'cannot show values of dtype <M8[ns]',
    });
  });

  it('decodes a view through its base (np.arange(40.)[1::2]) and checks the base', async () => {
    const raw = Buffer.alloc(8 * 40);
    for (let i = 0; i < 40; i++) raw.writeDoubleLE(i, i * 8);
    const base = node(raw, 'float64', [40]);
    const view = {
      'py/object': 'numpy.ndarray',
      dtype: 'float64',
      base,
      shape: { 'py/tuple': [20] },
      offset: 8,
      strides: { 'py/tuple': [16] },
      byteorder: '<',
    };
    const decoded = ok(await loadNdarrayValues(view));
    expect((decoded.values as number[]).slice(0, 4)).toEqual([1, 3, 5, 7]);
    expect(decoded.summary.max).toBe(39);
    const brokenBase = { ...view, base: { ...base, shape: { 'py/tuple': [41] } } };
    expect(await loadNdarrayValues(brokenBase)).toEqual({
      ok: false,
      message:
        'corrupt: 320 bytes for shape [41] of dtype float64 (expected 328) (the viewed array)',
    });
  });

  it('answers with a message for values that are not a binary array', async () => {
    expect(await loadNdarrayValues({ dtype: 'float64' })).toEqual({
      ok: false,
      message: 'not an array stored in binary form',
    });
  });
});

describe('ndarrayLines', () => {
  it('wraps a vector ten to a line and leads each matrix row or 3-d row with its index', () => {
    expect(ndarrayLines([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [12])).toEqual([
      '[0] 0, 1, 2, 3, 4, 5, 6, 7, 8, 9',
      '[10] 10, 11',
    ]);
    expect(ndarrayLines([[[true, false]], [[false, true]]], [2, 1, 2])).toEqual([
      '[0, 0] True, False',
      '[1, 0] False, True',
    ]);
    expect(ndarrayLines(3.5, [])).toEqual(['3.5']);
  });
});
