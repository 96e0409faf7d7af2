// Dotted field paths as mongod resolves them, descending through arrays of
// sub-documents ("steps.name" reaches every element's name).
import type { Document } from 'bson';
import { EMPTY_ARRAY_KEY, compareBson } from './bson-order';

function isPlainObject(value: unknown): value is Document {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof RegExp) &&
    !(value instanceof Uint8Array) &&
    !('_bsontype' in value)
  );
}

/**
 * Every value the path reaches. Arrays at the end are returned whole when
 * `expandLeafArrays` is false, element by element when it is true.
 */
export function valuesAtPath(doc: unknown, path: string, expandLeafArrays: boolean): unknown[] {
  const out: unknown[] = [];
  const walk = (value: unknown, parts: string[]): void => {
    if (parts.length === 0) {
      if (expandLeafArrays && Array.isArray(value)) {
        if (value.length === 0) out.push(EMPTY_ARRAY_KEY);
        else out.push(...(value as unknown[]));
      } else {
        out.push(value);
      }
      return;
    }
    const [head, ...rest] = parts as [string, ...string[]];
    if (Array.isArray(value)) {
      const index = /^\d+$/u.test(head) ? Number(head) : undefined;
      if (index !== undefined && index < value.length) walk(value[index], rest);
      else for (const element of value) if (isPlainObject(element)) walk(element, parts);
      return;
    }
    if (isPlainObject(value) && head in value) walk(value[head], rest);
  };
  walk(doc, path.split('.'));
  return out;
}

/** The value a document sorts by on one key: smallest (ascending) or largest element. */
export function sortKeyAt(doc: Document, path: string, direction: 1 | -1): unknown {
  const values = valuesAtPath(doc, path, true);
  if (values.length === 0) return null;
  let best = values[0];
  for (const value of values.slice(1)) {
    const c = compareBson(value, best);
    if ((direction === 1 && c < 0) || (direction === -1 && c > 0)) best = value;
  }
  return best;
}

/** The single value at a path (no array fan-out), `undefined` when missing. */
export function valueAt(doc: Document, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function setAt(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Document = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(current[part])) current[part] = {};
    current = current[part] as Document;
  }
  current[parts[parts.length - 1]!] = value;
}

export { isPlainObject };
