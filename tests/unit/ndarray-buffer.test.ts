import { describe, expect, it } from 'vitest';
import { decodeBase64Bytes } from '../../shared/base64-bytes';
import {
  binaryNdarray,
  decodeNdarrayBuffer,
  expectedByteLength,
  parseNumpyDtype,
} from '../../shared/ndarray-buffer';
import type { NdarrayDecoded, NdarrayLayout, NdarrayValues } from '../../shared/ndarray-buffer';

// The raw buffers numpy's `tobytes()` gives, built by hand with Node's Buffer writers.

function layout(dtype: string, shape: number[], extra: Partial<NdarrayLayout> = {}): NdarrayLayout {
  return { dtype, byteorder: null, shape, order: 'C', ...extra };
}

function ok(decoded: NdarrayDecoded): NdarrayValues {
  if (!decoded.ok) throw new Error(`expected values, got: ${decoded.message}`);
  return decoded;
}

function buffer(size: number, count: number, write: (buf: Buffer, i: number) => void): Uint8Array {
  const buf = Buffer.alloc(size * count);
  for (let i = 0; i < count; i++) write(buf, i);
  return new Uint8Array(buf);
}

describe('parseNumpyDtype', () => {
  it('reads numpy names, typestr codes and one-letter codes', () => {
    const cases: [string, string, number][] = [
      ['float64', 'float64', 8],
      ['<f8', 'float64', 8],
      ['>f4', 'float32', 4],
      ['float16', 'float16', 2],
      ['<f2', 'float16', 2],
      ['int8', 'int8', 1],
      ['|i1', 'int8', 1],
      ['>i2', 'int16', 2],
      ['uint32', 'uint32', 4],
      ['<u8', 'uint64', 8],
      ['bool', 'bool', 1],
      ['|b1', 'bool', 1],
      ['?', 'bool', 1],
      ['complex64', 'complex64', 8],
      ['<c16', 'complex128', 16],
      ['d', 'float64', 8],
      ['<U5', '<U5', 20],
      ['|S3', '|S3', 3],
    ];
    for (const [text, name, itemsize] of cases) {
      const parsed = parseNumpyDtype(text);
      expect(parsed, text).toMatchObject({ ok: true, dtype: { name, itemsize } });
    }
  });

  it('takes the byte order from the node, then the dtype prefix, else little-endian', () => {
    const endian = (dtype: string, order: string | null): boolean | undefined => {
      const parsed = parseNumpyDtype(dtype, order);
      return parsed.ok ? parsed.dtype.littleEndian : undefined;
    };
    expect(endian('>f8', null)).toBe(false);
    expect(endian('float64', '>')).toBe(false);
    expect(endian('>f8', '<')).toBe(true);
    expect(endian('float64', '=')).toBe(true);
    expect(endian('float64', null)).toBe(true);
    expect(endian('int8', '|')).toBe(true);
  });

  it('names the dtype it cannot read', () => {
    for (const dtype of ['object', 'float128', '<M8[ns]', 'datetime64[ns]', 'i3', '<U0', '']) {
      expect(parseNumpyDtype(dtype)).toEqual({
        ok: false,
        message: `cannot show values of dtype ${dtype}`,
      });
    }
  });
});

describe('decodeNdarrayBuffer: every dtype and byte order', () => {
  it('reads signed and unsigned integers of every width, both byte orders', () => {
    const i16be = buffer(2, 3, (b, i) => b.writeInt16BE([-300, 0, 300][i]!, i * 2));
    expect(ok(decodeNdarrayBuffer(i16be, layout('>i2', [3]))).values).toEqual([-300, 0, 300]);
    const i32le = buffer(4, 2, (b, i) => b.writeInt32LE([-70000, 2 ** 31 - 1][i]!, i * 4));
    expect(ok(decodeNdarrayBuffer(i32le, layout('int32', [2]))).values).toEqual([
      -70000,
      2 ** 31 - 1,
    ]);
    const i8 = new Uint8Array([0xff, 0x7f, 0x80]);
    expect(ok(decodeNdarrayBuffer(i8, layout('int8', [3], { byteorder: '|' }))).values).toEqual([
      -1, 127, -128,
    ]);
    expect(ok(decodeNdarrayBuffer(i8, layout('uint8', [3]))).values).toEqual([255, 127, 128]);
    const u16 = buffer(2, 1, (b) => b.writeUInt16BE(65535, 0));
    expect(ok(decodeNdarrayBuffer(u16, layout('uint16', [1], { byteorder: '>' }))).values).toEqual([
      65535,
    ]);
    const u32 = buffer(4, 1, (b) => b.writeUInt32LE(4_000_000_000, 0));
    expect(ok(decodeNdarrayBuffer(u32, layout('<u4', [1]))).values).toEqual([4_000_000_000]);
  });

  it('keeps int64 and uint64 beyond 2^53 exact as text, and small ones as numbers', () => {
    const big = [2n ** 53n + 1n, -(2n ** 63n), 42n];
    const i64 = buffer(8, 3, (b, i) => b.writeBigInt64LE(big[i]!, i * 8));
    const decoded = ok(decodeNdarrayBuffer(i64, layout('int64', [3])));
    expect(decoded.values).toEqual(['9007199254740993', '-9223372036854775808', 42]);
    expect(decoded.summary.min).toBe('-9223372036854775808');
    expect(decoded.summary.max).toBe('9007199254740993');
    const u64 = buffer(8, 2, (b, i) => b.writeBigUInt64BE([2n ** 64n - 1n, 7n][i]!, i * 8));
    const unsigned = ok(decodeNdarrayBuffer(u64, layout('>u8', [2])));
    expect(unsigned.values).toEqual(['18446744073709551615', 7]);
    expect(unsigned.summary.min).toBe(7);
  });

  it('reads float64 and float32 little- and big-endian, counting NaN', () => {
    const values = [1.5, NaN, -2.25, Infinity];
    const le = buffer(8, 4, (b, i) => b.writeDoubleLE(values[i]!, i * 8));
    const be = buffer(8, 4, (b, i) => b.writeDoubleBE(values[i]!, i * 8));
    expect(ok(decodeNdarrayBuffer(le, layout('float64', [4], { byteorder: '<' }))).values).toEqual(
      values,
    );
    const fromBe = ok(decodeNdarrayBuffer(be, layout('>f8', [4], { byteorder: '>' })));
    expect(fromBe.values).toEqual(values);
    expect(fromBe.summary).toEqual({
      count: 4,
      nanCount: 1,
      min: -2.25,
      max: Infinity,
      mean: Infinity,
    });
    // Read with the wrong order, the numbers would be garbage: the order really is applied.
    expect(ok(decodeNdarrayBuffer(be, layout('float64', [4]))).values).not.toEqual(values);
    const f32 = buffer(4, 2, (b, i) => b.writeFloatBE([0.5, -3][i]!, i * 4));
    expect(ok(decodeNdarrayBuffer(f32, layout('>f4', [2]))).values).toEqual([0.5, -3]);
  });

  it('reads float16 (normal, subnormal, largest, infinite, NaN) both byte orders', () => {
    // 1.0, -2.0, 65504, smallest subnormal 2^-24, +inf, NaN, 0.333251953125
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x7e00, 0x3555];
    const le = buffer(2, bits.length, (b, i) => b.writeUInt16LE(bits[i]!, i * 2));
    const be = buffer(2, bits.length, (b, i) => b.writeUInt16BE(bits[i]!, i * 2));
    const expected = [1, -2, 65504, 2 ** -24, Infinity, NaN, 0.333251953125];
    expect(ok(decodeNdarrayBuffer(le, layout('float16', [7]))).values).toEqual(expected);
    expect(ok(decodeNdarrayBuffer(be, layout('>f2', [7]))).values).toEqual(expected);
  });

  it('reads bool as True/False with the share of True as mean', () => {
    const decoded = ok(decodeNdarrayBuffer(new Uint8Array([1, 0, 0, 1]), layout('bool', [4])));
    expect(decoded.values).toEqual([true, false, false, true]);
    expect(decoded.summary).toEqual({ count: 4, nanCount: 0, min: false, max: true, mean: 0.5 });
  });

  it('shows complex64 and complex128 as a+bj, with a complex mean', () => {
    const c128 = buffer(16, 2, (b, i) => {
      b.writeDoubleLE([1, 3][i]!, i * 16);
      b.writeDoubleLE([-2, 4][i]!, i * 16 + 8);
    });
    const decoded = ok(decodeNdarrayBuffer(c128, layout('complex128', [2])));
    expect(decoded.values).toEqual(['1-2j', '3+4j']);
    expect(decoded.summary).toMatchObject({ min: null, max: null, mean: '2+1j', nanCount: 0 });
    const c64 = buffer(8, 1, (b) => {
      b.writeFloatBE(0.5, 0);
      b.writeFloatBE(NaN, 4);
    });
    const single = ok(decodeNdarrayBuffer(c64, layout('>c8', [1])));
    expect(single.values).toEqual(['0.5+NaNj']);
    expect(single.summary).toMatchObject({ nanCount: 1, mean: null });
  });

  it('reads fixed-width unicode and bytes strings', () => {
    const text = buffer(8, 2, (b, i) => {
      const word = ['ab', 'é'][i]!;
      [...word].forEach((ch, k) => b.writeUInt32LE(ch.codePointAt(0)!, i * 8 + k * 4));
    });
    expect(ok(decodeNdarrayBuffer(text, layout('<U2', [2]))).values).toEqual(['"ab"', '"é"']);
    const bytes = new Uint8Array([0x68, 0x69, 0x00, 0x6f, 0x6b, 0x21]);
    expect(ok(decodeNdarrayBuffer(bytes, layout('|S3', [2]))).values).toEqual(['b"hi"', 'b"ok!"']);
  });
});

describe('decodeNdarrayBuffer: shapes', () => {
  const arange = (n: number): Uint8Array => buffer(8, n, (b, i) => b.writeDoubleLE(i, i * 8));

  it('nests values by shape in row-major order', () => {
    const decoded = ok(decodeNdarrayBuffer(arange(12), layout('float64', [2, 3, 2])));
    expect(decoded.values).toEqual([
      [
        [0, 1],
        [2, 3],
        [4, 5],
      ],
      [
        [6, 7],
        [8, 9],
        [10, 11],
      ],
    ]);
    expect(decoded.summary).toEqual({ count: 12, nanCount: 0, min: 0, max: 11, mean: 5.5 });
  });

  it('reads a Fortran-ordered buffer (order "F") into the right rows', () => {
    // np.asfortranarray([[0, 1, 2], [3, 4, 5]]).tobytes(order=None) is 0 3 1 4 2 5.
    const column = [0, 3, 1, 4, 2, 5];
    const bytes = buffer(8, 6, (b, i) => b.writeDoubleLE(column[i]!, i * 8));
    const decoded = ok(decodeNdarrayBuffer(bytes, layout('float64', [2, 3], { order: 'F' })));
    expect(decoded.values).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('shows the first values as whole rows and summarizes all of them', () => {
    const decoded = ok(decodeNdarrayBuffer(arange(3000), layout('float64', [1000, 3]), 1000));
    expect(decoded.shown).toBe(999);
    expect(decoded.values).toHaveLength(333);
    expect((decoded.values as number[][]).at(-1)).toEqual([996, 997, 998]);
    expect(decoded.summary).toEqual({ count: 3000, nanCount: 0, min: 0, max: 2999, mean: 1499.5 });
    // One row longer than the budget is cut rather than hidden.
    const wide = ok(decodeNdarrayBuffer(arange(3000), layout('float64', [2, 1500]), 10));
    expect(wide.values).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  });

  it('reads empty and 0-d arrays', () => {
    const empty = ok(decodeNdarrayBuffer(new Uint8Array(0), layout('float64', [0])));
    expect(empty.values).toEqual([]);
    expect(empty.summary).toEqual({ count: 0, nanCount: 0, min: null, max: null, mean: null });
    expect(ok(decodeNdarrayBuffer(new Uint8Array(0), layout('int32', [3, 0]))).values).toEqual([
      [],
      [],
      [],
    ]);
    const scalar = ok(decodeNdarrayBuffer(arange(1), layout('float64', [])));
    expect(scalar.values).toBe(0);
    expect(scalar.summary.count).toBe(1);
  });

  it('reports a buffer that does not fit the shape and dtype as corrupt', () => {
    expect(decodeNdarrayBuffer(arange(100), layout('float64', [50]))).toEqual({
      ok: false,
      message: 'corrupt: 800 bytes for shape [50] of dtype float64 (expected 400)',
    });
    expect(decodeNdarrayBuffer(new Uint8Array(7), layout('>f8', [1, 1]))).toEqual({
      ok: false,
      message: 'corrupt: 7 bytes for shape [1, 1] of dtype >f8 (expected 8)',
    });
  });

  it('reads a strided view over its base buffer and refuses one reaching past it', () => {
    // base = np.arange(20.); view = base[1::2] (offset 8 bytes, stride 16).
    const view = layout('float64', [10], { offset: 8, strides: [16] });
    expect(ok(decodeNdarrayBuffer(arange(20), view)).values).toEqual([
      1, 3, 5, 7, 9, 11, 13, 15, 17, 19,
    ]);
    expect(ok(decodeNdarrayBuffer(arange(20), view)).summary.mean).toBe(10);
    // base[::-1]: offset at the last element, negative stride.
    const reversed = layout('float64', [4], { offset: 24, strides: [-8] });
    expect(ok(decodeNdarrayBuffer(arange(4), reversed)).values).toEqual([3, 2, 1, 0]);
    const past = layout('float64', [11], { offset: 8, strides: [16] });
    expect(decodeNdarrayBuffer(arange(20), past)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^corrupt: the view .* reaches past the 160 bytes/u),
    });
  });

  it('refuses an unknown dtype with its name', () => {
    expect(decodeNdarrayBuffer(new Uint8Array(16), layout('object', [2]))).toEqual({
      ok: false,
      message: 'cannot show values of dtype object',
    });
  });
});

describe('binaryNdarray', () => {
  const node = {
    'py/object': 'numpy.ndarray',
    dtype: 'float64',
    byteorder: '<',
    shape: { 'py/tuple': [4, 5] },
    values: 'eJw=',
  };

  it('reads what jsonpickle writes (base64 string or py/b64, shape tuple or list)', () => {
    expect(binaryNdarray(node)).toEqual({
      dtype: 'float64',
      byteorder: '<',
      shape: [4, 5],
      order: 'C',
      data: 'eJw=',
    });
    expect(
      binaryNdarray({ ...node, values: { 'py/b64': 'eJw=' }, shape: [20], order: 'F' }),
    ).toMatchObject({ shape: [20], order: 'F', data: 'eJw=' });
  });

  it('is null for list-form arrays and other values', () => {
    expect(
      binaryNdarray({ 'py/object': 'numpy.ndarray', dtype: 'int64', values: [0, 1] }),
    ).toBeNull();
    expect(binaryNdarray({ 'py/object': 'numpy.ndarray', dtype: 'int64', values: 3 })).toBeNull();
    expect(binaryNdarray({ 'py/tuple': [1] })).toBeNull();
    expect(binaryNdarray('text')).toBeNull();
  });

  it('says what is wrong with a malformed binary node', () => {
    expect(binaryNdarray({ ...node, shape: undefined })).toEqual({
      ok: false,
      message: 'corrupt: the shape is missing',
    });
    expect(binaryNdarray({ ...node, shape: ['a'] })).toEqual({
      ok: false,
      message: 'corrupt: the shape is ["a"]',
    });
    expect(binaryNdarray({ ...node, values: { 'py/id': 3 } })).toEqual({
      ok: false,
      message: 'corrupt: values are neither lists nor base64 text',
    });
  });

  it('reads a view with its base and says when the base is not stored in the node', () => {
    const view = {
      'py/object': 'numpy.ndarray',
      dtype: 'float64',
      base: node,
      shape: { 'py/tuple': [10] },
      offset: 8,
      strides: { 'py/tuple': [16] },
      byteorder: '<',
    };
    expect(binaryNdarray(view)).toEqual({
      dtype: 'float64',
      byteorder: '<',
      shape: [10],
      order: 'C',
      offset: 8,
      strides: [16],
      data: 'eJw=',
      base: { dtype: 'float64', byteorder: '<', shape: [4, 5], order: 'C' },
    });
    expect(binaryNdarray({ ...view, base: { 'py/id': 2 } })).toEqual({
      ok: false,
      message: 'cannot show values: the array this view refers to is not stored here',
    });
  });

  it('gives the buffer size a layout needs', () => {
    expect(expectedByteLength(layout('complex128', [1000, 3]))).toBe(48_000);
    expect(expectedByteLength(layout('float64', [2 ** 40, 2 ** 20]))).toMatchObject({ ok: false });
  });

  it('decodes base64 and rejects text that is not', () => {
    expect(decodeBase64Bytes('AAEC')).toEqual(new Uint8Array([0, 1, 2]));
    expect(decodeBase64Bytes('eJzLSM3JyVcozy/KSQEAGgQEXQ==not-zlib')).toBeNull();
  });
});
