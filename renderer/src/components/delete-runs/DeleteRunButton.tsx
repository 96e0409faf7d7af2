import { useMemo, useState } from 'react';
import type { RunKey } from '../../../../shared/contract';
import { DeleteRunsDialog } from './DeleteRunsDialog';

/** The run page's "Delete…": after the delete the page goes back to the run list. */
export function DeleteRunButton({ runKey, onDeleted }: { runKey: RunKey; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const runs = useMemo(() => [runKey], [runKey]);
  return (
    <>
      <button
        type="button"
        className="small"
        data-testid="delete-run"
        title="Delete this run (sources with writes on); asks first"
        onClick={() => setOpen(true)}
      >
        Delete…
      </button>
      {open && (
        <DeleteRunsDialog runs={runs} onClose={() => setOpen(false)} onDeleted={onDeleted} />
      )}
    </>
  );
}
