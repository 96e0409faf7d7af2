import type { NotSentFolder, SentRun } from '../../../../shared/contract/send-methods';
import { errorMessage } from '../../hooks/report-error-context';
import { baseName } from '../../model/send-folder-paths';
import type { SendProgressState } from '../../model/send-progress-state';
import { sendFraction } from '../../model/send-progress-state';
import { formatByteSize } from '../../../../shared/byte-size';

interface Props {
  progress: SendProgressState;
  /** The runs written, once the send answered. */
  runs: SentRun[] | null;
  /** Folders the core did not send (refused when sending, or stopped by an error). */
  notSent: readonly NotSentFolder[];
  error: unknown;
}

/** A bar over the track, as the sync's and the export's progress bars draw it. */
function Bar({ fraction, label }: { fraction: number; label: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
    >
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
    </div>
  );
}

/** Step 4: progress per folder and per file, then the new runs (or why the send stopped). */
export function SendProgressStep({ progress, runs, notSent, error }: Props) {
  const phaseText =
    runs !== null
      ? `Sent ${runs.length} run${runs.length === 1 ? '' : 's'}.${
          notSent.length > 0
            ? ` ${notSent.length} folder${notSent.length === 1 ? ' was' : 's were'} not sent.`
            : ''
        }`
      : error !== null
        ? progress.phase === 'cancelled'
          ? 'Cancelled.'
          : 'The send stopped.'
        : `Sending… ${progress.foldersDone} of ${progress.foldersTotal} folders`;
  return (
    <div className="send-step send-progress-step" data-testid="send-progress">
      <Bar fraction={runs !== null ? 1 : sendFraction(progress)} label="Whole send" />
      <p className="progress-label" data-testid="send-progress-text">
        {phaseText}
      </p>
      {error !== null && (
        <div className="form-error" role="alert" data-testid="send-error">
          {errorMessage(error)}
        </div>
      )}
      <ul className="send-progress-folders">
        {progress.folders.map((folder) => {
          const run = runs?.find((sent) => sent.folder === folder.folder);
          const refused = notSent.find((entry) => entry.folder === folder.folder);
          return (
            <li
              key={folder.folder}
              data-testid="send-progress-folder"
              data-folder={baseName(folder.folder)}
              data-state={folder.state}
            >
              <div className="send-check-head">
                <strong>{baseName(folder.folder)}</strong>
                <span className="muted">
                  {folder.state === 'waiting'
                    ? 'waiting'
                    : folder.state === 'sending'
                      ? 'sending…'
                      : folder.status === 'NOT_SENT'
                        ? 'not sent'
                        : 'sent'}
                </span>
                {run !== undefined && (
                  <span data-testid="send-new-run" data-run-id={run.id}>
                    run {run.id}
                    {run.resumed === true
                      ? ` (resumed; ${run.alreadyArrived ?? 0} files had arrived)`
                      : ''}
                    {run.status === 'FAILED' ? ` · FAILED: ${run.reason ?? ''}` : ''}
                  </span>
                )}
              </div>
              {refused !== undefined && (
                <div className="form-error" data-testid="send-not-sent">
                  {refused.message}
                </div>
              )}
              {folder.state === 'sending' &&
                folder.files.map((file) => (
                  <div key={file.file} className="send-progress-file">
                    <span>
                      <code>{file.file}</code>{' '}
                      <span className="muted">
                        {formatByteSize(file.bytes)} of {formatByteSize(file.totalBytes)}
                      </span>
                    </span>
                    <Bar
                      fraction={file.totalBytes > 0 ? Math.min(1, file.bytes / file.totalBytes) : 0}
                      label={file.file}
                    />
                  </div>
                ))}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
