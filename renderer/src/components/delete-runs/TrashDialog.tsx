import { useCallback, useEffect, useState } from 'react';
import type { TrashEntry } from '../../../../shared/contract/delete-methods';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { LocalTime } from '../common/LocalTime';
import { Modal } from '../common/Modal';
import './delete-runs.css';

interface Props {
  source: string;
  onClose: () => void;
}

/**
 * The trash of a folder source (`.altar-trash`): runs deleted in the app, never erased by it.
 * Restore moves a run's folder back when no run has taken its id meanwhile.
 */
export function TrashDialog({ source, onClose }: Props) {
  const api = useApi();
  const [entries, setEntries] = useState<TrashEntry[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .listTrash({ source })
      .then((result) => setEntries(result.entries))
      .catch((error: unknown) => setMessage(errorMessage(error)));
  }, [api, source]);
  useEffect(load, [load]);

  async function restore(entry: TrashEntry): Promise<void> {
    setBusy(true);
    setMessage(null);
    try {
      const { id } = await api.restoreRun({ source, trashId: entry.trashId });
      setMessage(`Run ${id} is back.`);
    } catch (error) {
      setMessage(errorMessage(error));
    } finally {
      setBusy(false);
      load();
    }
  }

  return (
    <Modal titleId="trash-title" onClose={onClose} testId="trash-dialog" className="trash-dialog">
      <div className="dialog-title-row">
        <h2 id="trash-title">Deleted runs of “{source}”</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="muted">
        Deleted runs are kept in the source folder’s <code>.altar-trash</code>; the app never erases
        them.
      </p>
      {entries === null ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted" data-testid="trash-empty">
          The trash is empty.
        </p>
      ) : (
        <ul className="storage-roots" data-testid="trash-list">
          {entries.map((entry) => (
            <li key={entry.trashId} data-testid="trash-entry">
              <span>
                Run <strong>{entry.runId}</strong>
                {entry.deletedAt !== null && (
                  <span className="muted">
                    {' '}
                    · deleted <LocalTime iso={entry.deletedAt} />
                  </span>
                )}
              </span>
              <button
                type="button"
                className="small"
                disabled={busy || !entry.idFree}
                title={entry.idFree ? undefined : `A run ${entry.runId} exists again`}
                data-testid="trash-restore"
                onClick={() => void restore(entry)}
              >
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
      {message !== null && (
        <p role="status" data-testid="trash-message">
          {message}
        </p>
      )}
    </Modal>
  );
}
