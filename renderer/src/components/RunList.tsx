import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import type { ColumnDef, SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RunSummary } from '../../../shared/contract';
import type { SortValue } from '../model/compare-values';
import { sortByValue } from '../model/compare-values';
import { configValueAt } from '../model/config-leaves';
import { compactValue, formatDuration, sortKeyOf } from '../model/format';
import {
  displayStatus,
  matchesQuickFilter,
  runDurationMs,
  runKeyString,
} from '../model/run-values';
import { varyingConfigKeys } from '../model/varying-config-keys';
import { LocalTime } from './LocalTime';
import { SearchInput } from './SearchInput';
import { StatusBadge } from './StatusBadge';

interface ColumnSpec {
  id: string;
  header: string;
  title?: string;
  size: number;
  sortValue: (run: RunSummary) => SortValue;
  render: (run: RunSummary) => ReactNode;
  numeric?: boolean;
}

interface Props {
  runs: RunSummary[];
  /** Whether runs come from more than one source (adds the source column). */
  showSource: boolean;
  selectedKey: string | null;
  onSelect: (run: RunSummary) => void;
  onOpen: (run: RunSummary) => void;
  /** What to suggest when there are no runs at all. */
  emptyHint: ReactNode;
  /** Focus the list (after coming back from a run), so the arrow keys work at once. */
  focusToken: number;
}

const ROW_HEIGHT = 30;

/** A column that shows one text field as it is and sorts by it. */
function textColumn(
  id: string,
  header: string,
  size: number,
  value: (run: RunSummary) => string | null,
): ColumnSpec {
  return { id, header, size, sortValue: value, render: (r) => value(r) ?? '' };
}

function buildColumns(showSource: boolean, configKeys: string[]): ColumnSpec[] {
  const columns: ColumnSpec[] = [textColumn('id', 'ID', 80, (r) => r.id)];
  if (showSource) columns.push(textColumn('source', 'Source', 120, (r) => r.source));
  columns.push(
    textColumn('experiment', 'Experiment', 160, (r) => r.experiment),
    {
      id: 'status',
      header: 'Status',
      size: 140,
      sortValue: (r) => displayStatus(r),
      render: (r) => <StatusBadge run={r} />,
    },
    {
      id: 'start',
      header: 'Started',
      size: 168,
      sortValue: (r) => r.start_time,
      render: (r) => <LocalTime iso={r.start_time} />,
    },
    {
      id: 'duration',
      header: 'Duration',
      size: 96,
      numeric: true,
      sortValue: (r) => runDurationMs(r),
      render: (r) => formatDuration(runDurationMs(r)),
    },
    textColumn('host', 'Host', 110, (r) => r.host),
    {
      id: 'result',
      header: 'Result',
      size: 140,
      sortValue: (r) => sortKeyOf(r.result),
      render: (r) => (r.result === null ? '' : compactValue(r.result)),
    },
  );
  for (const key of configKeys) {
    columns.push({
      id: `config:${key}`,
      header: key,
      title: `config ${key}`,
      size: Math.min(180, Math.max(90, key.length * 8 + 24)),
      sortValue: (r) => sortKeyOf(configValueAt(r.config, key)),
      render: (r) => compactValue(configValueAt(r.config, key), 40),
    });
  }
  return columns;
}

/** The run table: thousands of rows scroll smoothly because only visible rows are rendered. */
export function RunList({
  runs,
  showSource,
  selectedKey,
  onSelect,
  onOpen,
  emptyHint,
  focusToken,
}: Props) {
  const [filter, setFilter] = useState('');
  const [sorting, setSorting] = useState<SortingState>([{ id: 'start', desc: true }]);
  const scrollRef = useRef<HTMLDivElement>(null);

  const configKeys = useMemo(() => varyingConfigKeys(runs.map((run) => run.config)), [runs]);
  const specs = useMemo(() => buildColumns(showSource, configKeys), [showSource, configKeys]);

  const rowsData = useMemo(() => {
    const filtered = runs.filter((run) => matchesQuickFilter(run, filter));
    const sort = sorting[0];
    const spec = sort === undefined ? undefined : specs.find((s) => s.id === sort.id);
    if (sort === undefined || spec === undefined) return filtered;
    return sortByValue(filtered, spec.sortValue, sort.desc ? 'desc' : 'asc');
  }, [runs, filter, sorting, specs]);

  const columns = useMemo<ColumnDef<RunSummary, SortValue>[]>(
    () =>
      specs.map((spec) => ({
        id: spec.id,
        header: spec.header,
        size: spec.size,
        accessorFn: spec.sortValue,
        cell: ({ row }) => spec.render(row.original),
        meta: spec,
      })),
    [specs],
  );

  const table = useReactTable({
    data: rowsData,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    enableMultiSort: false,
    sortDescFirst: false,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (run) => runKeyString(run),
  });

  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });

  const gridTemplateColumns = specs.map((spec) => `${spec.size}px`).join(' ');
  const totalWidth = specs.reduce((sum, spec) => sum + spec.size, 0);
  const selectedIndex =
    selectedKey === null ? -1 : rowsData.findIndex((run) => runKeyString(run) === selectedKey);

  useEffect(() => {
    if (focusToken > 0) scrollRef.current?.focus({ preventScroll: true });
  }, [focusToken]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (rowsData.length === 0) return;
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = Math.min(rowsData.length - 1, selectedIndex + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, selectedIndex < 0 ? 0 : selectedIndex - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = rowsData.length - 1;
    else if (event.key === 'PageDown')
      next = Math.min(rowsData.length - 1, Math.max(0, selectedIndex) + 20);
    else if (event.key === 'PageUp') next = Math.max(0, selectedIndex - 20);
    else if (event.key === 'Enter' && selectedIndex >= 0) {
      const run = rowsData[selectedIndex];
      if (run !== undefined) onOpen(run);
      event.preventDefault();
      return;
    }
    if (next === null) return;
    event.preventDefault();
    const run = rowsData[next];
    if (run !== undefined) {
      onSelect(run);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
  }

  return (
    <div className="run-list">
      <div className="toolbar">
        <SearchInput
          placeholder="Filter by id, experiment, status, comment…"
          testId="quick-filter"
          value={filter}
          onChange={setFilter}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') {
              scrollRef.current?.focus();
              onKeyDown(event as unknown as KeyboardEvent<HTMLDivElement>);
            }
          }}
          label="Filter runs"
        />
        <span className="muted run-count">
          {rowsData.length === runs.length
            ? `${runs.length} runs`
            : `${rowsData.length} of ${runs.length} runs`}
        </span>
      </div>
      {runs.length === 0 ? (
        <div className="empty-state">{emptyHint}</div>
      ) : (
        <div
          className="run-table"
          ref={scrollRef}
          tabIndex={0}
          onKeyDown={onKeyDown}
          role="grid"
          aria-rowcount={rows.length}
          aria-label="Runs"
        >
          <div className="run-table-inner" style={{ width: totalWidth }}>
            <div className="run-header" role="row" style={{ gridTemplateColumns }}>
              {table.getFlatHeaders().map((header) => {
                const sorted = header.column.getIsSorted();
                const spec = header.column.columnDef.meta as ColumnSpec | undefined;
                return (
                  <button
                    type="button"
                    role="columnheader"
                    key={header.id}
                    className={`run-header-cell${spec?.numeric === true ? ' numeric' : ''}`}
                    title={spec?.title ?? `Sort by ${spec?.header ?? header.id}`}
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                    }
                    onClick={header.column.getToggleSortingHandler()}
                  >
                    <span className="header-label">
                      {flexRender(header.column.columnDef.header, header.getContext())}
                    </span>
                    <span className="sort-indicator">
                      {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                    </span>
                  </button>
                );
              })}
            </div>
            {rows.length === 0 ? (
              <div className="empty-state">
                No run matches “{filter}”.{' '}
                <button type="button" className="link-button" onClick={() => setFilter('')}>
                  Clear the filter
                </button>
              </div>
            ) : (
              <div className="run-body" style={{ height: virtualizer.getTotalSize() }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const row = rows[item.index];
                  if (row === undefined) return null;
                  const run = row.original;
                  const selected = item.index === selectedIndex;
                  return (
                    <div
                      key={row.id}
                      role="row"
                      aria-selected={selected}
                      data-testid="run-row"
                      data-run-id={run.id}
                      data-source={run.source}
                      className={`run-row${selected ? ' selected' : ''}${run.unreadable !== null ? ' unreadable' : ''}`}
                      style={{
                        gridTemplateColumns,
                        transform: `translateY(${item.start}px)`,
                        height: ROW_HEIGHT,
                      }}
                      onClick={() => {
                        onSelect(run);
                        onOpen(run);
                      }}
                    >
                      {row.getVisibleCells().map((cell) => {
                        const spec = cell.column.columnDef.meta as ColumnSpec | undefined;
                        const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                        return (
                          <div
                            role="gridcell"
                            key={cell.id}
                            className={`run-cell${spec?.numeric === true ? ' numeric' : ''}`}
                            title={
                              typeof content === 'string' && content.length > 12
                                ? content
                                : undefined
                            }
                          >
                            {content}
                          </div>
                        );
                      })}
                    </div>
                  );
                })}
              </div>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
