import '../tags/tags.css';
import { errorMessage } from '../../hooks/report-error-context';
import type { SourceWritesToggle } from '../../hooks/use-source-writes-toggle';
import { writesAnswerText, writesRefused } from '../../model/write-access';

/** Under a source: what turning its edits on or off found, until the user dismisses it. */
export function WritesAnswer({ toggle }: { toggle: SourceWritesToggle }) {
  const { busy, answer, error, dismiss } = toggle;
  if (busy) {
    return (
      <div className="muted writes-answer" role="status" data-testid="writes-answer">
        Asking the source what this user may do…
      </div>
    );
  }
  if (answer === null && error === null) return null;
  const refused = error !== null || (answer !== null && writesRefused(answer.result, answer.asked));
  const text =
    error !== null
      ? `Edits not changed: ${errorMessage(error)}`
      : answer === null
        ? ''
        : writesAnswerText(answer.result, answer.asked);
  return (
    <div
      className={`writes-answer${refused ? ' detail-error' : ' muted'}`}
      role={refused ? 'alert' : 'status'}
      data-testid="writes-answer"
    >
      <span>{text}</span>{' '}
      <button
        type="button"
        className="link-button"
        aria-label="Dismiss"
        title="Dismiss"
        onClick={dismiss}
      >
        ×
      </button>
    </div>
  );
}
