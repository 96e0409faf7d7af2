import { useEffect, useState } from 'react';
import type { BackupEstimate } from '../../../../shared/contract/backup-methods';
import { parseFilter } from '../../../../shared/filter';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { BackupEstimateView } from './BackupEstimateView';
import { BackupOperationDialog } from './BackupOperationDialog';
import { FolderField } from './FolderField';
import { useBackupOperation } from './use-backup-operation';
import './backup.css';

/** Wait this long after the last keystroke in the filter before counting again. */
const ESTIMATE_DELAY_MS = 300;

/**
 * "Back up…" on a source: its runs (all, or a filter's) as a mongodump folder that
 * `mongorestore` or "Restore…" reads back, with the sizes shown before starting.
 */
export function BackupDialog({ source, onClose }: { source: string; onClose: () => void }) {
  const api = useApi();
  const operation = useBackupOperation();
  const [folder, setFolder] = useState('');
  const [where, setWhere] = useState('');
  const [gzip, setGzip] = useState(false);
  const [rawData, setRawData] = useState(false);
  const [estimate, setEstimate] = useState<BackupEstimate | null>(null);
  const [estimateError, setEstimateError] = useState<string | null>(null);

  const filter = where.trim();
  const parsed = filter === '' ? null : parseFilter(filter);
  const filterError = parsed !== null && !parsed.ok ? parsed.error.message : null;

  useEffect(() => {
    if (filterError !== null) return undefined;
    let live = true;
    setEstimate(null);
    setEstimateError(null);
    const timer = setTimeout(() => {
      api
        .estimateBackup({ source, ...(filter === '' ? {} : { where: filter }) })
        .then((result) => {
          if (live) setEstimate(result);
        })
        .catch((error: unknown) => {
          if (live) setEstimateError(errorMessage(error));
        });
    }, ESTIMATE_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, source, filter, filterError]);

  const running = operation.state.kind === 'running';
  const canStart =
    !running &&
    folder.trim() !== '' &&
    filterError === null &&
    estimate !== null &&
    estimate.runs > 0;

  return (
    <BackupOperationDialog
      operation={operation}
      titleId="backup-title"
      title={<>Back up “{source}”</>}
      testId="backup-dialog"
      onClose={onClose}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!canStart) return;
          const to = folder.trim();
          void operation.start([
            (operationId) =>
              api.exportBackup({
                source,
                to,
                operationId,
                ...(filter === '' ? {} : { where: filter }),
                ...(gzip ? { gzip } : {}),
                ...(rawData ? { rawData } : {}),
              }),
          ]);
        }}
      >
        <p className="muted">
          Written as <code>mongodump</code> writes a database, so <code>mongorestore</code> or
          “Restore…” reads it back. The folder must be new or empty.
        </p>
        <FolderField
          label="Backup folder"
          value={folder}
          onChange={setFolder}
          testId="backup-folder"
          pickerTitle="Folder for the backup"
          placeholder="/home/me/backups/lab-2026-12-05"
        />
        <label className="field">
          <span>Only runs matching (empty: all runs)</span>
          <input
            data-testid="backup-where"
            value={where}
            placeholder='status = COMPLETED and experiment = "mnist"'
            spellCheck={false}
            onChange={(event) => setWhere(event.target.value)}
          />
        </label>
        {filterError !== null && (
          <p className="danger-text" role="alert">
            {filterError}
          </p>
        )}
        <label className="backup-check">
          <input
            type="checkbox"
            checked={gzip}
            data-testid="backup-gzip"
            onChange={(event) => setGzip(event.target.checked)}
          />
          Compress (gzip, as <code>mongodump --gzip</code>)
        </label>
        <label className="backup-check">
          <input
            type="checkbox"
            checked={rawData}
            data-testid="backup-raw-data"
            onChange={(event) => setRawData(event.target.checked)}
          />
          Include raw data (files in MinIO, under <code>raw_data/</code>)
        </label>
        {estimateError !== null ? (
          <p className="danger-text" role="alert">
            {estimateError}
          </p>
        ) : (
          filterError === null && <BackupEstimateView estimate={estimate} rawData={rawData} />
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="primary" data-testid="backup-start" disabled={!canStart}>
            Back up
          </button>
        </div>
      </form>
    </BackupOperationDialog>
  );
}
