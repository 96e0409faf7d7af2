import { errorMessage } from '../../hooks/report-error-context';
import type { ArtifactDownload } from '../../hooks/use-artifact-download';
import {
  describeDownload,
  describeProgress,
  progressFraction,
} from '../../model/artifact-download-text';

/** Progress of "make available offline" while it runs, then what it did or why it failed. */
export function ArtifactDownloadStatus({ download }: { download: ArtifactDownload }) {
  const { busy, progress, summary, error } = download;
  if (busy) {
    const fraction = progressFraction(progress);
    return (
      <div
        className="progress artifact-download-progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={progress?.total ?? 0}
        aria-valuenow={progress?.done ?? 0}
        data-testid="artifact-download-progress"
      >
        <div className="progress-track">
          <div
            className={fraction === null ? 'progress-fill indeterminate' : 'progress-fill'}
            style={fraction === null ? undefined : { width: `${fraction * 100}%` }}
          />
        </div>
        <div className="progress-label">
          Downloading artifacts{progress === null ? '…' : ` ${describeProgress(progress)}`}
        </div>
      </div>
    );
  }
  if (error !== null) {
    return (
      <div className="artifact-download-result detail-error" role="alert">
        {errorMessage(error)}
      </div>
    );
  }
  if (summary !== null) {
    return (
      <div
        className="artifact-download-result muted"
        role="status"
        data-testid="artifact-download-result"
      >
        {describeDownload(summary)}
      </div>
    );
  }
  return null;
}
