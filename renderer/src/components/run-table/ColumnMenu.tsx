import { useEffect, useRef, useState } from 'react';
import type { DistinctValues, JsonValue } from '../../../../shared/contract';
import type { CompareOp, FilterNode } from '../../../../shared/filter';
import { useApi } from '../../hooks/use-api';
import { useReportError } from '../../hooks/report-error-context';
import type { ColumnFilterDraft } from '../../model/column-filter-edit';
import {
  columnConditions,
  conditionsFromDraft,
  draftFromConditions,
  regexProblem,
  setColumnConditions,
} from '../../model/column-filter-edit';
import type { ColumnDisplay } from '../../model/table-columns';
import { plainValueText } from '../../model/table-columns';

interface Props {
  column: ColumnDisplay;
  anchor: DOMRect;
  /** The filter the menu edits (the text form's tree). */
  ast: FilterNode | null;
  sources: string[] | null;
  pinned: boolean;
  canMoveLeft: boolean;
  canMoveRight: boolean;
  onApply: (ast: FilterNode | null) => void;
  onSort: (desc: boolean) => void;
  onMove: (delta: -1 | 1) => void;
  onTogglePin: () => void;
  onRemove: () => void;
  onClose: () => void;
}

const OPS: CompareOp[] = ['=', '!=', '<', '<=', '>', '>='];

function valueLabel(value: JsonValue): string {
  const text = plainValueText(value);
  return text === '' ? '(empty)' : text;
}

/**
 * A column's menu: a typed filter (compare and range for numbers and dates; distinct values,
 * contains and regex for strings; true/false; exists/missing) that edits the same filter tree
 * as the text form, plus sort, move, pin and remove.
 */
export function ColumnMenu({
  column,
  anchor,
  ast,
  sources,
  pinned,
  canMoveLeft,
  canMoveRight,
  onApply,
  onSort,
  onMove,
  onTogglePin,
  onRemove,
  onClose,
}: Props) {
  const api = useApi();
  const reportError = useReportError();
  const panelRef = useRef<HTMLDivElement>(null);
  const { type, path } = column;
  const [draft, setDraft] = useState<ColumnFilterDraft>(() => {
    const { nodes, combine } = columnConditions(ast, path);
    return draftFromConditions(nodes, combine, type);
  });
  const [search, setSearch] = useState('');
  const [distinct, setDistinct] = useState<DistinctValues | null>(null);

  const comparable = type === 'number' || type === 'date' || type === 'mixed' || type === 'null';
  const pickable = type === 'string' || type === 'mixed' || type === 'list';
  const textual = type === 'string' || type === 'mixed' || type === 'list';

  useEffect(() => {
    const onDown = (event: MouseEvent): void => {
      if (!panelRef.current?.contains(event.target as Node)) onClose();
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  // The values on offer are those the rest of the filter lets through.
  useEffect(() => {
    if (!pickable) return;
    let current = true;
    const timer = setTimeout(() => {
      const rest = setColumnConditions(ast, path, []);
      api
        .distinctValues({
          column: column.id,
          ...(sources === null ? {} : { sources }),
          ...(rest === null ? {} : { where: rest }),
          ...(search.trim() === '' ? {} : { search: search.trim() }),
          limit: 100,
        })
        .then(
          (result) => current && setDistinct(result),
          (error: unknown) => current && reportError(error),
        );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // path follows column.id
  }, [api, reportError, column.id, sources, ast, search, pickable]);

  const regexError = regexProblem(draft.regex);
  const update = (change: Partial<ColumnFilterDraft>): void =>
    setDraft((current) => ({ ...current, ...change }));

  function apply(): void {
    if (regexError !== null) return;
    const nodes = conditionsFromDraft(draft, path, type);
    onApply(setColumnConditions(ast, path, nodes, draft.combine));
    onClose();
  }

  function pick(value: JsonValue): void {
    if (type === 'list') {
      update({ contains: plainValueText(value) });
      return;
    }
    const text = plainValueText(value);
    setDraft((current) => ({
      ...current,
      picked: current.picked.includes(text)
        ? current.picked.filter((v) => v !== text)
        : [...current.picked, text],
    }));
  }

  const left = Math.max(8, Math.min(anchor.left, window.innerWidth - 360));
  const top = Math.min(anchor.bottom + 4, window.innerHeight - 120);

  return (
    <div
      ref={panelRef}
      className="popover column-menu"
      data-testid="column-menu"
      data-column={column.id}
      role="dialog"
      aria-label={`${column.header} column`}
      style={{ left, top, maxHeight: window.innerHeight - top - 12 }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.target as HTMLElement).tagName === 'INPUT') {
          event.preventDefault();
          apply();
        }
      }}
    >
      <div className="menu-title" title={column.title}>
        {column.header} <span className="muted">· {type}</span>
      </div>
      <div className="menu-row">
        <button type="button" data-testid="column-sort-asc" onClick={() => onSort(false)}>
          Sort ▲
        </button>
        <button type="button" data-testid="column-sort-desc" onClick={() => onSort(true)}>
          Sort ▼
        </button>
        <button
          type="button"
          data-testid="column-move-left"
          disabled={!canMoveLeft}
          onClick={() => onMove(-1)}
          aria-label="Move left"
        >
          ←
        </button>
        <button
          type="button"
          data-testid="column-move-right"
          disabled={!canMoveRight}
          onClick={() => onMove(1)}
          aria-label="Move right"
        >
          →
        </button>
        <button type="button" data-testid="column-pin" onClick={onTogglePin}>
          {pinned ? 'Unpin' : 'Pin'}
        </button>
        <button type="button" data-testid="column-remove" onClick={onRemove}>
          Hide
        </button>
      </div>

      <fieldset className="menu-section">
        <legend>Filter</legend>
        <label className="menu-field">
          Has a value
          <select
            data-testid="column-filter-presence"
            value={draft.presence}
            onChange={(event) =>
              update({ presence: event.target.value as ColumnFilterDraft['presence'] })
            }
          >
            <option value="any">any</option>
            <option value="exists">exists</option>
            <option value="missing">missing</option>
          </select>
        </label>

        {type === 'bool' && (
          <label className="menu-field">
            Value
            <select
              data-testid="column-filter-bool"
              value={draft.bool}
              onChange={(event) =>
                update({ bool: event.target.value as ColumnFilterDraft['bool'] })
              }
            >
              <option value="any">any</option>
              <option value="true">true</option>
              <option value="false">false</option>
            </select>
          </label>
        )}

        {comparable && (
          <div className="menu-compares">
            {draft.compares.map((compare, index) => (
              <div className="menu-field" key={index}>
                <select
                  data-testid="column-filter-op"
                  aria-label="Comparison"
                  value={compare.op}
                  onChange={(event) =>
                    update({
                      compares: draft.compares.map((c, i) =>
                        i === index ? { ...c, op: event.target.value as CompareOp } : c,
                      ),
                    })
                  }
                >
                  {OPS.map((op) => (
                    <option key={op} value={op}>
                      {op}
                    </option>
                  ))}
                </select>
                <input
                  data-testid="column-filter-value"
                  aria-label="Value"
                  placeholder={type === 'date' ? '2024-05-01' : 'value'}
                  value={compare.value}
                  onChange={(event) =>
                    update({
                      compares: draft.compares.map((c, i) =>
                        i === index ? { ...c, value: event.target.value } : c,
                      ),
                    })
                  }
                />
                <button
                  type="button"
                  className="link-button"
                  aria-label="Remove condition"
                  onClick={() => update({ compares: draft.compares.filter((_, i) => i !== index) })}
                >
                  ✕
                </button>
              </div>
            ))}
            <div className="menu-row">
              <button
                type="button"
                data-testid="column-filter-add"
                onClick={() => update({ compares: [...draft.compares, { op: '>=', value: '' }] })}
              >
                + condition
              </button>
              <button
                type="button"
                data-testid="column-filter-range"
                onClick={() =>
                  update({
                    compares: [...draft.compares, { op: '>=', value: '' }, { op: '<=', value: '' }],
                  })
                }
              >
                + range
              </button>
            </div>
          </div>
        )}

        {textual && (
          <>
            <label className="menu-field">
              {type === 'list' ? 'Has element' : 'Contains'}
              <input
                data-testid="column-filter-contains"
                value={draft.contains}
                onChange={(event) => update({ contains: event.target.value })}
              />
            </label>
            <label className="menu-field">
              Regex
              <input
                data-testid="column-filter-regex"
                value={draft.regex}
                aria-invalid={regexError !== null}
                placeholder="^res.*net$"
                onChange={(event) => update({ regex: event.target.value })}
              />
            </label>
            {regexError !== null && <div className="field-error">{regexError}</div>}
          </>
        )}

        {pickable && (
          <div className="menu-distinct">
            <input
              type="search"
              data-testid="column-filter-search"
              placeholder="Search values"
              aria-label="Search values"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
            <ul className="distinct-list" data-testid="column-filter-values">
              {distinct === null ? (
                <li className="muted">Loading values…</li>
              ) : (
                distinct.values.map((entry) => {
                  const text = plainValueText(entry.value);
                  const on =
                    type === 'list' ? draft.contains === text : draft.picked.includes(text);
                  return (
                    <li key={text}>
                      <label
                        className="distinct-option"
                        data-testid="distinct-option"
                        data-value={text}
                      >
                        <input type="checkbox" checked={on} onChange={() => pick(entry.value)} />
                        <span className="distinct-value">{valueLabel(entry.value)}</span>
                        <span className="muted">{entry.count}</span>
                      </label>
                    </li>
                  );
                })
              )}
            </ul>
            {distinct !== null && !distinct.complete && (
              <div className="muted picker-note">
                {distinct.distinct} distinct values: search to find others.
              </div>
            )}
          </div>
        )}

        {draft.other.length > 0 && (
          <div className="muted picker-note">
            Also kept: {draft.other.length} condition{draft.other.length === 1 ? '' : 's'} from the
            text form.
          </div>
        )}

        <label className="checkbox menu-field" title="Combine this column's conditions with OR">
          <input
            type="checkbox"
            data-testid="column-filter-combine"
            checked={draft.combine === 'or'}
            onChange={(event) => update({ combine: event.target.checked ? 'or' : 'and' })}
          />{' '}
          Match any condition (OR)
        </label>
        <div className="menu-row">
          <button
            type="button"
            className="primary"
            data-testid="column-filter-apply"
            disabled={regexError !== null}
            onClick={apply}
          >
            Apply
          </button>
          <button
            type="button"
            data-testid="column-filter-clear"
            onClick={() => {
              onApply(setColumnConditions(ast, path, []));
              onClose();
            }}
          >
            Clear
          </button>
        </div>
      </fieldset>
    </div>
  );
}
