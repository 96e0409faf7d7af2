/**
 * Reading the values of a numpy array that jsonpickle stored in binary form (Sacred 0.8.1+,
 * SACRED_FORMAT.md §0): `values` is base64 of the zlib-compressed raw buffer, with `dtype`,
 * `shape`, `byteorder` and, for column-major arrays, `order: "F"` beside it. A view of another
 * array keeps `base` (that array's node), `offset` and `strides` instead of `values`.
 *
 * Inflating is the caller's job (the renderer has no zlib, only the async DecompressionStream),
 * so everything here works on the already-inflated bytes and never throws on bad input: it
 * answers with a message a user can read.
 */

type Node = { [key: string]: unknown };

export type DtypeKind = 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'unicode' | 'bytes';

/** An element type we can read from raw bytes. */
export interface NdarrayDtype {
  /** numpy's canonical name: "float64", "int16", "complex128", "<U5", "|S3". */
  name: string;
  kind: DtypeKind;
  itemsize: number;
  littleEndian: boolean;
}

/** The layout of a binary ndarray node: everything but the (compressed) bytes. */
export interface NdarrayLayout {
  /** The dtype as stored, e.g. "float64" or ">f8". */
  dtype: string;
  /** "<", ">", "|" or "=" as stored; null when absent. */
  byteorder: string | null;
  shape: number[];
  order: 'C' | 'F';
  /** A view: where its first element starts in the base's buffer, and its strides in bytes. */
  offset?: number;
  strides?: number[] | null;
}

/** A binary ndarray node, read but not decoded. */
export interface NdarrayBinary extends NdarrayLayout {
  /** base64 of the zlib-compressed buffer; for a view, the base's. */
  data: string;
  /** For a view: the layout of the array whose buffer it views. */
  base?: NdarrayLayout;
}

export type Problem = { ok: false; message: string };

/** What a value becomes for display: int64 past 2^53 as decimal text, complex as "a+bj", strings quoted. */
export type NdValue = number | string | boolean;
export type NestedValues = NdValue | NestedValues[];

export interface NdarraySummary {
  /** Elements in the whole array. */
  count: number;
  /** NaN elements (a complex counts when either part is NaN). */
  nanCount: number;
  /** Over the non-NaN elements; null for complex and text, or when there are none. */
  min: NdValue | null;
  max: NdValue | null;
  /** Of the non-NaN elements (a bool array: the share of True); complex as "a+bj". */
  mean: number | string | null;
}

export interface NdarrayValues {
  ok: true;
  dtype: NdarrayDtype;
  shape: number[];
  /** The first `shown` values in row-major order, nested by shape (a 0-d array: the scalar). */
  values: NestedValues;
  shown: number;
  summary: NdarraySummary;
}

export type NdarrayDecoded = NdarrayValues | Problem;

export const DEFAULT_MAX_VALUES = 1000;

const NAMED: Record<string, [DtypeKind, number]> = {
  bool: ['bool', 1],
  int8: ['int', 1],
  int16: ['int', 2],
  int32: ['int', 4],
  int64: ['int', 8],
  uint8: ['uint', 1],
  uint16: ['uint', 2],
  uint32: ['uint', 4],
  uint64: ['uint', 8],
  float16: ['float', 2],
  float32: ['float', 4],
  float64: ['float', 8],
  complex64: ['complex', 8],
  complex128: ['complex', 16],
};

/** numpy's one-letter type codes (`np.dtype('d')`), as older writers may store them. */
const CHAR_CODES: Record<string, string> = {
  '?': 'bool',
  b: 'int8',
  B: 'uint8',
  h: 'int16',
  H: 'uint16',
  i: 'int32',
  I: 'uint32',
  q: 'int64',
  Q: 'uint64',
  e: 'float16',
  f: 'float32',
  d: 'float64',
  F: 'complex64',
  D: 'complex128',
};

const KIND_LETTERS: Record<string, DtypeKind> = {
  b: 'bool',
  i: 'int',
  u: 'uint',
  f: 'float',
  c: 'complex',
};

function canonical(kind: DtypeKind, itemsize: number): string | null {
  const found = Object.entries(NAMED).find(([, [k, size]]) => k === kind && size === itemsize);
  return found === undefined ? null : found[0];
}

/**
 * A numpy dtype string ("float64", ">f8", "<i2", "|b1", "<U5", "complex128") as an element
 * type. The node's own `byteorder` wins over the dtype's prefix, as jsonpickle restores it;
 * "=" (native) and a missing order mean little-endian, the order of every machine Sacred runs on.
 */
export function parseNumpyDtype(
  dtype: string,
  byteorder: string | null = null,
): { ok: true; dtype: NdarrayDtype } | Problem {
  const cannot: Problem = { ok: false, message: `cannot show values of dtype ${dtype}` };
  let text = dtype.trim();
  let prefix: string | null = null;
  if (/^[<>|=]/u.test(text)) {
    prefix = text[0] ?? null;
    text = text.slice(1);
  }
  const order = byteorder === '<' || byteorder === '>' ? byteorder : prefix;
  const littleEndian = order !== '>';

  let kind: DtypeKind;
  let itemsize: number;
  const named = NAMED[text] ?? NAMED[CHAR_CODES[text] ?? ''];
  const coded = /^([biufcUS])(\d+)$/u.exec(text);
  if (named !== undefined) {
    [kind, itemsize] = named;
  } else if (coded !== null) {
    const letter = coded[1] ?? '';
    const size = Number(coded[2]);
    if (letter === 'U' || letter === 'S') {
      kind = letter === 'U' ? 'unicode' : 'bytes';
      itemsize = letter === 'U' ? size * 4 : size;
      const name = `${letter === 'U' ? (littleEndian ? '<' : '>') : '|'}${letter}${size}`;
      if (size === 0) return cannot;
      return { ok: true, dtype: { name, kind, itemsize, littleEndian } };
    }
    kind = KIND_LETTERS[letter] ?? 'int';
    itemsize = size;
  } else {
    return cannot;
  }
  const name = canonical(kind, itemsize);
  if (name === null) return cannot;
  return { ok: true, dtype: { name, kind, itemsize, littleEndian } };
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function listOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (isNode(value) && Array.isArray(value['py/tuple'])) return value['py/tuple'];
  return null;
}

function sizes(value: unknown, what: string): number[] | Problem {
  // A 1-d shape may also come as a bare number from hand-written data.
  const list = typeof value === 'number' ? [value] : listOf(value);
  if (list === null || !list.every((n) => Number.isSafeInteger(n))) {
    return { ok: false, message: `corrupt: the ${what} is ${JSON.stringify(value) ?? 'missing'}` };
  }
  return list as number[];
}

function base64Text(values: unknown): string | null {
  if (typeof values === 'string') return values;
  if (isNode(values) && typeof values['py/b64'] === 'string') return values['py/b64'];
  return null;
}

function readLayout(node: Node): NdarrayLayout | Problem {
  if (typeof node.dtype !== 'string') {
    return { ok: false, message: `cannot show values of dtype ${JSON.stringify(node.dtype)}` };
  }
  const shape = sizes(node.shape, 'shape');
  if (!Array.isArray(shape)) return shape;
  if (shape.some((n) => n < 0)) {
    return { ok: false, message: `corrupt: negative size in shape [${shape.join(', ')}]` };
  }
  return {
    dtype: node.dtype,
    byteorder: typeof node.byteorder === 'string' ? node.byteorder : null,
    shape,
    order: node.order === 'F' ? 'F' : 'C',
  };
}

function isNdarray(value: unknown): value is Node {
  return isNode(value) && value['py/object'] === 'numpy.ndarray';
}

/**
 * The binary form of an ndarray node, read without decoding anything: null when the value is
 * not an ndarray node or holds its values as plain lists (small arrays), a problem when
 * the node is binary but malformed (so a "show values" can say why).
 */
export function binaryNdarray(value: unknown): NdarrayBinary | Problem | null {
  if (!isNdarray(value)) return null;
  const own = readLayout(value);
  if ('base' in value) {
    if (!('ok' in own) && isNdarray(value.base)) {
      const base = binaryNdarray(value.base);
      if (base === null) {
        return { ok: false, message: 'cannot show values of a view of an array stored as lists' };
      }
      if ('ok' in base) return base;
      if (base.base !== undefined) {
        return { ok: false, message: 'cannot show values of a view of a view' };
      }
      const offset = value.offset ?? 0;
      if (!Number.isSafeInteger(offset)) {
        return { ok: false, message: `corrupt: the view offset is ${JSON.stringify(offset)}` };
      }
      let strides: number[] | null = null;
      if (value.strides !== undefined && value.strides !== null) {
        const read = sizes(value.strides, 'strides');
        if (!Array.isArray(read)) return read;
        if (read.length !== own.shape.length) {
          return {
            ok: false,
            message: `corrupt: strides [${read.join(', ')}] for shape [${own.shape.join(', ')}]`,
          };
        }
        strides = read;
      }
      const { data, ...baseLayout } = base;
      return { ...own, order: 'C', offset: offset as number, strides, data, base: baseLayout };
    }
    if ('ok' in own) return own;
    return {
      ok: false,
      message: 'cannot show values: the array this view refers to is not stored here',
    };
  }
  if (Array.isArray(value.values) || !('values' in value)) return null;
  const data = base64Text(value.values);
  if (data === null) {
    if (typeof value.values === 'number' || typeof value.values === 'boolean') return null;
    return { ok: false, message: 'corrupt: values are neither lists nor base64 text' };
  }
  if ('ok' in own) return own;
  return { ...own, data };
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, n) => product * n, 1);
}

/**
 * How many bytes the raw buffer of a (non-view) layout takes, or why it cannot be read; lets a
 * caller refuse a huge array before inflating it.
 */
export function expectedByteLength(layout: NdarrayLayout): number | Problem {
  const parsed = parseNumpyDtype(layout.dtype, layout.byteorder);
  if (!parsed.ok) return parsed;
  const bytes = elementCount(layout.shape) * parsed.dtype.itemsize;
  if (!Number.isSafeInteger(bytes)) {
    return {
      ok: false,
      message: `corrupt: shape [${layout.shape.join(', ')}] is impossibly large`,
    };
  }
  return bytes;
}

const f16 = new Float32Array(1);
const f16Bits = new Uint32Array(f16.buffer);

/** IEEE half precision to a number (DataView has no getFloat16 in Node 20). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  f16Bits[0] = ((bits & 0x8000) << 16) | ((exponent + 112) << 23) | (fraction << 13);
  return f16[0] ?? NaN;
}

function complexText(re: number, im: number): string {
  const negative = im < 0 || Object.is(im, -0);
  return `${re}${negative ? '-' : '+'}${Number.isNaN(im) ? 'NaN' : Math.abs(im)}j`;
}

/** Reads one element as a raw number, bigint, boolean, pair or string. */
type Raw = number | bigint | boolean | [number, number] | string;

function readerFor(dtype: NdarrayDtype, view: DataView): (at: number) => Raw {
  const le = dtype.littleEndian;
  switch (dtype.kind) {
    case 'bool':
      return (at) => view.getUint8(at) !== 0;
    case 'int':
      if (dtype.itemsize === 1) return (at) => view.getInt8(at);
      if (dtype.itemsize === 2) return (at) => view.getInt16(at, le);
      if (dtype.itemsize === 4) return (at) => view.getInt32(at, le);
      return (at) => view.getBigInt64(at, le);
    case 'uint':
      if (dtype.itemsize === 1) return (at) => view.getUint8(at);
      if (dtype.itemsize === 2) return (at) => view.getUint16(at, le);
      if (dtype.itemsize === 4) return (at) => view.getUint32(at, le);
      return (at) => view.getBigUint64(at, le);
    case 'float':
      if (dtype.itemsize === 2) return (at) => halfToNumber(view.getUint16(at, le));
      if (dtype.itemsize === 4) return (at) => view.getFloat32(at, le);
      return (at) => view.getFloat64(at, le);
    case 'complex':
      if (dtype.itemsize === 8) {
        return (at) => [view.getFloat32(at, le), view.getFloat32(at + 4, le)];
      }
      return (at) => [view.getFloat64(at, le), view.getFloat64(at + 8, le)];
    case 'unicode':
      return (at) => {
        let text = '';
        for (let i = 0; i < dtype.itemsize; i += 4) {
          const code = view.getUint32(at + i, le);
          if (code === 0) break;
          text += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
        }
        return text;
      };
    case 'bytes':
      return (at) => {
        let text = '';
        for (let i = 0; i < dtype.itemsize; i++) {
          const byte = view.getUint8(at + i);
          if (byte === 0) break;
          text += String.fromCharCode(byte);
        }
        return text;
      };
  }
}

function display(raw: Raw, dtype: NdarrayDtype): NdValue {
  if (typeof raw === 'bigint') {
    return raw >= BigInt(Number.MIN_SAFE_INTEGER) && raw <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(raw)
      : raw.toString();
  }
  if (Array.isArray(raw)) return complexText(raw[0], raw[1]);
  if (typeof raw === 'string')
    return dtype.kind === 'bytes' ? `b${JSON.stringify(raw)}` : JSON.stringify(raw);
  return raw;
}

function stridesFor(layout: NdarrayLayout, itemsize: number): number[] {
  if (layout.strides !== undefined && layout.strides !== null) return layout.strides;
  const { shape } = layout;
  const strides = new Array<number>(shape.length);
  let step = itemsize;
  const dims = shape.map((_, i) => (layout.order === 'F' ? i : shape.length - 1 - i));
  for (const dim of dims) {
    strides[dim] = step;
    step *= shape[dim] ?? 1;
  }
  return strides;
}

/** Calls `visit` with the byte offset of every element, in row-major order. */
function forEachOffset(
  shape: readonly number[],
  strides: readonly number[],
  start: number,
  visit: (at: number) => void,
): void {
  const count = elementCount(shape);
  if (count === 0) return;
  const index = new Array<number>(shape.length).fill(0);
  let at = start;
  for (let n = 0; n < count; n++) {
    visit(at);
    for (let dim = shape.length - 1; dim >= 0; dim--) {
      const stride = strides[dim] ?? 0;
      if ((index[dim] ?? 0) + 1 < (shape[dim] ?? 0)) {
        index[dim] = (index[dim] ?? 0) + 1;
        at += stride;
        break;
      }
      at -= stride * (index[dim] ?? 0);
      index[dim] = 0;
    }
  }
}

function summarize(
  dtype: NdarrayDtype,
  count: number,
  each: (visit: (raw: Raw) => void) => void,
): NdarraySummary {
  const summary: NdarraySummary = { count, nanCount: 0, min: null, max: null, mean: null };
  if (dtype.kind === 'unicode' || dtype.kind === 'bytes' || count === 0) return summary;
  if (dtype.kind === 'complex') {
    let re = 0;
    let im = 0;
    each((raw) => {
      const [a, b] = raw as [number, number];
      if (Number.isNaN(a) || Number.isNaN(b)) summary.nanCount++;
      else {
        re += a;
        im += b;
      }
    });
    const n = count - summary.nanCount;
    if (n > 0) summary.mean = complexText(re / n, im / n);
    return summary;
  }
  if ((dtype.kind === 'int' || dtype.kind === 'uint') && dtype.itemsize === 8) {
    let min: bigint | null = null;
    let max: bigint | null = null;
    let sum = 0;
    each((raw) => {
      const v = raw as bigint;
      if (min === null || v < min) min = v;
      if (max === null || v > max) max = v;
      sum += Number(v);
    });
    summary.min = min === null ? null : display(min, dtype);
    summary.max = max === null ? null : display(max, dtype);
    summary.mean = sum / count;
    return summary;
  }
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  each((raw) => {
    const v = typeof raw === 'boolean' ? (raw ? 1 : 0) : (raw as number);
    if (Number.isNaN(v)) {
      summary.nanCount++;
      return;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  });
  const n = count - summary.nanCount;
  if (n === 0) return summary;
  summary.min = dtype.kind === 'bool' ? min === 1 : min;
  summary.max = dtype.kind === 'bool' ? max === 1 : max;
  summary.mean = sum / n;
  return summary;
}

/**
 * The values of an ndarray from its raw (inflated) buffer: the first `maxValues` in row-major
 * order nested by shape, and a summary over all of them. A buffer whose size does not fit the
 * shape and dtype is reported as corrupt rather than read.
 */
export function decodeNdarrayBuffer(
  bytes: Uint8Array,
  layout: NdarrayLayout,
  maxValues = DEFAULT_MAX_VALUES,
): NdarrayDecoded {
  const parsed = parseNumpyDtype(layout.dtype, layout.byteorder);
  if (!parsed.ok) return parsed;
  const { dtype } = parsed;
  const { shape } = layout;
  const count = elementCount(shape);
  const shapeText = `[${shape.join(', ')}]`;
  const strides = stridesFor(layout, dtype.itemsize);
  const start = layout.offset ?? 0;
  const isView = layout.strides !== undefined || layout.offset !== undefined;

  if (!isView) {
    const expected = count * dtype.itemsize;
    if (bytes.length !== expected) {
      return {
        ok: false,
        message: `corrupt: ${bytes.length} bytes for shape ${shapeText} of dtype ${layout.dtype} (expected ${expected})`,
      };
    }
  } else if (count > 0) {
    let low = start;
    let high = start;
    shape.forEach((n, dim) => {
      const reach = (strides[dim] ?? 0) * (n - 1);
      if (reach < 0) low += reach;
      else high += reach;
    });
    if (low < 0 || high + dtype.itemsize > bytes.length) {
      return {
        ok: false,
        message: `corrupt: the view (shape ${shapeText}, offset ${start}) reaches past the ${bytes.length} bytes of its base`,
      };
    }
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = readerFor(dtype, view);

  let budget = Math.max(0, maxValues);
  let shown = 0;
  const build = (dim: number, at: number): NestedValues => {
    if (dim === shape.length) {
      budget--;
      shown++;
      return display(read(at), dtype);
    }
    const out: NestedValues[] = [];
    const size = shape[dim] ?? 0;
    const stride = strides[dim] ?? 0;
    const innerCount = elementCount(shape.slice(dim + 1));
    for (let i = 0; i < size && out.length < maxValues; i++) {
      // Whole rows while they fit, so the last shown row is not cut (unless one row is too long).
      if (innerCount > 0 && (budget <= 0 || (budget < innerCount && out.length > 0))) break;
      out.push(build(dim + 1, at + i * stride));
    }
    return out;
  };
  const values = build(0, start);

  const contiguous = !isView;
  const summary = summarize(dtype, count, (visit) => {
    if (contiguous) {
      // Every element of the buffer, whatever the order: the summary does not care.
      for (let at = 0; at < count * dtype.itemsize; at += dtype.itemsize) visit(read(at));
    } else {
      forEachOffset(shape, strides, start, (at) => visit(read(at)));
    }
  });

  return { ok: true, dtype, shape, values, shown, summary };
}
