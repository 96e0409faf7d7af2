import { useEffect, useState } from 'react';
import type { BackupContents } from '../../../../shared/contract/backup-methods';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { formatBytes } from '../../model/format';
import { BackupOperationDialog } from './BackupOperationDialog';
import { FolderField } from './FolderField';
import { useBackupOperation } from './use-backup-operation';
import './backup.css';

/** Wait this long after the last keystroke in the folder field before reading the folder. */
const INSPECT_DELAY_MS = 300;

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
  const [rawData, setRawData] = useState(true);
  const [bucket, setBucket] = useState('');
  const [contents, setContents] = useState<BackupContents | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const path = folder.trim();
  const db = database.trim();
  const bucketName = bucket.trim();
  const hasRawData = contents !== null && contents.rawDataFiles > 0;

  // What the folder holds, read as the path is typed or picked: sizes before starting.
  useEffect(() => {
    setContents(null);
    setProblem(null);
    if (path === '') return undefined;
    let live = true;
    const timer = setTimeout(() => {
      api
        .inspectBackup({ from: path, ...(db === '' ? {} : { database: db }) })
        .then((found) => {
          if (live) setContents(found);
        })
        .catch((error: unknown) => {
          if (live) setProblem(errorMessage(error));
        });
    }, INSPECT_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, path, db]);

  const running = operation.state.kind === 'running';
  const canStart = writable && !running && contents !== null && contents.runs > 0;

  return (
    <BackupOperationDialog
      operation={operation}
      titleId="restore-title"
      title={<>Restore into “{source}”</>}
      testId="restore-dialog"
      onClose={onClose}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!canStart) return;
          void operation.start([
            (operationId) =>
              api.importBackup({
                from: path,
                to: source,
                operationId,
                ...(db === '' ? {} : { database: db }),
                ...(hasRawData && rawData ? { rawData: true } : {}),
                ...(hasRawData && rawData && bucketName !== '' ? { bucket: bucketName } : {}),
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
          A folder written by “Back up…”, <code>altar-viewer export</code> or <code>mongodump</code>
          . Runs already there are not added twice.
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
        {problem !== null && (
          <p className="danger-text" role="alert" data-testid="restore-problem">
            {problem}
          </p>
        )}
        {contents !== null && (
          <p data-testid="restore-contents">
            <strong data-testid="restore-contents-runs">
              {contents.runs.toLocaleString()} run{contents.runs === 1 ? '' : 's'}
            </strong>{' '}
            of database “{contents.database}” ({formatBytes(contents.bytes)} on disk)
            {contents.notes.length > 0 && `; left out: ${contents.notes.join('; ')}`}
          </p>
        )}
        {hasRawData && (
          <>
            <label className="backup-check">
              <input
                type="checkbox"
                checked={rawData}
                data-testid="restore-raw-data"
                onChange={(event) => setRawData(event.target.checked)}
              />
              Upload its raw data ({contents.rawDataFiles.toLocaleString()} file
              {contents.rawDataFiles === 1 ? '' : 's'}, {formatBytes(contents.rawDataBytes)}) to
              this source&apos;s MinIO storage
            </label>
            {rawData && (
              <label className="field">
                <span>Bucket (it must exist)</span>
                <input
                  data-testid="restore-bucket"
                  value={bucket}
                  placeholder="the bucket each file came from"
                  spellCheck={false}
                  onChange={(event) => setBucket(event.target.value)}
                />
              </label>
            )}
          </>
        )}
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
    </BackupOperationDialog>
  );
}
