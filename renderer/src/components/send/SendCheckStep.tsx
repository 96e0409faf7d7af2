import { errorMessage } from '../../hooks/report-error-context';
import type { FolderChoice, FolderVerdict } from '../../model/send-check';
import { checkSummary } from '../../model/send-check';

interface Props {
  /** null while the folders are being read. */
  verdicts: FolderVerdict[] | null;
  error: unknown;
  choices: ReadonlyMap<string, FolderChoice>;
  onChoice: (folder: string, choice: FolderChoice) => void;
}

/** Step 3: every folder read as it will be sent; folders with problems are marked and held back. */
export function SendCheckStep({ verdicts, error, choices, onChoice }: Props) {
  if (error !== null) {
    return (
      <div className="form-error" role="alert" data-testid="send-check-error">
        {errorMessage(error)}
      </div>
    );
  }
  if (verdicts === null) return <p className="muted">Reading every folder…</p>;
  return (
    <div className="send-step send-check-step">
      <p data-testid="send-check-summary">{checkSummary(verdicts)}</p>
      <ul className="send-check-list">
        {verdicts.map((verdict) => (
          <li
            key={verdict.folder}
            className={`send-check-folder ${verdict.kind}`}
            data-testid="send-check-folder"
            data-folder={verdict.name}
            data-kind={verdict.kind}
          >
            <div className="send-check-head">
              <span className="send-check-mark" aria-hidden="true">
                {verdict.kind === 'problems' ? '✗' : verdict.choice === 'skip' ? '–' : '✓'}
              </span>
              <strong>{verdict.name}</strong>
              <span className="muted">
                {verdict.files} file{verdict.files === 1 ? '' : 's'}
              </span>
              {verdict.kind === 'problems' && <span className="send-check-tag">not sent</span>}
            </div>
            {verdict.problems.length > 0 && (
              <ul className="send-check-problems" data-testid="send-check-problems">
                {verdict.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            )}
            {verdict.kind === 'sent-before' && (
              <label className="checkbox">
                <input
                  type="checkbox"
                  data-testid="send-again"
                  checked={choices.get(verdict.folder) === 'again'}
                  onChange={(event) =>
                    onChoice(verdict.folder, event.target.checked ? 'again' : 'skip')
                  }
                />{' '}
                Sent before as run {verdict.runId}: send again (a new run)
              </label>
            )}
            {verdict.kind === 'failed-earlier' && verdict.failed !== null && (
              <div className="send-failed-earlier" data-testid="send-failed-earlier">
                <p>
                  Its earlier send (run {verdict.failed.id}) failed part-way:{' '}
                  {verdict.failed.arrived} of {verdict.failed.total} files arrived
                  {verdict.failed.reason !== null ? ` (${verdict.failed.reason})` : ''}.
                </p>
                {(
                  [
                    ['resume', `Resume run ${verdict.failed.id} (only what is missing)`],
                    ['again', 'Send as a new run'],
                    ['skip', 'Skip'],
                  ] as const
                ).map(([choice, label]) => (
                  <label key={choice} className="checkbox">
                    <input
                      type="radio"
                      name={`send-choice-${verdict.folder}`}
                      data-testid={`send-choice-${choice}`}
                      checked={verdict.choice === choice}
                      onChange={() => onChoice(verdict.folder, choice)}
                    />{' '}
                    {label}
                  </label>
                ))}
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
