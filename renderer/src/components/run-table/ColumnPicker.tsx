import { useEffect, useMemo, useRef, useState } from 'react';
import type { ColumnInfo } from '../../../../shared/contract';
import { checkColumnPath, formatColumnPath, parseColumnId } from '../../../../shared/filter';
import { columnDisplay } from '../../model/table-columns';

interface Props {
  /** The discovered columns; null while listColumns runs. */
  catalog: readonly ColumnInfo[] | null;
  shown: readonly string[];
  onToggle: (id: string) => void;
  /** The picker opened: the catalog is needed now. */
  onOpen: () => void;
}

/** Enough to scroll through; a search narrows a longer list. */
const MAX_LISTED = 400;

const groupLabel: Record<ColumnInfo['group'], string> = {
  builtin: 'Run',
  config: 'Config',
  info: 'Info',
  host: 'Host',
  meta: 'Meta',
  experiment: 'Experiment',
  result: 'Result',
  metrics: 'Metrics',
};

function distinctText(column: ColumnInfo): string {
  return `${column.distinct}${column.distinctCapped ? '+' : ''} distinct`;
}

/**
 * The column picker: every discovered key with its type and number of distinct values,
 * searchable; Omniboard's suggested columns first. A column the catalog does not list (a
 * lastN metric summary, a path not synced yet) can be added by typing its id.
 */
export function ColumnPicker({ catalog, shown, onToggle, onOpen }: Props) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const panelRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent): void => {
      const target = event.target as Node;
      if (panelRef.current?.contains(target) || buttonRef.current?.contains(target)) return;
      setOpen(false);
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const shownSet = useMemo(() => new Set(shown), [shown]);
  const matches = useMemo(() => {
    if (catalog === null) return [];
    const needle = search.trim().toLowerCase();
    const hits = catalog.filter((column) => {
      if (needle === '') return true;
      return (
        column.id.toLowerCase().includes(needle) ||
        (column.label ?? '').toLowerCase().includes(needle) ||
        columnDisplay(column.id, column).header.toLowerCase().includes(needle)
      );
    });
    // Suggested (Omniboard) columns first, then the catalog's own order.
    return [...hits.filter((c) => c.suggested), ...hits.filter((c) => !c.suggested)];
  }, [catalog, search]);

  const typed = useMemo(() => {
    const text = search.trim();
    if (text === '') return null;
    const parsed = parseColumnId(text);
    if (!parsed.ok || checkColumnPath(parsed.path) !== null) return null;
    const id = formatColumnPath(parsed.path);
    return catalog?.some((column) => column.id === id) === true ? null : id;
  }, [catalog, search]);

  return (
    <div className="column-picker">
      <button
        ref={buttonRef}
        type="button"
        data-testid="column-picker-button"
        aria-expanded={open}
        onClick={() => {
          if (!open) onOpen();
          setOpen(!open);
        }}
      >
        Columns…
      </button>
      {open && (
        <div
          className="popover column-picker-panel"
          ref={panelRef}
          role="dialog"
          aria-label="Columns"
        >
          <input
            type="search"
            autoFocus
            data-testid="column-picker-search"
            placeholder="Search keys: lr, optimizer, loss…"
            aria-label="Search columns"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          {catalog === null && <div className="muted picker-note">Reading the columns…</div>}
          {typed !== null && (
            <button
              type="button"
              className="column-option typed"
              data-testid="column-option"
              data-column={typed}
              onClick={() => onToggle(typed)}
            >
              <span className="option-check">{shownSet.has(typed) ? '✓' : '+'}</span>
              <span className="option-name">
                Add <code>{typed}</code>
              </span>
            </button>
          )}
          <ul className="column-option-list" role="listbox" aria-multiselectable="true">
            {matches.slice(0, MAX_LISTED).map((column) => {
              const display = columnDisplay(column.id, column);
              const on = shownSet.has(column.id);
              return (
                <li key={column.id}>
                  <button
                    type="button"
                    role="option"
                    aria-selected={on}
                    className={`column-option${on ? ' on' : ''}`}
                    data-testid="column-option"
                    data-column={column.id}
                    title={display.title}
                    onClick={() => onToggle(column.id)}
                  >
                    <span className="option-check">{on ? '✓' : ''}</span>
                    <span className="option-name">
                      {column.suggested && (
                        <span className="suggested" title="Omniboard column">
                          ★{' '}
                        </span>
                      )}
                      {column.group === 'builtin' ? display.header : column.id}
                    </span>
                    <span className="option-meta muted">
                      {groupLabel[column.group]} · {column.type} · {distinctText(column)}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
          {matches.length > MAX_LISTED && (
            <div className="muted picker-note">
              {matches.length - MAX_LISTED} more: type to narrow the list.
            </div>
          )}
          {catalog !== null && matches.length === 0 && typed === null && (
            <div className="muted picker-note">No column matches “{search}”.</div>
          )}
        </div>
      )}
    </div>
  );
}
