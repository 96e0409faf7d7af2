import '../tags/tags.css';
import { useState } from 'react';
import { usePendingEdits } from '../../hooks/use-pending-edits';
import { pendingEditsLabel } from '../../model/pending-edit-text';
import { EditConflict } from '../edits/EditConflict';
import { Modal } from '../common/Modal';

/**
 * Under a MongoDB source: how many edits wait for its server ("2 pending edits · 1 conflict"),
 * opening the list where each conflict is settled. Nothing shows when none wait.
 */
export function PendingEditsLink({ source }: { source: string }) {
  const { edits, refresh } = usePendingEdits(source, true);
  const [open, setOpen] = useState(false);
  const label = pendingEditsLabel(edits);
  const conflicts = edits.some((edit) => edit.state === 'conflict');
  return (
    <>
      {label !== null && (
        <button
          type="button"
          className={`link-button source-pending-edits${conflicts ? ' has-conflict' : ''}`}
          data-testid="source-pending-edits"
          title="Edits made while the source was offline, waiting to be written"
          onClick={() => setOpen(true)}
        >
          {label}
        </button>
      )}
      {open && (
        <Modal
          titleId="pending-edits-title"
          onClose={() => setOpen(false)}
          testId="pending-edits-dialog"
        >
          <h2 id="pending-edits-title">Edits waiting for {source}</h2>
          {edits.length === 0 ? (
            <p>No edit is waiting: all were written.</p>
          ) : (
            <div className="pending-edit-list">
              {edits.map((edit) => (
                <EditConflict
                  key={`${edit.id}\u0000${edit.field}`}
                  edit={edit}
                  showRun
                  onResolved={refresh}
                />
              ))}
            </div>
          )}
          <div className="form-actions">
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}
