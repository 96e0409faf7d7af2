// Numbers keep the BSON type the client sent, as in mongod: pymongo reads a whole double
// (Sacred's `tau=10.0`, a metric value `1.0`) back as a float only if it stays a double, and
// GridFS `length` is an Int64. Stored documents hold plain JS numbers wherever serializing
// the number gives back the sent type (int32, non-whole doubles) and bson's Double/Long
// wrappers elsewhere. mingo compares plain values only, so it works on a promoted view.
import { deserialize, serialize } from 'bson';
import type { Double, Int32, Long } from 'bson';
import type { Document } from 'bson';

function bsonType(value: object): string | undefined {
  return '_bsontype' in value ? String((value as { _bsontype: unknown })._bsontype) : undefined;
}

function isContainer(value: unknown): value is Document | unknown[] {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  if (value instanceof Date || value instanceof RegExp || value instanceof Uint8Array) return false;
  return bsonType(value) === undefined;
}

/** True when bson serializes this plain number as an int32 (so a whole double needs Double). */
function serializesAsInt32(value: number): boolean {
  return (
    Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff && !Object.is(value, -0)
  );
}

/** The stored form of one decoded value (decoded with `promoteValues: false`). */
function storedNumber(value: object): unknown {
  switch (bsonType(value)) {
    case 'Int32':
      return (value as Int32).value;
    case 'Double': {
      const number = (value as Double).value;
      return serializesAsInt32(number) ? value : number;
    }
    default:
      return value; // Long and everything else stay as decoded
  }
}

/** Rewrites a value decoded with `promoteValues: false` into the stored form, in place. */
export function normalizeNumbers<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (!isContainer(value)) return storedNumber(value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = normalizeNumbers(value[i]);
  } else {
    const doc = value as Document;
    for (const key of Object.keys(doc)) doc[key] = normalizeNumbers(doc[key]);
  }
  return value;
}

/** Decodes one BSON document keeping every number's type (see the file comment). */
export function decodeDocument(bytes: Uint8Array): Document {
  return normalizeNumbers(deserialize(bytes, { promoteValues: false }));
}

/** A deep copy that keeps BSON types (stored documents are never mutated in place). */
export function cloneDocument(doc: Document): Document {
  return decodeDocument(serialize(doc));
}

/** A wrapped number's value for comparisons: Long beyond 2^53 stays a Long. */
export function numberValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  switch (bsonType(value)) {
    case 'Double':
    case 'Int32':
      return (value as Double).value;
    case 'Long': {
      const long = value as Long;
      const big = long.toBigInt();
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
        ? long.toNumber()
        : value;
    }
    default:
      return value;
  }
}

function promote(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (!isContainer(value)) return numberValue(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const element: unknown = value[i];
      const promoted = promote(element);
      if (promoted !== element) {
        copy ??= value.slice();
        copy[i] = promoted;
      }
    }
    return copy ?? value;
  }
  const doc = value as Document;
  let copy: Document | undefined;
  for (const key of Object.keys(doc)) {
    const field: unknown = doc[key];
    const promoted = promote(field);
    if (promoted !== field) {
      copy ??= { ...doc };
      copy[key] = promoted;
    }
  }
  return copy ?? doc;
}

const views = new WeakMap<Document, Document>();

/**
 * The document as mingo should see it: Double and Long (within 2^53) as plain numbers, so
 * `{epochs: 10}` matches a stored 10.0 as in mongod. Cached per stored document, which is
 * never mutated; parts without wrappers are shared, not copied.
 */
export function mingoView(doc: Document): Document {
  let view = views.get(doc);
  if (view === undefined) {
    view = promote(doc) as Document;
    views.set(doc, view);
  }
  return view;
}

/** Plain values for mingo of anything (a query, an update operand). Not cached. */
export function promoted<T>(value: T): T {
  return promote(value) as T;
}

function sameNumber(a: unknown, b: unknown): boolean {
  const x = numberValue(a);
  const y = numberValue(b);
  return typeof x === 'number' && typeof y === 'number' && Object.is(x, y);
}

/**
 * After mingo computed `result` from a promoted view of `original`, puts back the wrapped
 * numbers of `original` wherever the same path still holds the same value. Copies what it
 * changes (results may share parts with cached views), never mutates.
 */
export function retypeFrom(result: unknown, original: unknown): unknown {
  if (typeof result === 'number') {
    return original !== null && typeof original === 'object' && sameNumber(result, original)
      ? original
      : result;
  }
  if (!isContainer(result) || !isContainer(original)) return result;
  if (Array.isArray(result)) {
    if (!Array.isArray(original)) return result;
    let copy: unknown[] | undefined;
    for (let i = 0; i < result.length && i < original.length; i += 1) {
      const typed = retypeFrom(result[i], original[i]);
      if (typed !== result[i]) {
        copy ??= result.slice();
        copy[i] = typed;
      }
    }
    return copy ?? result;
  }
  if (Array.isArray(original)) return result;
  const doc = result as Document;
  const before = original as Document;
  let copy: Document | undefined;
  for (const key of Object.keys(doc)) {
    if (!Object.hasOwn(before, key)) continue;
    const typed = retypeFrom(doc[key], before[key]);
    if (typed !== doc[key]) {
      copy ??= { ...doc };
      copy[key] = typed;
    }
  }
  return copy ?? doc;
}
