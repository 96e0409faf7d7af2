import type { FilterNode, FilterValue } from './filter-ast';

/**
 * Run statuses are an enum: Sacred's own (see SACRED_FORMAT.md), the viewer's UNKNOWN (no
 * status written) and UNREADABLE (a run that could not be read), plus any custom status a
 * SacredInterrupt subclass wrote, known from the runs themselves. `status = completed` means
 * COMPLETED (any case); a value that is none of them is an error listing the valid ones, never
 * a silent "0 runs".
 */
export const RUN_STATUSES = [
  'QUEUED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'INTERRUPTED',
  'TIMEOUT',
  'UNKNOWN',
  'UNREADABLE',
] as const;

/** The filter with every status literal spelled as the status it names (case-insensitive). */
export function canonicalStatuses(
  node: FilterNode,
  /** Statuses beyond RUN_STATUSES that runs hold (custom interrupts). */
  seen: Iterable<string>,
): { ok: true; node: FilterNode } | { ok: false; message: string } {
  const known = new Map<string, string>();
  for (const status of [...RUN_STATUSES, ...seen]) {
    const key = status.toUpperCase();
    // An exact spelling wins over another run's differently cased custom status.
    if (!known.has(key) || status === key) known.set(key, status);
  }
  const fix = (value: FilterValue): FilterValue | string => {
    if (value.type !== 'string') return value;
    if ([...known.values()].includes(value.value)) return value;
    const status = known.get(value.value.toUpperCase());
    if (status !== undefined) return { type: 'string', value: status };
    const valid = [...new Set(known.values())].join(', ');
    return `unknown status "${value.value}": use one of ${valid}`;
  };
  const walk = (n: FilterNode): FilterNode | string => {
    switch (n.type) {
      case 'and':
      case 'or': {
        const items: FilterNode[] = [];
        for (const item of n.items) {
          const fixed = walk(item);
          if (typeof fixed === 'string') return fixed;
          items.push(fixed);
        }
        return { type: n.type, items };
      }
      case 'not': {
        const item = walk(n.item);
        return typeof item === 'string' ? item : { type: 'not', item };
      }
      case 'compare': {
        if (!isStatus(n.path)) return n;
        const value = fix(n.value);
        return typeof value === 'string' ? value : { ...n, value };
      }
      case 'in': {
        if (!isStatus(n.path)) return n;
        const values: FilterValue[] = [];
        for (const item of n.values) {
          const value = fix(item);
          if (typeof value === 'string') return value;
          values.push(value);
        }
        return { ...n, values };
      }
      default:
        return n;
    }
  };
  const result = walk(node);
  return typeof result === 'string' ? { ok: false, message: result } : { ok: true, node: result };
}

function isStatus(path: readonly string[]): boolean {
  return path.length === 1 && path[0] === 'status';
}
