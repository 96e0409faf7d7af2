import type { FilterError } from '../../../shared/filter';

interface Props {
  text: string;
  error: FilterError | null;
  /** The text differs from the filter the table shows (waiting for a pause or Enter). */
  pending: boolean;
  onChange: (text: string) => void;
  onApply: () => void;
}

/**
 * The filter's text form, e.g. `config.lr >= 0.001 and status in (COMPLETED, RUNNING)`.
 * Parsed as the user types; an error names the problem and marks where it is.
 */
export function FilterBar({ text, error, pending, onChange, onApply }: Props) {
  const at = error === null ? 0 : Math.min(error.position, text.length);
  return (
    <div className="filter-bar">
      <input
        type="text"
        className={`filter-text${error !== null ? ' invalid' : ''}`}
        data-testid="filter-input"
        spellCheck={false}
        autoComplete="off"
        placeholder="Filter: config.lr >= 0.001 and status in (COMPLETED, RUNNING) and metrics.loss.last < 0.2"
        aria-label="Filter expression"
        aria-invalid={error !== null}
        aria-describedby={error !== null ? 'filter-error' : undefined}
        value={text}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            onApply();
          } else if (event.key === 'Escape' && text !== '') {
            event.preventDefault();
            onChange('');
          }
        }}
      />
      {pending && error === null && <span className="muted filter-pending">…</span>}
      {error !== null && (
        <div className="filter-error" id="filter-error" data-testid="filter-error" role="alert">
          <code className="filter-error-text" aria-hidden="true">
            {text.slice(0, at)}
            <mark className="filter-error-mark" data-testid="filter-error-mark">
              {text.slice(at, at + 1) || ' '}
            </mark>
            {text.slice(at + 1)}
          </code>
          <span className="filter-error-message">
            {error.message} (at column {at + 1})
          </span>
        </div>
      )}
    </div>
  );
}
