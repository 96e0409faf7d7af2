import { useMemo, useState } from 'react';
import { copyText } from '../../model/clipboard';
import { hasBinaryValues } from '../../model/ndarray-values';
import { formatPath, leafText, treeRows } from '../../model/tree-rows';
import type { TreeRow } from '../../model/tree-rows';
import { NdarrayValues } from '../artifacts/NdarrayValues';
import { SearchInput } from '../run-table/SearchInput';

interface Props {
  data: unknown;
  searchable?: boolean;
  testId?: string;
  emptyText?: string;
  /** Containers deeper than this start closed. */
  openDepth?: number;
}

type Mode = 'default' | 'all' | 'none';

const PAGE = 200;

function isEmpty(data: unknown): boolean {
  return (
    data === undefined ||
    data === null ||
    (typeof data === 'object' && Object.keys(data as object).length === 0)
  );
}

function rawJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

/**
 * A JSON tree for config, info, host and meta: search over paths and values, containers that
 * open and close, jsonpickle nodes shown decoded (their raw JSON one click away), and on hover
 * buttons that copy a node's path or its value.
 */
export function DataTree({
  data,
  searchable = true,
  testId,
  emptyText = 'Nothing recorded.',
  openDepth = 2,
}: Props) {
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<Mode>('default');
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState<ReadonlyMap<string, number>>(new Map());
  const [rawRows, setRawRows] = useState<ReadonlySet<string>>(new Set());
  const [showRaw, setShowRaw] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);

  const rows = useMemo(
    () =>
      treeRows(data, {
        query,
        isExpanded: (id, depth) => {
          const base = mode === 'all' ? true : mode === 'none' ? false : depth < openDepth;
          return toggled.has(id) ? !base : base;
        },
        shownChildren: (id) => shown.get(id) ?? PAGE,
      }),
    [data, query, mode, toggled, shown, openDepth],
  );

  if (isEmpty(data)) return <p className="muted">{emptyText}</p>;
  const hasContainers =
    typeof data === 'object' &&
    Object.values(data as object).some((v) => v !== null && typeof v === 'object');

  const flip = (set: ReadonlySet<string>, id: string): Set<string> => {
    const next = new Set(set);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  };
  const copy = (text: string, what: string): void => {
    void copyText(text).then(() => {
      setCopied(what);
      setTimeout(() => setCopied((current) => (current === what ? null : current)), 1500);
    });
  };
  const setAll = (next: Mode): void => {
    setMode(next);
    setToggled(new Set());
  };

  return (
    <div className="data-tree" data-testid={testId}>
      <div className="data-tree-toolbar">
        {searchable && (
          <SearchInput
            placeholder="Search keys and values (e.g. optimizer.lr)…"
            value={query}
            onChange={setQuery}
            label="Search keys and values"
            testId={testId === undefined ? undefined : `${testId}-search`}
          />
        )}
        {hasContainers && (
          <>
            <button type="button" className="small" onClick={() => setAll('all')}>
              Expand all
            </button>
            <button type="button" className="small" onClick={() => setAll('none')}>
              Collapse all
            </button>
          </>
        )}
        <button
          type="button"
          className={`small${showRaw ? ' active' : ''}`}
          aria-pressed={showRaw}
          onClick={() => setShowRaw((v) => !v)}
          title="The stored JSON, jsonpickle nodes as they are"
        >
          Raw JSON
        </button>
        {copied !== null && (
          <span className="copied-note" role="status">
            Copied {copied}
          </span>
        )}
      </div>
      {showRaw ? (
        <pre className="raw-json" data-testid="raw-json">
          {rawJson(data)}
        </pre>
      ) : rows.length === 0 ? (
        <p className="muted">Nothing matches “{query}”.</p>
      ) : (
        <div className="tree-rows" role="tree">
          {rows.map((row) => (
            <TreeLine
              key={row.id}
              row={row}
              rawOpen={rawRows.has(row.id)}
              onToggle={() => setToggled((set) => flip(set, row.id))}
              onRaw={() => setRawRows((set) => flip(set, row.id))}
              onMore={() =>
                setShown((map) => {
                  const parent = formatPath(row.path);
                  return new Map(map).set(parent, (map.get(parent) ?? PAGE) + PAGE * 5);
                })
              }
              onCopyPath={() => copy(row.id, 'path')}
              onCopyValue={() =>
                copy(typeof row.value === 'string' ? row.value : rawJson(row.value), 'value')
              }
            />
          ))}
        </div>
      )}
    </div>
  );
}

interface LineProps {
  row: TreeRow;
  rawOpen: boolean;
  onToggle: () => void;
  onRaw: () => void;
  onMore: () => void;
  onCopyPath: () => void;
  onCopyValue: () => void;
}

function TreeLine({ row, rawOpen, onToggle, onRaw, onMore, onCopyPath, onCopyValue }: LineProps) {
  const [valuesOpen, setValuesOpen] = useState(false);
  const indent = { paddingLeft: `${row.depth * 16 + 4}px` };
  if (row.kind === 'more') {
    return (
      <div className="tree-line" style={indent}>
        <button type="button" className="link-button" onClick={onMore}>
          Show more ({row.hidden} not shown)
        </button>
      </div>
    );
  }
  const container = row.kind === 'object' || row.kind === 'array';
  // A big ndarray's one line says only dtype and shape; its values decode on demand.
  const decodable = !container && hasBinaryValues(row.value);
  const valuesToggle = decodable && (
    <button
      type="button"
      className="tree-raw-toggle"
      aria-expanded={valuesOpen}
      onClick={() => setValuesOpen((open) => !open)}
    >
      {valuesOpen ? 'hide values' : 'show values'}
    </button>
  );
  const key = (
    <span
      className="tree-key"
      title={row.label !== row.path.at(-1) ? `stored key: ${String(row.path.at(-1))}` : undefined}
    >
      {row.label}
    </span>
  );
  return (
    <>
      <div
        className={`tree-line${row.matched === true ? ' tree-match' : ''}`}
        style={indent}
        role="treeitem"
        aria-expanded={container ? row.expanded : undefined}
        data-path={row.id}
      >
        {container ? (
          <button
            type="button"
            className="tree-caret"
            onClick={onToggle}
            aria-label="Open or close"
          >
            {row.expanded === true ? '▾' : '▸'}
          </button>
        ) : (
          <span className="tree-caret-space" />
        )}
        {row.label !== '' && (
          <>
            {key}
            <span className="tree-colon">: </span>
          </>
        )}
        {container ? (
          <span className="tree-summary muted">
            {row.kind === 'array'
              ? `[${row.size} item${row.size === 1 ? '' : 's'}]`
              : `{${row.size} key${row.size === 1 ? '' : 's'}}`}
          </span>
        ) : row.kind === 'decoded' ? (
          <>
            <span className="tree-decoded" title="A Python object, decoded from jsonpickle">
              {row.description}
            </span>
            {valuesToggle}
            <button type="button" className="tree-raw-toggle" onClick={onRaw}>
              {rawOpen ? 'hide raw' : 'raw'}
            </button>
          </>
        ) : (
          <>
            <span className={`tree-value tree-${valueClass(row.value)}`}>
              {leafText(row.value)}
            </span>
            {valuesToggle}
          </>
        )}
        <span className="tree-actions">
          {row.id !== '' && row.id !== '(value)' && (
            <button type="button" onClick={onCopyPath} title={`Copy the path ${row.id}`}>
              copy path
            </button>
          )}
          <button type="button" onClick={onCopyValue} title="Copy the value (JSON)">
            copy value
          </button>
        </span>
      </div>
      {valuesOpen && <NdarrayValues value={row.value} indent={row.depth * 16 + 24} />}
      {rawOpen && (
        <pre className="raw-json tree-raw" style={{ marginLeft: `${row.depth * 16 + 24}px` }}>
          {rawJson(row.value)}
        </pre>
      )}
    </>
  );
}

function valueClass(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value === 'NaN' || value === 'Infinity' || value === '-Infinity' ? 'number' : 'string';
  }
  return typeof value;
}
