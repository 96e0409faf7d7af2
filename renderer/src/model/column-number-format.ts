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

/**
 * Decimals needed to write n exactly, or `atLeast` if that many do (up to MAX_DECIMALS + 1:
 * "more than we show"). A summary only needs the largest: starting from the largest so far,
 * most values of a column of measured floats cost no toFixed at all once one needed them all
 * (seven toFixed a value were ~3 % of a fling's CPU, each page summarized as it arrives).
 */
function decimalsAtLeast(n: number, atLeast: number): number {
  if (atLeast > MAX_DECIMALS) return atLeast;
  for (let d = atLeast; d <= MAX_DECIMALS; d++) {
    if (Number(n.toFixed(d)) === n) return d;
  }
  return MAX_DECIMALS + 1;
}

/**
 * What a column's format is chosen from, for some of its values: summaries of parts (pages of
 * rows) merge, so the table summarizes each page once when it arrives instead of every loaded
 * value again whenever a page arrives (~12k rows × every column during a fling).
 */
export interface NumberSummary {
  readonly any: boolean;
  readonly minAbs: number;
  readonly maxAbs: number;
  readonly decimals: number;
}

export const emptyNumberSummary: NumberSummary = {
  any: false,
  minAbs: Infinity,
  maxAbs: 0,
  decimals: 0,
};

/** The summary of these values (non-numbers are ignored). */
export function summarizeNumbers(values: Iterable<unknown>): NumberSummary {
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
    if (!Number.isInteger(value)) decimals = decimalsAtLeast(value, decimals);
  }
  return { any, minAbs, maxAbs, decimals };
}

export function mergeNumberSummaries(a: NumberSummary, b: NumberSummary): NumberSummary {
  return {
    any: a.any || b.any,
    minAbs: Math.min(a.minAbs, b.minAbs),
    maxAbs: Math.max(a.maxAbs, b.maxAbs),
    decimals: Math.max(a.decimals, b.decimals),
  };
}

/** The format for a column whose values have this summary. */
export function formatOfSummary({ any, minAbs, maxAbs, decimals }: NumberSummary): NumberFormat {
  if (!any || (decimals === 0 && maxAbs < 1e15)) return { kind: 'integer' };
  if (maxAbs >= 1e6 || minAbs < 1e-3) return { kind: 'scientific', digits: SCIENTIFIC_DIGITS };
  // Enough decimals for the smallest value's first significant digits, no more than any needs.
  const forSmallest = SIGNIFICANT - 1 - Math.floor(Math.log10(minAbs));
  return {
    kind: 'fixed',
    decimals: Math.max(0, Math.min(decimals, forSmallest, MAX_DECIMALS)),
  };
}

/** The format for a column holding these values (non-numbers are ignored). */
export function chooseNumberFormat(values: Iterable<unknown>): NumberFormat {
  return formatOfSummary(summarizeNumbers(values));
}

export function sameNumberFormat(
  a: NumberFormat | undefined,
  b: NumberFormat | undefined,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind === 'fixed' && b.kind === 'fixed') return a.decimals === b.decimals;
  if (a.kind === 'scientific' && b.kind === 'scientific') return a.digits === b.digits;
  return a.kind === b.kind;
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
