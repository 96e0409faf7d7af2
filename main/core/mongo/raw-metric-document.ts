// From the driver, not from `bson` directly: in an ESM test run `bson` resolves to its ESM
// build while the driver uses the CommonJS one, and an ObjectId of one is no `instanceof` of
// the other.
import type { Document } from 'mongodb';
import { mongoDriver } from './mongo-driver';
import { noteLost } from '../unconverted-points';

/** The point arrays of a Sacred metrics document; everything else is decoded by bson. */
const POINT_FIELDS = new Set(['steps', 'values', 'timestamps']);

class UnknownBsonType extends Error {}

/**
 * A metrics document read as raw BSON (the driver's `raw` option) with its point arrays
 * decoded straight into Float64Arrays: no JS number array and no Date object per point,
 * which is where most of a sync's time and garbage went for long metrics. The other fields
 * (`_id`, `run_id`, `name`) go through bson as usual. Values become numbers as
 * metricNumber does (null and text: NaN, booleans 0/1, Int64 and dates as numbers); times
 * as milliseconds (ISO text parsed, naive text taken as UTC).
 */
export function readRawMetricDocument(
  raw: Uint8Array,
  parseTime: (text: string) => number,
): Document {
  try {
    return decode(raw, parseTime);
  } catch (error) {
    if (!(error instanceof UnknownBsonType) && !(error instanceof RangeError)) throw error;
    // A shape this reader does not know: the general decoder, and the slow path after it.
    return mongoDriver().BSON.deserialize(raw, { useBigInt64: true });
  }
}

function decode(raw: Uint8Array, parseTime: (text: string) => number): Document {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = view.getInt32(0, true);
  if (size > raw.byteLength || size < 5) throw new RangeError('truncated document');
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  const points: Document = {};
  let at = 4;
  while (at < size - 1) {
    const type = raw[at] as number;
    const nameEnd = raw.indexOf(0, at + 1);
    if (nameEnd < 0 || nameEnd >= size) throw new RangeError('bad element name');
    const valueAt = nameEnd + 1;
    const end = valueEnd(type, raw, view, valueAt);
    const name = Buffer.from(raw.buffer, raw.byteOffset + at + 1, nameEnd - at - 1).toString(
      'utf8',
    );
    if (type === 0x04 && POINT_FIELDS.has(name)) {
      points[name] = readArray(raw, view, valueAt, name === 'timestamps', parseTime);
    } else {
      kept.push(raw.subarray(at, end));
      keptBytes += end - at;
    }
    at = end;
  }
  const rest = Buffer.allocUnsafe(keptBytes + 5);
  rest.writeInt32LE(keptBytes + 5, 0);
  let offset = 4;
  for (const part of kept) {
    rest.set(part, offset);
    offset += part.length;
  }
  rest[offset] = 0;
  return { ...mongoDriver().BSON.deserialize(rest, { useBigInt64: true }), ...points };
}

/** Where the value of an element of this type, starting at `at`, ends. */
function valueEnd(type: number, raw: Uint8Array, view: DataView, at: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // date
    case 0x11: // timestamp
    case 0x12: // int64
      return at + 8;
    case 0x02: // string
    case 0x0d: // code
    case 0x0e: // symbol
      return at + 4 + view.getInt32(at, true);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return at + view.getInt32(at, true);
    case 0x05: // binary
      return at + 5 + view.getInt32(at, true);
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return at;
    case 0x07: // ObjectId
      return at + 12;
    case 0x08: // boolean
      return at + 1;
    case 0x10: // int32
      return at + 4;
    case 0x13: // decimal128
      return at + 16;
    case 0x0b: {
      // regex: pattern and options, two C strings
      const patternEnd = raw.indexOf(0, at);
      return raw.indexOf(0, patternEnd + 1) + 1;
    }
    case 0x0c: // DBPointer
      return at + 4 + view.getInt32(at, true) + 12;
    default:
      throw new UnknownBsonType(`BSON type ${type}`);
  }
}

function readArray(
  raw: Uint8Array,
  view: DataView,
  start: number,
  times: boolean,
  parseTime: (text: string) => number,
): Float64Array {
  const end = start + view.getInt32(start, true) - 1;
  let out = new Float64Array(256);
  let count = 0;
  // Points that were neither numbers (values) nor readable times (timestamps), nor null.
  let lost = 0;
  let at = start + 4;
  while (at < end) {
    const type = raw[at] as number;
    const valueAt = raw.indexOf(0, at + 1) + 1;
    let value: number;
    switch (type) {
      case 0x01:
        value = view.getFloat64(valueAt, true);
        break;
      case 0x10:
        value = view.getInt32(valueAt, true);
        break;
      case 0x12:
      case 0x09:
        value = Number(view.getBigInt64(valueAt, true));
        break;
      case 0x08:
        value = raw[valueAt] === 0 ? 0 : 1;
        break;
      case 0x02: {
        const length = view.getInt32(valueAt, true);
        const text = Buffer.from(raw.buffer, raw.byteOffset + valueAt + 4, length - 1).toString(
          'utf8',
        );
        value = times ? parseTime(text) : NaN;
        if (Number.isNaN(value)) lost++;
        break;
      }
      case 0x13:
        value = Number(
          new (mongoDriver().Decimal128)(raw.subarray(valueAt, valueAt + 16)).toString(),
        );
        break;
      default:
        value = NaN;
        if (type !== 0x0a && type !== 0x06) lost++; // null (Python None) is no loss
    }
    if (count === out.length) {
      const grown = new Float64Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[count++] = value;
    at = valueEnd(type, raw, view, valueAt);
  }
  const points = out.slice(0, count);
  noteLost(points, lost);
  return points;
}
