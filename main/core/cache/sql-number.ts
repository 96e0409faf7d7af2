import { nonFiniteToString } from '../../../shared/json-safe';

/**
 * SQLite silently stores NaN as NULL, so every non-finite number goes in as its contract
 * string ("NaN", "Infinity", "-Infinity") in an untyped column, and comes back as that string.
 */
export type SqlNumber = number | string | null;

export function toSqlNumber(value: number | null): SqlNumber {
  return value === null ? null : nonFiniteToString(value);
}

/** The contract shape of a stored number: finite numbers as numbers, the rest as strings. */
export function fromSqlNumber(value: unknown): SqlNumber {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}
