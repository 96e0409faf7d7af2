import { useEffect, useMemo, useRef, useState } from 'react';
import type { ColumnInfo } from '../../../../shared/contract';
import type { FilterError } from '../../../../shared/filter';
import {
  applyCompletion,
  completionContext,
  formatColumnPath,
  suggestFilterFix,
} from '../../../../shared/filter';
import { useApi } from '../../hooks/use-api';
import type { Suggestion } from '../../model/filter-suggestions';
import {
  columnSuggestions,
  connectorSuggestions,
  fixedValueSuggestions,
  fixedValues,
  operatorSuggestions,
  valueSuggestions,
} from '../../model/filter-suggestions';
import './filter-bar.css';

interface Props {
  text: string;
  error: FilterError | null;
  /** The text differs from the filter the table shows (waiting for a pause or Enter). */
  pending: boolean;
  onChange: (text: string) => void;
  onApply: () => void;
  /** The listed sources' columns (null until asked for, see onWantCatalog). */
  catalog: readonly ColumnInfo[] | null;
  /** The listed sources (null: all), for the values a column holds. */
  sources: string[] | null;
  /** The box got focus: the column catalog will be needed for suggestions. */
  onWantCatalog: () => void;
}

/** A pause in typing this long asks the core for a column's values. */
const VALUES_DELAY_MS = 150;
const LIST_ID = 'filter-suggestions';

/**
 * The filter's text form, e.g. `config.lr >= 0.001 and status in (COMPLETED, RUNNING)`.
 * Parsed as the user types; an error names the problem, marks where it is and offers the
 * likely fix. A suggestion list (ARIA combobox) offers columns, operators and values for the
 * word at the caret as the user types (or on Ctrl+Space / ArrowDown): Arrow keys move, Enter
 * or Tab take one, Escape closes the list.
 */
export function FilterBar({
  text,
  error,
  pending,
  onChange,
  onApply,
  catalog,
  sources,
  onWantCatalog,
}: Props) {
  const api = useApi();
  const inputRef = useRef<HTMLInputElement>(null);
  const [caret, setCaret] = useState(text.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [values, setValues] = useState<{ key: string; items: Suggestion[] } | null>(null);
  const at = error === null ? 0 : Math.min(error.position, text.length);

  const context = useMemo(() => completionContext(text, caret), [text, caret]);
  const valueKey =
    context.kind === 'value'
      ? `${formatColumnPath(context.path)}\u0000${context.prefix}\u0000${JSON.stringify(sources)}`
      : null;
  const fixed = context.kind === 'value' ? fixedValues(context.path) : null;

  // Values of a column come from the core, for the runs of the listed sources.
  useEffect(() => {
    if (!open || context.kind !== 'value' || fixed !== null || valueKey === null) return;
    if (values?.key === valueKey) return;
    let current = true;
    const timer = setTimeout(() => {
      api
        .distinctValues({
          column: formatColumnPath(context.path),
          ...(sources === null ? {} : { sources }),
          ...(context.prefix === '' ? {} : { search: context.prefix }),
          limit: 50,
        })
        .then(
          (result) =>
            current &&
            setValues({ key: valueKey, items: valueSuggestions(context.prefix, result.values) }),
          // A column that is no column yet (half typed): no values, no error.
          () => current && setValues({ key: valueKey, items: [] }),
        );
    }, VALUES_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // valueKey stands for the context's path and prefix and the sources.
  }, [api, open, valueKey, fixed]);

  const suggestions = useMemo<Suggestion[]>(() => {
    switch (context.kind) {
      case 'column':
        return columnSuggestions(context.prefix, catalog);
      case 'operator': {
        const id = formatColumnPath(context.path);
        const type = catalog?.find((column) => column.id === id)?.type ?? 'mixed';
        return operatorSuggestions(context.prefix, type);
      }
      case 'value':
        if (fixed !== null) return fixedValueSuggestions(context.prefix, fixed);
        return values?.key === valueKey ? values.items : [];
      default:
        return connectorSuggestions(context.prefix);
    }
  }, [context, catalog, fixed, values, valueKey]);

  const shown = open && suggestions.length > 0;
  useEffect(() => setActive(-1), [context.kind, context.from, shown]);

  const fix = useMemo(
    () =>
      error === null
        ? null
        : suggestFilterFix(
            text,
            error,
            (catalog ?? []).map((column) => column.id),
          ),
    [text, error, catalog],
  );

  const syncCaret = (): void => {
    const input = inputRef.current;
    if (input !== null) setCaret(input.selectionStart ?? input.value.length);
  };

  const choose = (suggestion: Suggestion): void => {
    const next = applyCompletion(text, context, suggestion.insert);
    onChange(next.text);
    setCaret(next.caret);
    setOpen(true);
    requestAnimationFrame(() => {
      const input = inputRef.current;
      if (input === null) return;
      input.focus();
      input.setSelectionRange(next.caret, next.caret);
    });
  };

  return (
    <div className="filter-bar">
      <input
        ref={inputRef}
        type="text"
        className={`filter-text${error !== null ? ' invalid' : ''}`}
        data-testid="filter-input"
        spellCheck={false}
        autoComplete="off"
        placeholder="Filter: config.lr >= 0.001 and status in (COMPLETED, RUNNING) and metrics.loss.last < 0.2"
        aria-label="Filter expression"
        aria-invalid={error !== null}
        aria-describedby={error !== null ? 'filter-error' : undefined}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={LIST_ID}
        aria-activedescendant={shown && active >= 0 ? `${LIST_ID}-${active}` : undefined}
        value={text}
        onFocus={onWantCatalog}
        onChange={(event) => {
          onChange(event.target.value);
          setCaret(event.target.selectionStart ?? event.target.value.length);
        }}
        onSelect={syncCaret}
        onClick={syncCaret}
        onBlur={() => setOpen(false)}
        onKeyDown={(event) => {
          // Typing opens the list (a pasted or programmatically set text does not: the list
          // would cover the table for no one); Ctrl+Space opens it on demand.
          if (event.key === ' ' && event.ctrlKey) {
            event.preventDefault();
            syncCaret();
            setOpen(true);
            return;
          }
          if (
            (event.key.length === 1 && !event.ctrlKey && !event.metaKey) ||
            event.key === 'Backspace'
          ) {
            setOpen(true);
          }
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            if (!shown) {
              syncCaret();
              setOpen(true);
              return;
            }
            const step = event.key === 'ArrowDown' ? 1 : -1;
            const n = suggestions.length;
            setActive((i) => (i < 0 ? (step > 0 ? 0 : n - 1) : (i + step + n) % n));
            return;
          }
          if (event.key === 'Tab' && shown && !event.shiftKey) {
            event.preventDefault();
            choose(suggestions[Math.max(0, active)] as Suggestion);
            return;
          }
          if (event.key === 'Enter') {
            event.preventDefault();
            if (shown && active >= 0 && active < suggestions.length) {
              choose(suggestions[active] as Suggestion);
              return;
            }
            setOpen(false);
            onApply();
          } else if (event.key === 'Escape') {
            if (shown) {
              event.preventDefault();
              setOpen(false);
            } else if (text !== '') {
              event.preventDefault();
              onChange('');
            }
          }
        }}
      />
      {shown && (
        <ul className="filter-suggestions" id={LIST_ID} role="listbox" aria-label="Suggestions">
          {suggestions.map((suggestion, i) => (
            <li
              key={`${suggestion.insert}\u0000${i}`}
              id={`${LIST_ID}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              data-testid="filter-suggestion"
              // Keeps the focus in the box: the list closes on blur.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(suggestion)}
            >
              <code>{suggestion.label}</code>
              {suggestion.detail !== '' && <span className="muted">{suggestion.detail}</span>}
            </li>
          ))}
        </ul>
      )}
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
            {fix !== null && (
              <>
                {' — '}
                <button
                  type="button"
                  className="link-button"
                  data-testid="filter-fix"
                  onClick={() => {
                    onChange(fix.text);
                    setCaret(fix.text.length);
                    inputRef.current?.focus();
                  }}
                >
                  {fix.message}
                </button>
              </>
            )}
          </span>
        </div>
      )}
    </div>
  );
}
