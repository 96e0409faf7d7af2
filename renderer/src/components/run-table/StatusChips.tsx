import type { FilterNode } from '../../../../shared/filter';
import {
  STATUS_CHIPS,
  chosenStatuses,
  deadChosen,
  toggleDeadChip,
  toggleStatusChip,
} from '../../model/status-chips';

interface Props {
  ast: FilterNode | null;
  onChange: (ast: FilterNode | null) => void;
}

/** Status quick filters: each chip adds its status to the filter's `status in (...)`. */
export function StatusChips({ ast, onChange }: Props) {
  const chosen = chosenStatuses(ast);
  const dead = deadChosen(ast);
  return (
    <div className="status-chips" role="group" aria-label="Status">
      {STATUS_CHIPS.map((status) => {
        const on = chosen.includes(status);
        return (
          <button
            key={status}
            type="button"
            className={`chip status-${status.toLowerCase()}${on ? ' on' : ''}`}
            data-testid="status-chip"
            data-status={status}
            aria-pressed={on}
            onClick={() => onChange(toggleStatusChip(ast, status))}
          >
            {status.toLowerCase()}
          </button>
        );
      })}
      <button
        type="button"
        className={`chip status-probably-dead${dead ? ' on' : ''}`}
        data-testid="status-chip"
        data-status="dead"
        aria-pressed={dead}
        title="RUNNING, but no heartbeat for a long time"
        onClick={() => onChange(toggleDeadChip(ast))}
      >
        probably dead
      </button>
    </div>
  );
}
