import type { BackupSummary } from '../../../../shared/contract/backup-methods';
import { formatBytes } from '../../model/format';

function plural(count: number, word: string): string {
  return `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`;
}

function headline(summary: BackupSummary): string {
  if (summary.kind === 'export') {
    return `Backed up ${plural(summary.runsWritten, 'run')} to ${summary.target}`;
  }
  const verb = summary.kind === 'import' ? 'Restored' : 'Copied';
  const present =
    summary.runsPresent > 0 ? `; ${plural(summary.runsPresent, 'run')} were there already` : '';
  return `${verb} ${plural(summary.runsWritten, 'run')} into “${summary.target}”${present}`;
}

/** What a backup, restore or copy did: counts, the old → new ids, and what was left out. */
export function BackupSummaryView({ summaries }: { summaries: readonly BackupSummary[] }) {
  const renamed = summaries.flatMap((summary) => summary.renamed);
  const omitted = summaries.flatMap((summary) => summary.omitted);
  return (
    <div className="backup-summary" data-testid="backup-summary">
      {summaries.map((summary, index) => (
        <div key={index}>
          <p data-testid="backup-summary-headline">
            <strong>{headline(summary)}</strong>
          </p>
          <p className="muted">
            {plural(summary.metricsWritten, 'metric')} and {plural(summary.filesWritten, 'file')}{' '}
            written
            {summary.collections.length > 0 &&
              ` (${formatBytes(summary.collections.reduce((sum, c) => sum + c.bytes, 0))} in ${plural(summary.collections.length, 'collection')})`}
            {summary.rawDataFiles > 0 &&
              `; ${plural(summary.rawDataFiles, 'raw data file')} ${summary.kind === 'export' ? 'saved' : 'uploaded'}`}
            .
          </p>
        </div>
      ))}
      {renamed.length > 0 && (
        <>
          <p>
            {plural(renamed.length, 'run')} took a new id because the old one was taken (each run
            keeps its old id in <code>info.altar_import</code>):
          </p>
          <table className="backup-renamed" data-testid="backup-renamed">
            <thead>
              <tr>
                <th>Old id</th>
                <th>New id</th>
              </tr>
            </thead>
            <tbody>
              {renamed.map((row) => (
                <tr key={`${row.from}→${row.to}`}>
                  <td>{row.from}</td>
                  <td>{row.to}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {omitted.length > 0 && (
        <>
          <p>Not included:</p>
          <ul className="backup-omitted" data-testid="backup-omitted">
            {omitted.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
