import { useState } from 'react';
import { useApi } from '../../hooks/use-api';
import { Modal } from '../Modal';
import { BackupOutcome } from './BackupOutcome';
import { FolderField } from './FolderField';
import { useBackupOperation } from './use-backup-operation';
import './backup.css';

/**
 * "Restore…" on a writable source: a backup folder (ours or mongodump's) into it. Runs it holds
 * already are recognised; runs whose id is taken get a new one, listed old → new at the end.
 */
export function RestoreDialog({
  source,
  writable,
  onClose,
}: {
  source: string;
  writable: boolean;
  onClose: () => void;
}) {
  const api = useApi();
  const operation = useBackupOperation();
  const [folder, setFolder] = useState('');
  const [database, setDatabase] = useState('');
  const running = operation.state.kind === 'running';
  const canStart = writable && !running && folder.trim() !== '';

  return (
    <Modal
      titleId="restore-title"
      onClose={running ? () => undefined : onClose}
      testId="restore-dialog"
      className="backup-dialog"
      closeOnBackdrop={false}
    >
      <h2 id="restore-title">Restore into “{source}”</h2>
      {operation.state.kind === 'idle' ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!canStart) return;
            const from = folder.trim();
            const db = database.trim();
            void operation.start([
              (operationId) =>
                api.importBackup({
                  from,
                  to: source,
                  operationId,
                  ...(db === '' ? {} : { database: db }),
                }),
            ]);
          }}
        >
          {!writable && (
            <p className="danger-text" role="alert" data-testid="restore-read-only">
              “{source}” is read-only. Turn on “Allow edits” in its ⋯ menu to restore into it.
            </p>
          )}
          <p className="muted">
            A folder written by “Back up…”, <code>altar-viewer export</code> or{' '}
            <code>mongodump</code>. Runs already there are not added twice.
          </p>
          <FolderField
            label="Backup folder"
            value={folder}
            onChange={setFolder}
            testId="restore-folder"
            pickerTitle="Backup folder to restore"
            placeholder="/home/me/backups/lab-2026-12-05"
          />
          <label className="field">
            <span>Database in the backup (when it holds several)</span>
            <input
              data-testid="restore-database"
              value={database}
              placeholder="optional"
              spellCheck={false}
              onChange={(event) => setDatabase(event.target.value)}
            />
          </label>
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
            <button
              type="submit"
              className="primary"
              data-testid="restore-start"
              disabled={!canStart}
            >
              Restore
            </button>
          </div>
        </form>
      ) : (
        <BackupOutcome operation={operation} onClose={onClose} />
      )}
    </Modal>
  );
}
