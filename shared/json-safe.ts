import type { JsonValue } from './contract';

/** Non-finite numbers as the strings the contract promises ("NaN", "Infinity", "-Infinity"). */
export function nonFiniteToString(n: number): number | string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return n;
}

/** Deep copy of a parsed value with non-finite numbers made JSON-safe and undefined dropped. */
export function toJsonSafe(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return nonFiniteToString(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((item) => toJsonSafe(item));
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      // defineProperty keeps a stored "__proto__" key as data instead of changing the prototype.
      if (item !== undefined) {
        Object.defineProperty(out, key, {
          value: toJsonSafe(item),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return out;
  }
  return String(value);
}

/**
 * Whether `value` is already what toJsonSafe would copy it to: null, finite numbers, strings,
 * booleans, arrays and plain objects of those (as JSON.parse gives, unless a number overflowed
 * to Infinity or NaN/Infinity were revived). Such a tree can be used as it is: the walk
 * allocates nothing, where the copy was a new object and a defineProperty per key.
 */
export function isJsonSafe(value: unknown): value is JsonValue {
  if (value === null) return true;
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value);
    case 'string':
    case 'boolean':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (!isJsonSafe(item)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value as Record<string, unknown>) {
    if (!Object.hasOwn(value, key) || !isJsonSafe((value as Record<string, unknown>)[key]))
      return false;
  }
  return true;
}
