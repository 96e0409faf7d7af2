import { useState } from 'react';
import type { PendingEdit, RunEdit } from '../../../../shared/contract/writes-methods';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { editFieldName, editValueText } from '../../model/pending-edit-text';
import { LocalTime } from '../common/LocalTime';
import '../tags/tags.css';

interface Props {
  edit: PendingEdit;
  /** Show which run it is (the source's list of pending edits); the run page knows. */
  showRun?: boolean;
  onResolved: (result: RunEdit) => void;
}

/**
 * One edit waiting for its source. Pending: it is written at the next sync (or dropped here).
 * Conflict: the source's value changed since the edit; both are shown and the user keeps one,
 * as nothing is overwritten silently.
 */
export function EditConflict({ edit, showRun = false, onResolved }: Props) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = editFieldName(edit.field);
  const conflict = edit.state === 'conflict';

  function keep(which: 'mine' | 'theirs'): void {
    setBusy(true);
    setError(null);
    api
      .resolveEditConflict({ source: edit.source, id: edit.id, field: edit.field, keep: which })
      .then(
        (result) => {
          setBusy(false);
          onResolved(result);
        },
        (failure: unknown) => {
          setBusy(false);
          setError(errorMessage(failure));
        },
      );
  }

  return (
    <div
      className={`edit-conflict ${edit.state}`}
      data-testid={conflict ? 'edit-conflict' : 'edit-pending'}
      data-field={edit.field}
      data-run-id={edit.id}
      role="group"
      aria-label={`${field} of run ${edit.id}: ${conflict ? 'conflict' : 'pending'}`}
    >
      <div className="edit-conflict-title">
        {showRun && <strong>Run {edit.id} · </strong>}
        {conflict ? (
          <>
            <strong>{field}: conflict.</strong> The source’s {field.toLowerCase()} changed since
            your edit (<LocalTime iso={edit.madeAt} />
            ). Choose which to keep:
          </>
        ) : (
          <>
            <strong>{field}: pending.</strong> Saved here (<LocalTime iso={edit.madeAt} />
            ); written to the source at the next successful sync.
          </>
        )}
      </div>
      {conflict ? (
        <div className="edit-versions">
          <div className="edit-version" data-testid="edit-mine">
            <div className="muted">Yours</div>
            <div className="edit-version-value">{editValueText(edit.mine)}</div>
          </div>
          <div className="edit-version" data-testid="edit-theirs">
            <div className="muted">The source’s now</div>
            <div className="edit-version-value">
              {edit.theirs === null ? '—' : editValueText(edit.theirs)}
            </div>
          </div>
        </div>
      ) : (
        <div className="edit-version-value" data-testid="edit-mine">
          {editValueText(edit.mine)}
        </div>
      )}
      {edit.lastError !== null && (
        <div className="muted edit-last-error">Last try: {edit.lastError}</div>
      )}
      <div className="edit-actions">
        {conflict ? (
          <>
            <button
              type="button"
              className="small"
              data-testid="keep-mine"
              disabled={busy}
              onClick={() => keep('mine')}
            >
              Keep mine
            </button>
            <button
              type="button"
              className="small"
              data-testid="keep-theirs"
              disabled={busy}
              onClick={() => keep('theirs')}
            >
              Keep theirs
            </button>
          </>
        ) : (
          <button
            type="button"
            className="small"
            data-testid="drop-pending"
            disabled={busy}
            title="Forget this edit: the source's value stays"
            onClick={() => keep('theirs')}
          >
            Discard my edit
          </button>
        )}
        {busy && <span className="muted">Saving…</span>}
      </div>
      {error !== null && (
        <div className="edit-state failed" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
