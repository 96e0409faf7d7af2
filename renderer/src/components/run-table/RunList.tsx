import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ColumnInfo, QueryRow, RunKey, SourceInfo, View } from '../../../../shared/contract';
import type { FilterNode } from '../../../../shared/filter';
import {
  formatFilter,
  isBuiltinColumn,
  normalizeFilter,
  parseFilter,
} from '../../../../shared/filter';
import { useApi } from '../../hooks/use-api';
import { useReportError } from '../../hooks/report-error-context';
import { useExport } from '../../hooks/use-export';
import type { TagEditRequest } from '../../hooks/tag-edit-context';
import { TagEditContext } from '../../hooks/tag-edit-context';
import { useRunPages } from '../../hooks/use-run-pages';
import type { ColumnLayout, SortKey } from '../../model/column-layout';
import {
  addColumn,
  clickSort,
  isPinned,
  moveColumn,
  moveColumnTo,
  removeColumn,
  resizeColumn,
  togglePin,
} from '../../model/column-layout';
import { hasColumnFilter } from '../../model/column-filter-edit';
import {
  catalogRunCount,
  hasOnlyStartColumns,
  withInformativeColumns,
} from '../../../../shared/default-table-columns';
import { copyText } from '../../model/clipboard';
import { downloadText, exportFileName } from '../../model/download-text';
import { andFilters, quickSearchFilter } from '../../model/quick-search';
import type { RowSelection } from '../../model/row-selection';
import { emptySelection, isSelected, selectedCount } from '../../model/row-selection';
import { DeleteSelectedButton } from '../delete-runs/DeleteSelectedButton';
import { CopySelectedButton } from '../backup/CopySelectedButton';
import { runKeyString } from '../../model/run-values';
import type { ColumnDisplay } from '../../model/table-columns';
import { columnDisplay, metricNames, rowsToTsv } from '../../model/table-columns';
import type { TableState } from '../../model/view-state';
import { defaultTableState, differsFromView, stateFromView } from '../../model/view-state';
import { ColumnMenu } from './ColumnMenu';
import { ColumnPicker } from './ColumnPicker';
import { ExportProgressBar } from './ExportProgressBar';
import { FilterBar } from './FilterBar';
import type { MetricsLayout } from './MetricsExportDialog';
import { MetricsExportDialog } from './MetricsExportDialog';
import { RunGrid } from './RunGrid';
import { SearchInput } from './SearchInput';
import { StatusChips } from './StatusChips';
import { ToolbarOverflow } from './ToolbarOverflow';
import { BulkTagPopover, RunTagsPopover } from './TagPopover';
import { ViewSelector } from './ViewSelector';

interface Props {
  sources: readonly SourceInfo[];
  /** The sources whose runs are listed; null: all of them. */
  sourceSelection: string[] | null;
  onSourceSelectionChange: (sources: string[] | null) => void;
  onOpen: (key: RunKey) => void;
  /** What to suggest when there are no runs at all. */
  emptyHint: ReactNode;
  /** Focus the table (after coming back from a run), so the arrow keys work at once. */
  focusToken: number;
  /** Changes when the cache changed (a sync finished): visible rows are fetched again. */
  refreshToken: number;
  /** When given, a "Plot selected" button hands the selected runs (in table order) over. */
  onPlotSelection?: (runs: RunKey[]) => void;
  /** When given, a "Compare" button (two or more selected) hands the selected runs over. */
  onCompareSelection?: (runs: RunKey[]) => void;
  /**
   * What the address asks the table to show (null fields: what the view says), applied once
   * the views are loaded and again whenever seq changes (Back, Forward).
   */
  tableRequest?: (TableAddressRequest & { seq: number }) | null;
  /** The sources, applied filter and sort as they change, for the address bar. */
  onTableAddress?: (address: TableAddress) => void;
}

/** The run table's part of its address (shared/routes.ts). */
export interface TableAddress {
  sources: string[] | null;
  filter: string;
  sort: SortKey[];
}

interface TableAddressRequest {
  sources: string[] | null;
  filter: string | null;
  sort: SortKey[] | null;
}

/** A pause in typing this long applies the filter text. */
const APPLY_DELAY_MS = 600;
const SEARCH_DELAY_MS = 250;

/**
 * The run table over every selected source: text filter and column filters on one filter
 * tree, status chips, free-text search, saved views, column picker, export and the grid.
 */
export function RunList({
  sources,
  sourceSelection,
  onSourceSelectionChange,
  onOpen,
  emptyHint,
  focusToken,
  refreshToken,
  onPlotSelection,
  onCompareSelection,
  tableRequest = null,
  onTableAddress,
}: Props) {
  const api = useApi();
  const reportError = useReportError();
  const sourceNames = useMemo(() => sources.map((s) => s.name), [sources]);

  const [views, setViews] = useState<View[] | null>(null);
  const [currentViewId, setCurrentViewId] = useState<string | null>(null);
  const [layout, setLayout] = useState<ColumnLayout>(defaultTableState.layout);
  const [sort, setSort] = useState<SortKey[]>(defaultTableState.sort);
  const [filterText, setFilterText] = useState('');
  const [appliedFilter, setAppliedFilter] = useState<FilterNode | null>(null);
  const [search, setSearch] = useState('');
  const [appliedSearch, setAppliedSearch] = useState('');
  const [selection, setSelection] = useState<RowSelection>(emptySelection);
  const [catalog, setCatalog] = useState<ColumnInfo[] | null>(null);
  const [menu, setMenu] = useState<{ column: string; anchor: DOMRect } | null>(null);
  const [metricsOpen, setMetricsOpen] = useState(false);
  const [unfilteredTotal, setUnfilteredTotal] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const exporter = useExport();
  /** The tag editor of one row (its Tags cell), or of the selection ("Add tag"). */
  const [tagEdit, setTagEdit] = useState<TagEditRequest | null>(null);
  const [bulkTag, setBulkTag] = useState<{
    runs: { source: string; id: string }[];
    anchor: DOMRect;
  } | null>(null);
  /** Bumped after a tag edit, so the rows show it without waiting for the core's event. */
  const [editRefresh, setEditRefresh] = useState(0);
  const onTagsEdited = useCallback(() => setEditRefresh((n) => n + 1), []);

  const parsed = useMemo(() => parseFilter(filterText), [filterText]);
  const filterError = parsed.ok ? null : parsed.error;
  /** The tree popovers and chips edit: what is typed when it parses, else what is applied. */
  const editableFilter = parsed.ok ? parsed.ast : appliedFilter;
  const pending = parsed.ok && formatFilter(parsed.ast) !== formatFilter(appliedFilter);

  const applyView = useCallback(
    (view: View) => {
      const state = stateFromView(view, sourceNames);
      setLayout(state.layout);
      setSort(state.sort);
      setFilterText(state.filterText);
      const result = parseFilter(state.filterText);
      setAppliedFilter(result.ok ? result.ast : null);
      onSourceSelectionChange(state.sources);
      setCurrentViewId(view.id);
    },
    [sourceNames, onSourceSelectionChange],
  );

  // The default view decides what the table shows first; until then nothing is queried.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api.listViews({}).then(
      (list) => {
        setViews(list);
        const initial = list.find((view) => view.isDefault) ?? list[0];
        if (initial !== undefined) applyView(initial);
      },
      (error: unknown) => {
        reportError(error);
        setViews([]);
      },
    );
  }, [api, applyView, reportError]);

  // The address wins over the default view: a copied link shows what its sender saw.
  const appliedRequest = useRef<number | null>(null);
  const viewsLoaded = views !== null;
  useEffect(() => {
    if (!viewsLoaded || tableRequest === null || appliedRequest.current === tableRequest.seq)
      return;
    appliedRequest.current = tableRequest.seq;
    if (tableRequest.filter !== null) {
      setFilterText(tableRequest.filter);
      const result = parseFilter(tableRequest.filter);
      setAppliedFilter(result.ok ? result.ast : null);
    }
    if (tableRequest.sort !== null) setSort(tableRequest.sort);
    if (tableRequest.sources !== null) onSourceSelectionChange(tableRequest.sources);
  }, [viewsLoaded, tableRequest, onSourceSelectionChange]);

  const appliedText = formatFilter(appliedFilter);
  useEffect(() => {
    if (viewsLoaded) onTableAddress?.({ sources: sourceSelection, filter: appliedText, sort });
  }, [viewsLoaded, onTableAddress, sourceSelection, appliedText, sort]);

  // A pause in typing applies a filter that parses; Enter applies at once.
  useEffect(() => {
    if (!parsed.ok || !pending) return;
    const timer = setTimeout(() => setAppliedFilter(parsed.ast), APPLY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [parsed, pending]);

  useEffect(() => {
    const timer = setTimeout(() => setAppliedSearch(search), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const editFilter = useCallback((ast: FilterNode | null) => {
    const normal = normalizeFilter(ast);
    setFilterText(formatFilter(normal));
    setAppliedFilter(normal);
  }, []);

  /** Every run of every source: no filter, no search, all sources. */
  const showAllRuns = useCallback(() => {
    editFilter(null);
    setSearch('');
    onSourceSelectionChange(null);
  }, [editFilter, onSourceSelectionChange]);

  // A source just added must show its runs: a filter or source choice made for the others
  // would otherwise greet it with "0 of N runs".
  const knownSources = useRef<ReadonlySet<string>>(new Set(sourceNames));
  useEffect(() => {
    const added = sourceNames.filter((name) => !knownSources.current.has(name));
    knownSources.current = new Set(sourceNames);
    if (added.length === 0) return;
    const hidden = appliedFilter !== null || search !== '' || sourceSelection !== null;
    if (!hidden) return;
    showAllRuns();
    setNotice(`Showing all runs, with ${added.join(', ')} added: the filter was cleared.`);
    // Only a change in the source list decides; the filter is read as it is then.
  }, [sourceNames]);

  // Without columns of the user's own (the view every cache starts with, untouched), the
  // table adds the config keys that vary and the metrics the runs share; the first edit of the
  // columns keeps them as the user's own.
  const currentViewOfList = views?.find((view) => view.id === currentViewId) ?? null;
  const informative =
    currentViewOfList !== null &&
    hasOnlyStartColumns(currentViewOfList.columns) &&
    hasOnlyStartColumns(layout.columns);
  const shownLayout = useMemo<ColumnLayout>(
    () =>
      informative
        ? { ...layout, columns: withInformativeColumns(layout.columns, catalog) }
        : layout,
    [informative, layout, catalog],
  );
  const editLayout = useCallback(
    (edit: (current: ColumnLayout) => ColumnLayout) =>
      setLayout((current) =>
        edit(
          informative && hasOnlyStartColumns(current.columns)
            ? { ...current, columns: withInformativeColumns(current.columns, catalog) }
            : current,
        ),
      ),
    [informative, catalog],
  );

  const multiSource = sourceSelection === null ? sources.length > 1 : sourceSelection.length > 1;
  // The Source column says nothing with one source, so the default hides it then; a user who
  // ticks it in the picker sees it all the same.
  const [sourceWanted, setSourceWanted] = useState(false);
  const showSource = multiSource || sourceWanted;
  const catalogById = useMemo(
    () => new Map((catalog ?? []).map((column) => [column.id, column])),
    [catalog],
  );
  const displays = useMemo<ColumnDisplay[]>(
    () =>
      shownLayout.columns
        .filter((id) => id !== 'source' || showSource)
        .map((id) => columnDisplay(id, catalogById.get(id))),
    [shownLayout.columns, showSource, catalogById],
  );
  const columnIds = useMemo(() => displays.map((d) => d.id), [displays]);

  const where = useMemo(
    () => andFilters(appliedFilter, quickSearchFilter(appliedSearch)),
    [appliedFilter, appliedSearch],
  );
  const query = useMemo(
    () => ({ sources: sourceSelection, where, sort }),
    [sourceSelection, where, sort],
  );
  const pages = useRunPages(query, columnIds, refreshToken + editRefresh, views !== null);
  const { requestQuery } = pages;
  /** A sort the user picked: its first rows are asked in the click itself, not after a render. */
  const changeSort = useCallback(
    (next: SortKey[]) => {
      setSort(next);
      requestQuery({ ...query, sort: next });
    },
    [query, requestQuery],
  );

  useEffect(() => setSelection(emptySelection), [pages.queryKey]);

  const sourcesKey = JSON.stringify(sourceSelection);
  // The core answers one call at a time and the column catalog can take seconds the first
  // time on a big cache: it is asked once the first rows are on screen, and only when
  // something needs it (the picker, a column menu, a column that is not a built-in).
  const [firstRowsShown, setFirstRowsShown] = useState(false);
  const [catalogWanted, setCatalogWanted] = useState(false);
  useEffect(() => {
    if (pages.total !== null) setFirstRowsShown(true);
  }, [pages.total]);
  const onlyBuiltins = layout.columns.every((id) => isBuiltinColumn(id));
  useEffect(() => {
    if (!onlyBuiltins || informative) setCatalogWanted(true);
  }, [onlyBuiltins, informative]);

  useEffect(() => {
    if (!firstRowsShown) return;
    let current = true;
    const scope = sourceSelection === null ? {} : { sources: sourceSelection };
    api.queryRuns({ ...scope, limit: 0 }).then(
      (result) => current && setUnfilteredTotal(result.total),
      () => current && setUnfilteredTotal(null),
    );
    return () => {
      current = false;
    };
    // sourcesKey stands for sourceSelection
  }, [api, sourcesKey, refreshToken, firstRowsShown]);

  // After the cache changed (a sync, a live refresh) the catalog is asked again only when it
  // is used again: a live refresh every few seconds must not keep the core discovering.
  const [catalogNonce, setCatalogNonce] = useState(0);
  const catalogAskedAt = useRef<number | null>(null);
  const refreshNow = useRef(refreshToken);
  refreshNow.current = refreshToken;
  const wantCatalog = (): void => {
    setCatalogWanted(true);
    if (catalogAskedAt.current !== null && catalogAskedAt.current !== refreshToken) {
      setCatalogNonce((n) => n + 1);
    }
  };
  useEffect(() => {
    if (!firstRowsShown || !catalogWanted) return;
    let current = true;
    catalogAskedAt.current = refreshNow.current;
    const scope = sourceSelection === null ? {} : { sources: sourceSelection };
    api.listColumns(scope).then(
      (result) => current && setCatalog(result.columns),
      (error: unknown) => current && reportError(error),
    );
    return () => {
      current = false;
    };
    // sourcesKey stands for sourceSelection
  }, [api, reportError, sourcesKey, firstRowsShown, catalogWanted, catalogNonce]);

  // The informative columns come from the catalog: one taken while a sync was adding runs
  // is asked again once the sync is done (a live refresh of running runs changes no count).
  const catalogStale =
    informative &&
    catalog !== null &&
    unfilteredTotal !== null &&
    catalogRunCount(catalog) !== unfilteredTotal;
  useEffect(() => {
    if (catalogStale) wantCatalog();
    // wantCatalog reads the refresh token itself.
  }, [catalogStale, refreshToken]);

  const tableState: TableState = { layout, sort, filterText, sources: sourceSelection };
  const currentView = views?.find((view) => view.id === currentViewId) ?? null;
  const modified = currentView !== null && differsFromView(tableState, currentView, sourceNames);
  /** What "Save" keeps: the columns on screen, the informative ones included. */
  const savedState: TableState = { ...tableState, layout: shownLayout };

  const filteredColumns = useMemo(() => {
    const ids = new Set<string>();
    for (const display of displays) {
      if (hasColumnFilter(editableFilter, display.path)) ids.add(display.id);
    }
    return ids;
  }, [displays, editableFilter]);

  const exportScope = {
    ...(sourceSelection === null ? {} : { sources: sourceSelection }),
    ...(where === null ? {} : { where }),
    sort: sort.map((key) => ({ column: key.column, desc: key.desc })),
  };

  /** The visible columns, or every column of the listed sources (capped as the contract is). */
  async function exportRows(format: 'csv' | 'json', all = false): Promise<void> {
    const result = await exporter.run(`Exporting ${format.toUpperCase()}`, async (operationId) => {
      const listed = all
        ? await api.listColumns(sourceSelection === null ? {} : { sources: sourceSelection })
        : null;
      const columns =
        listed === null ? columnIds : listed.columns.map((column) => column.id).slice(0, 1000);
      return api.exportRuns({ ...exportScope, columns, format, operationId });
    });
    if (result?.text === null || result === null) return;
    downloadText(
      result.text,
      exportFileName('runs', format),
      format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
    );
    setNotice(`Exported ${result.rows} runs.`);
  }

  async function exportMetrics(metrics: string[], layoutName: MetricsLayout): Promise<void> {
    setMetricsOpen(false);
    const result = await exporter.run('Exporting metrics', (operationId) =>
      api.exportMetrics({
        ...exportScope,
        columns: multiSource ? ['source', 'id'] : ['id'],
        metrics,
        layout: layoutName,
        operationId,
      }),
    );
    if (result?.text === null || result === null) return;
    downloadText(result.text, exportFileName('metrics', 'csv'), 'text/csv;charset=utf-8');
    setNotice(`Exported the metrics of ${result.rows} runs.`);
  }

  /** The selected rows in table order: from memory when all are there, else from the core. */
  async function selectedRows(): Promise<QueryRow[]> {
    const total = pages.total ?? 0;
    const count = selectedCount(selection, total);
    if (count === 0) return [];
    const rows = pages.loadedRows().filter((row) => isSelected(selection, runKeyString(row)));
    if (rows.length >= count) return rows;
    return (await pages.fetchRange(0, total - 1)).filter((row) =>
      isSelected(selection, runKeyString(row)),
    );
  }

  async function plotSelection(): Promise<void> {
    try {
      const rows = await selectedRows();
      if (rows.length > 0)
        onPlotSelection?.(rows.map((row) => ({ source: row.source, id: row.id })));
    } catch (error) {
      reportError(error);
    }
  }

  async function compareSelection(): Promise<void> {
    try {
      const rows = await selectedRows();
      if (rows.length >= 2)
        onCompareSelection?.(rows.map((row) => ({ source: row.source, id: row.id })));
    } catch (error) {
      reportError(error);
    }
  }

  async function tagSelection(anchor: DOMRect): Promise<void> {
    try {
      const rows = await selectedRows();
      if (rows.length > 0)
        setBulkTag({ runs: rows.map((row) => ({ source: row.source, id: row.id })), anchor });
    } catch (error) {
      reportError(error);
    }
  }

  async function copySelection(): Promise<void> {
    try {
      const rows = await selectedRows();
      if (rows.length === 0) return;
      // The clipboard fallback selects a hidden textarea: the table gets its focus back.
      const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      await copyText(rowsToTsv(columnIds, rows));
      if (focused?.isConnected === true) focused.focus({ preventScroll: true });
      setNotice(`Copied ${rows.length} run${rows.length === 1 ? '' : 's'} as TSV.`);
    } catch (error) {
      reportError(error);
    }
  }

  useEffect(() => {
    if (notice === null) return;
    const timer = setTimeout(() => setNotice(null), 4000);
    return () => clearTimeout(timer);
  }, [notice]);

  const menuDisplay = menu === null ? undefined : displays.find((d) => d.id === menu.column);
  const total = pages.total;
  const selected = selectedCount(selection, total ?? 0);
  const nothingAtAll = unfilteredTotal === 0 || (total === 0 && where === null);

  return (
    <div className="run-list" data-testid="run-list">
      <div className="toolbar view-toolbar">
        {views !== null && (
          <ViewSelector
            views={views}
            currentId={currentViewId}
            modified={modified}
            state={savedState}
            invalid={!parsed.ok}
            onLoad={applyView}
            onViewsChange={(list, current) => {
              setViews(list);
              setCurrentViewId(current);
              if (current === null) {
                const fallback = list.find((view) => view.isDefault) ?? list[0];
                if (fallback !== undefined) applyView(fallback);
              }
            }}
          />
        )}
        <span className="toolbar-spacer" />
        <ColumnPicker
          catalog={catalog}
          onOpen={wantCatalog}
          shown={columnIds}
          onToggle={(id) => {
            if (id === 'source' && !showSource) {
              // Ticked while hidden for having one source: show it (it may be in the layout).
              setSourceWanted(true);
              editLayout((current) =>
                current.columns.includes(id) ? current : addColumn(current, id),
              );
              return;
            }
            if (id === 'source') setSourceWanted(false);
            editLayout((current) =>
              current.columns.includes(id) ? removeColumn(current, id) : addColumn(current, id),
            );
          }}
        />
        <span className="toolbar-fold">
          <button
            type="button"
            data-testid="export-csv"
            disabled={exporter.state.label !== null || total === null}
            title="CSV of the visible columns"
            onClick={() => void exportRows('csv')}
          >
            CSV
          </button>
          <button
            type="button"
            data-testid="export-csv-all"
            disabled={exporter.state.label !== null || total === null}
            title="CSV of every column (config, info, metrics…)"
            onClick={() => void exportRows('csv', true)}
          >
            CSV (all columns)
          </button>
          <button
            type="button"
            data-testid="export-json"
            disabled={exporter.state.label !== null || total === null}
            onClick={() => void exportRows('json')}
          >
            JSON
          </button>
          <button
            type="button"
            data-testid="export-metrics"
            disabled={exporter.state.label !== null || total === null || total === 0}
            onClick={() => {
              wantCatalog();
              setMetricsOpen(true);
            }}
          >
            Metrics…
          </button>
        </span>
        <ToolbarOverflow
          label="More"
          testId="toolbar-more"
          items={[
            {
              label: 'Export CSV',
              disabled: exporter.state.label !== null || total === null,
              onSelect: () => void exportRows('csv'),
            },
            {
              label: 'Export CSV, all columns',
              disabled: exporter.state.label !== null || total === null,
              onSelect: () => void exportRows('csv', true),
            },
            {
              label: 'Export JSON',
              disabled: exporter.state.label !== null || total === null,
              onSelect: () => void exportRows('json'),
            },
            {
              // A narrow toolbar folds "Tag selected…" away: it is here then.
              label: selected > 0 ? `Tag ${selected} selected runs…` : 'Tag selected runs…',
              disabled: selected === 0,
              onSelect: () => {
                const more = document.querySelector('[data-testid="toolbar-more"]');
                if (more !== null) void tagSelection(more.getBoundingClientRect());
              },
            },
            {
              label: 'Export metrics…',
              disabled: exporter.state.label !== null || total === null || total === 0,
              onSelect: () => {
                wantCatalog();
                setMetricsOpen(true);
              },
            },
          ]}
        />
      </div>
      <FilterBar
        text={filterText}
        error={filterError}
        pending={pending}
        onChange={setFilterText}
        onApply={() => {
          if (parsed.ok) setAppliedFilter(parsed.ast);
        }}
        catalog={catalog}
        sources={sourceSelection}
        onWantCatalog={wantCatalog}
      />
      <div className="toolbar">
        <SearchInput
          placeholder="Search id, experiment, status, notes, tags…"
          testId="quick-filter"
          value={search}
          onChange={setSearch}
          label="Search runs"
        />
        <span className="toolbar-fold">
          <StatusChips ast={editableFilter} onChange={editFilter} />
        </span>
        <ToolbarOverflow label="Status" testId="toolbar-status">
          <StatusChips ast={editableFilter} onChange={editFilter} />
        </ToolbarOverflow>
        <span className="toolbar-spacer" />
        {onPlotSelection !== undefined && (
          <button
            type="button"
            data-testid="plot-selected"
            disabled={selected === 0}
            title="Plot the metrics of the selected runs together"
            onClick={() => void plotSelection()}
          >
            {selected > 0 ? `Plot ${selected} selected` : 'Plot selected'}
          </button>
        )}
        {onCompareSelection !== undefined && (
          <button
            type="button"
            data-testid="compare-selected"
            disabled={selected < 2}
            title="Compare the selected runs: config diff, results, metrics, output"
            onClick={() => void compareSelection()}
          >
            {selected >= 2 ? `Compare ${selected}` : 'Compare'}
          </button>
        )}
        <DeleteSelectedButton
          selected={selected}
          runs={async () => (await selectedRows()).map(({ source, id }) => ({ source, id }))}
          onDeleted={() => setSelection(emptySelection)}
        />
        <CopySelectedButton
          selected={selected}
          runs={async () => (await selectedRows()).map(({ source, id }) => ({ source, id }))}
        />
        <span className="toolbar-fold">
          <button
            type="button"
            data-testid="tag-selected"
            disabled={selected === 0}
            title="Add a tag to every selected run (sources with edits on)"
            onClick={(event) => void tagSelection(event.currentTarget.getBoundingClientRect())}
          >
            {selected > 0 ? `Tag ${selected} selected…` : 'Tag selected…'}
          </button>
        </span>
        <span className="muted run-count" data-testid="run-count">
          {total === null
            ? 'Loading…'
            : unfilteredTotal !== null && unfilteredTotal !== total
              ? `${total} of ${unfilteredTotal} runs`
              : `${total} runs`}
          {pages.stale ? ' …' : ''}
          {selected > 0 ? ` · ${selected} selected` : ''}
        </span>
      </div>
      <ExportProgressBar state={exporter.state} />
      {notice !== null && (
        <div className="muted table-notice" role="status">
          {notice}
        </div>
      )}
      {nothingAtAll && where === null ? (
        <div className="empty-state">{emptyHint}</div>
      ) : (
        <TagEditContext.Provider value={setTagEdit}>
          <RunGrid
            columns={displays}
            layout={shownLayout}
            sort={sort}
            filtered={filteredColumns}
            pages={pages}
            selection={selection}
            onSelectionChange={setSelection}
            onOpen={onOpen}
            onSortClick={(column, shift) => changeSort(clickSort(sort, column, shift))}
            onColumnMenu={(column, anchor) => {
              wantCatalog();
              setMenu({ column, anchor });
            }}
            onMoveColumn={(column, target, side) =>
              editLayout((current) => moveColumnTo(current, column, target, side))
            }
            onResize={(column, width) =>
              editLayout((current) => resizeColumn(current, column, width))
            }
            onCopy={() => void copySelection()}
            focusToken={focusToken}
            waiting={pending || search !== appliedSearch}
            empty={
              <>
                No run matches the filter.{' '}
                <button
                  type="button"
                  className="link-button"
                  data-testid="clear-filter"
                  onClick={() => {
                    editFilter(null);
                    setSearch('');
                  }}
                >
                  Clear the filter
                </button>{' '}
                <button
                  type="button"
                  className="link-button"
                  data-testid="show-all-runs"
                  onClick={showAllRuns}
                >
                  Show all runs
                </button>
              </>
            }
          />
        </TagEditContext.Provider>
      )}
      {tagEdit !== null && (
        <RunTagsPopover
          key={`${tagEdit.source}\u0000${tagEdit.id}`}
          source={tagEdit.source}
          id={tagEdit.id}
          tags={tagEdit.tags}
          anchor={tagEdit.anchor}
          onEdited={onTagsEdited}
          onClose={() => setTagEdit(null)}
        />
      )}
      {bulkTag !== null && (
        <BulkTagPopover
          runs={bulkTag.runs}
          anchor={bulkTag.anchor}
          onEdited={onTagsEdited}
          onClose={() => setBulkTag(null)}
        />
      )}
      {menu !== null && menuDisplay !== undefined && (
        <ColumnMenu
          key={menu.column}
          column={menuDisplay}
          anchor={menu.anchor}
          ast={editableFilter}
          sources={sourceSelection}
          pinned={isPinned(shownLayout, menu.column)}
          canMoveLeft={moveColumn(shownLayout, menu.column, -1) !== shownLayout}
          canMoveRight={moveColumn(shownLayout, menu.column, 1) !== shownLayout}
          onApply={editFilter}
          onSort={(desc) => changeSort([{ column: menu.column, desc }])}
          onMove={(delta) => editLayout((current) => moveColumn(current, menu.column, delta))}
          onTogglePin={() => editLayout((current) => togglePin(current, menu.column))}
          onRemove={() => {
            editLayout((current) => removeColumn(current, menu.column));
            setMenu(null);
          }}
          onClose={() => setMenu(null)}
        />
      )}
      {metricsOpen && (
        <MetricsExportDialog
          metrics={catalog === null ? null : metricNames(catalog)}
          runCount={total ?? 0}
          onExport={(metrics, layoutName) => void exportMetrics(metrics, layoutName)}
          onClose={() => setMetricsOpen(false)}
        />
      )}
    </div>
  );
}
