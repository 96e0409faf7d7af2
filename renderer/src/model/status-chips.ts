import { RUN_STATUSES } from '../../../shared/filter';
import type { FilterNode } from '../../../shared/filter';
import { columnConditions, setColumnConditions } from './column-filter-edit';

/** The statuses offered as quick chips above the table, in Sacred's life-cycle order. */
export const STATUS_CHIPS = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'INTERRUPTED',
  'TIMEOUT',
  'QUEUED',
] as const;

const STATUS: string[] = ['status'];
const DEAD: string[] = ['dead'];

/** Sacred's statuses match in any case (`status = completed`), as the core filters them. */
function spelled(status: string): string {
  const upper = status.toUpperCase();
  return (RUN_STATUSES as readonly string[]).includes(upper) ? upper : status;
}

/** The statuses the filter's top-level `status = X` / `status in (...)` picks, else []. */
export function chosenStatuses(ast: FilterNode | null): string[] {
  const { nodes, combine } = columnConditions(ast, STATUS);
  if (combine !== 'and' || nodes.length !== 1) return [];
  const [node] = nodes;
  if (node?.type === 'in') {
    return node.values.flatMap((value) => (value.type === 'string' ? [spelled(value.value)] : []));
  }
  if (node?.type === 'compare' && node.op === '=' && node.value.type === 'string') {
    return [spelled(node.value.value)];
  }
  return [];
}

/**
 * A chip click: adds the status to the filter's status choice or takes it out, leaving every
 * other condition alone. A status condition the chips cannot express (`status != X`) is
 * replaced by the chip's choice.
 */
export function toggleStatusChip(ast: FilterNode | null, status: string): FilterNode | null {
  const current = chosenStatuses(ast);
  const next = current.includes(status)
    ? current.filter((s) => s !== status)
    : [...current, status];
  const nodes: FilterNode[] =
    next.length === 0
      ? []
      : next.length === 1
        ? [
            {
              type: 'compare',
              path: STATUS,
              op: '=',
              value: { type: 'string', value: next[0] ?? '' },
            },
          ]
        : [{ type: 'in', path: STATUS, values: next.map((value) => ({ type: 'string', value })) }];
  return setColumnConditions(ast, STATUS, nodes);
}

/** Whether the filter asks for "probably dead" runs (`dead = true`). */
export function deadChosen(ast: FilterNode | null): boolean {
  const { nodes } = columnConditions(ast, DEAD);
  return nodes.some(
    (node) =>
      node.type === 'compare' && node.op === '=' && node.value.type === 'bool' && node.value.value,
  );
}

export function toggleDeadChip(ast: FilterNode | null): FilterNode | null {
  return setColumnConditions(
    ast,
    DEAD,
    deadChosen(ast)
      ? []
      : [{ type: 'compare', path: DEAD, op: '=', value: { type: 'bool', value: true } }],
  );
}
