/** A sortable cell value: missing values are undefined, null, '' or NaN. */
export type SortValue = string | number | boolean | null | undefined;

export function isMissing(value: SortValue): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (typeof value === 'number' && Number.isNaN(value)) ||
    value === 'NaN'
  );
}

function asNumber(value: SortValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Ascending order of two present values: numbers (and numeric strings like ids) numerically. */
export function compareValues(a: SortValue, b: SortValue): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== null && nb !== null) return na === nb ? 0 : na < nb ? -1 : 1;
  if (na !== null) return -1;
  if (nb !== null) return 1;
  return collator.compare(String(a), String(b));
}

/**
 * Sorts items by one key, keeping missing values last in both directions (a user sorting by
 * loss wants the runs that have a loss first, whichever way). Stable; does not mutate.
 */
export function sortByValue<T>(
  items: readonly T[],
  key: (item: T) => SortValue,
  direction: 'asc' | 'desc',
): T[] {
  const keyed = items.map((item, index) => ({ item, index, value: key(item) }));
  const sign = direction === 'asc' ? 1 : -1;
  keyed.sort((x, y) => {
    const mx = isMissing(x.value);
    const my = isMissing(y.value);
    if (mx || my) return mx === my ? x.index - y.index : mx ? 1 : -1;
    return sign * compareValues(x.value, y.value) || x.index - y.index;
  });
  return keyed.map((entry) => entry.item);
}
