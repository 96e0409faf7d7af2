/**
 * One number format per table column, chosen from the column's values, so `1.000e-4` never
 * stands beside `0.1`: a column is all integers, all fixed-point with the same decimals
 * (aligned, comparable at a glance), or all scientific when its magnitudes are too far apart
 * for fixed-point to show the small ones.
 */
export type NumberFormat =
  | { kind: 'integer' }
  | { kind: 'fixed'; decimals: number }
  | { kind: 'scientific'; digits: number };

/** Significant digits the smallest value keeps in fixed-point. */
const SIGNIFICANT = 3;
const MAX_DECIMALS = 6;
const SCIENTIFIC_DIGITS = 3;

/** Decimals needed to write n exactly (up to MAX_DECIMALS + 1: "more than we show"). */
function decimalsOf(n: number): number {
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    if (Number(n.toFixed(d)) === n) return d;
  }
  return MAX_DECIMALS + 1;
}

/** The format for a column holding these values (non-numbers are ignored). */
export function chooseNumberFormat(values: Iterable<unknown>): NumberFormat {
  let minAbs = Infinity;
  let maxAbs = 0;
  let decimals = 0;
  let any = false;
  for (const value of values) {
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    any = true;
    const abs = Math.abs(value);
    if (abs > maxAbs) maxAbs = abs;
    if (abs !== 0 && abs < minAbs) minAbs = abs;
    if (!Number.isInteger(value)) decimals = Math.max(decimals, decimalsOf(value));
  }
  if (!any || (decimals === 0 && maxAbs < 1e15)) return { kind: 'integer' };
  if (maxAbs >= 1e6 || minAbs < 1e-3) return { kind: 'scientific', digits: SCIENTIFIC_DIGITS };
  // Enough decimals for the smallest value's first significant digits, no more than any needs.
  const forSmallest = SIGNIFICANT - 1 - Math.floor(Math.log10(minAbs));
  return {
    kind: 'fixed',
    decimals: Math.max(0, Math.min(decimals, forSmallest, MAX_DECIMALS)),
  };
}

export function formatWith(format: NumberFormat, n: number): string {
  if (!Number.isFinite(n)) return String(n);
  switch (format.kind) {
    case 'integer':
      return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
    case 'fixed':
      return n.toFixed(format.decimals);
    case 'scientific':
      return n === 0 ? '0' : n.toExponential(format.digits);
  }
}
