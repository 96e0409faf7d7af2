// MongoDB's total order over BSON values ("comparison/sort order"): MinKey < null
// < numbers < strings < objects < arrays < binary < ObjectId < booleans < dates
// < timestamps < regular expressions < MaxKey. Used for sort, distinct and keys,
// because mingo orders mixed types differently from mongod.
import { EJSON } from 'bson';

type BsonTagged = { _bsontype: string };

function bsonType(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && '_bsontype' in value) {
    return (value as BsonTagged)._bsontype;
  }
  return undefined;
}

/** Marker for an empty array in a sort key: mongod sorts it before null. */
export const EMPTY_ARRAY_KEY: unique symbol = Symbol('empty array');

function rank(value: unknown): number {
  if (value === EMPTY_ARRAY_KEY) return 1.5;
  if (value === undefined || value === null) return 2;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    default:
      break;
  }
  if (Array.isArray(value)) return 6;
  if (value instanceof Date) return 10;
  if (value instanceof RegExp) return 12;
  if (value instanceof Uint8Array) return 7;
  switch (bsonType(value)) {
    case 'MinKey':
      return 1;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'Code':
      return 13;
    case 'MaxKey':
      return 14;
    default:
      return 5; // plain sub-document (and DBRef)
  }
}

function numeric(value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  const type = bsonType(value);
  if (type === 'Long') return BigInt(String(value));
  if (type === 'Int32' || type === 'Double') return (value as { value: number }).value;
  return Number.parseFloat(String(value)); // Decimal128
}

function compareNumbers(a: number | bigint, b: number | bigint): number {
  const aNaN = typeof a === 'number' && Number.isNaN(a);
  const bNaN = typeof b === 'number' && Number.isNaN(b);
  if (aNaN || bNaN) return aNaN && bNaN ? 0 : aNaN ? -1 : 1;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'number' && Number.isInteger(b)) {
    return compareNumbers(a, BigInt(b));
  }
  if (typeof b === 'bigint' && typeof a === 'number' && Number.isInteger(a)) {
    return compareNumbers(BigInt(a), b);
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function compareStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const c = compareBson(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareObjects(a: object, b: object): number {
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i += 1) {
    const [ka, va] = ea[i]!;
    const [kb, vb] = eb[i]!;
    const byType = rank(va) - rank(vb);
    if (byType !== 0) return byType < 0 ? -1 : 1;
    const byName = compareStrings(ka, kb);
    if (byName !== 0) return byName;
    const byValue = compareBson(va, vb);
    if (byValue !== 0) return byValue;
  }
  return ea.length === eb.length ? 0 : ea.length < eb.length ? -1 : 1;
}

export function compareBson(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 3:
      return compareNumbers(numeric(a), numeric(b));
    case 4:
      return compareStrings(String(a), String(b));
    case 5:
      return compareObjects(a as object, b as object);
    case 6:
      return compareArrays(a as unknown[], b as unknown[]);
    case 7: {
      const ba = a instanceof Uint8Array ? a : (a as { buffer: Uint8Array }).buffer;
      const bb = b instanceof Uint8Array ? b : (b as { buffer: Uint8Array }).buffer;
      return compareBytes(ba, bb);
    }
    case 8:
      return compareStrings(String(a), String(b)); // equal-length hex keeps byte order
    case 9:
      return a === b ? 0 : a ? 1 : -1;
    case 10:
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case 11: {
      const ta = a as { t: number; i: number };
      const tb = b as { t: number; i: number };
      return ta.t !== tb.t ? compareNumbers(ta.t, tb.t) : compareNumbers(ta.i, tb.i);
    }
    case 12:
    case 13:
      return compareStrings(String(a), String(b));
    default:
      return 0;
  }
}

/** Stable string form for hashing values that mongod considers equal (1 and 1.0 alike). */
export function canonicalKey(value: unknown): string {
  return EJSON.stringify({ v: value }, { relaxed: true });
}
