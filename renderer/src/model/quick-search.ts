import type { FilterNode } from '../../../shared/filter';

/**
 * The search box's condition: the filter language's free-text search (experiment, notes,
 * comment, tags) plus `info.notes` (notes some lab scripts keep in info), the run id, status
 * and source, so typing "17" or "UNREADABLE" finds those runs too. Null for an empty box.
 */
export function quickSearchFilter(query: string): FilterNode | null {
  const needle = query.trim();
  if (needle === '') return null;
  const value = { type: 'string', value: needle } as const;
  return {
    type: 'or',
    items: [
      { type: 'text', value: needle },
      { type: 'contains', path: ['id'], value },
      { type: 'contains', path: ['status'], value },
      { type: 'contains', path: ['source'], value },
      { type: 'contains', path: ['info', 'notes'], value },
    ],
  };
}

/** Both conditions must hold; either may be absent. */
export function andFilters(a: FilterNode | null, b: FilterNode | null): FilterNode | null {
  if (a === null) return b;
  if (b === null) return a;
  return { type: 'and', items: [a, b] };
}
