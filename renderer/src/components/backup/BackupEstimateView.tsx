import type { BackupEstimate } from '../../../../shared/contract/backup-methods';
import { formatBytes } from '../../model/format';

function plural(count: number, word: string): string {
  return `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`;
}

/** Sizes before starting: runs, metric points, artifacts and raw data, as the cache knows them. */
export function BackupEstimateView({
  estimate,
  rawData,
}: {
  estimate: BackupEstimate | null;
  /** Whether raw data is to be included (its size is shown either way, as the choice to make). */
  rawData: boolean | null;
}) {
  if (estimate === null) return <p className="muted">Counting…</p>;
  const unknown =
    estimate.artifactsUnknownSize > 0 ? ` (${estimate.artifactsUnknownSize} of unknown size)` : '';
  return (
    <div className="backup-estimate" data-testid="backup-estimate">
      <p>
        <strong data-testid="backup-estimate-runs">{plural(estimate.runs, 'run')}</strong>,{' '}
        {plural(estimate.metrics, 'metric')} ({plural(estimate.metricPoints, 'point')}),{' '}
        {plural(estimate.artifacts, 'artifact')} ({formatBytes(estimate.artifactBytes)}
        {unknown})
        {rawData !== null &&
          (estimate.rawDataFiles === 0
            ? ', no raw data'
            : `, raw data: ${plural(estimate.rawDataFiles, 'file')} (${formatBytes(estimate.rawDataBytes)})${rawData ? '' : ', not included'}`)}
      </p>
      {estimate.notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
    </div>
  );
}
