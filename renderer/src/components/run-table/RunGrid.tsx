import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import type {
  CSSProperties,
  DragEvent,
  KeyboardEvent,
  MouseEvent,
  PointerEvent,
  ReactNode,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Virtualizer } from '@tanstack/react-virtual';
import type { QueryRow, RunKey } from '../../../../shared/contract';
import type { RunPages } from '../../hooks/use-run-pages';
import type { ColumnLayout, SortKey } from '../../model/column-layout';
import { columnWidth, isPinned } from '../../model/column-layout';
import type { RowSelection } from '../../model/row-selection';
import {
  clearSelection,
  emptySelection,
  isSelected,
  moveFocus,
  rangeBounds,
  selectAll,
  selectOnly,
  selectRange,
  selectedCount,
  toggleRow,
} from '../../model/row-selection';
import { runKeyString } from '../../model/run-values';
import { assignSlots } from '../../model/row-slots';
import type { SlotAssignment } from '../../model/row-slots';
import { OVERSCAN_ROWS, overscanFor } from '../../model/fling-overscan';
import type { ColumnDisplay } from '../../model/table-columns';
import type { NumberFormat } from '../../model/column-number-format';
import { columnFormats } from '../../model/column-formats';
import { cellTitle, runCellContent } from './RunCell';
import { useWritableSources } from '../../hooks/source-writes-context';
import { useTagEditRequest } from '../../hooks/tag-edit-context';
import { SelectBox, selectBoxInput } from './SelectBox';

export const ROW_HEIGHT = 26;
/** The sticky header's height (styles.css .run-header): rows start below it. */
const HEADER_HEIGHT = 28;
const PAGE_ROWS = 20;
const DRAG_TYPE = 'application/x-altar-column';
/** The checkbox column, always first and pinned: pinned columns start after it. */
const SELECT_WIDTH = 30;
/** How long a new query may take before the rows still shown are dimmed as outdated. */
const DIM_STALE_AFTER_MS = 250;

interface Props {
  columns: readonly ColumnDisplay[];
  layout: ColumnLayout;
  sort: readonly SortKey[];
  /** Columns with a condition in the filter: their header shows it. */
  filtered: ReadonlySet<string>;
  pages: RunPages;
  selection: RowSelection;
  onSelectionChange: (selection: RowSelection) => void;
  onOpen: (key: RunKey) => void;
  onSortClick: (column: string, shift: boolean) => void;
  onColumnMenu: (column: string, anchor: DOMRect) => void;
  onMoveColumn: (column: string, target: string, side: 'before' | 'after') => void;
  onResize: (column: string, width: number) => void;
  /** Ctrl/Cmd+C in the table. */
  onCopy: () => void;
  /** Focus the table (after coming back from a run), so the arrow keys work at once. */
  focusToken: number;
  /** Shown instead of rows when the result is empty. */
  empty: ReactNode;
  /** A typed search or filter is about to replace these rows (told to screen readers and tests). */
  waiting?: boolean;
}

interface Placed {
  column: ColumnDisplay;
  width: number;
  /** Left offset of a pinned column (its sticky position), else null. */
  stickyLeft: number | null;
  /** A row cell's style: its width (rows are flex rows) and sticky place; one object per layout. */
  cellStyle: CSSProperties;
}

function place(columns: readonly ColumnDisplay[], layout: ColumnLayout): Placed[] {
  let left = SELECT_WIDTH;
  return columns.map((column) => {
    const width = columnWidth(layout, column.id, column.width);
    // The run id names the row: it stays in sight when the table scrolls sideways.
    const pinned = isPinned(layout, column.id) || column.id === 'id';
    const stickyLeft = pinned ? left : null;
    const placed = {
      column,
      width,
      stickyLeft,
      cellStyle: {
        width,
        ...(stickyLeft === null ? {} : { position: 'sticky' as const, left: stickyLeft }),
      },
    };
    if (pinned) left += width;
    return placed;
  });
}

function stickyStyle(placed: Placed): CSSProperties | undefined {
  return placed.stickyLeft === null ? undefined : { position: 'sticky', left: placed.stickyLeft };
}

interface RowProps {
  /** The row element's id: the table's aria-owns lists the rows in their order by it. */
  domId: string;
  row: QueryRow | undefined;
  index: number;
  start: number;
  placed: readonly Placed[];
  selected: boolean;
  focused: boolean;
  /** Each numeric column's one number format, from the loaded rows. */
  formats: ReadonlyMap<string, NumberFormat>;
  onRowClick: (index: number, row: QueryRow, event: MouseEvent<HTMLDivElement>) => void;
  onBoxClick: (index: number, row: QueryRow, event: MouseEvent<HTMLInputElement>) => void;
}

const RunRow = memo(function RunRow({
  domId,
  row,
  index,
  start,
  placed,
  selected,
  focused,
  formats,
  onRowClick,
  onBoxClick,
}: RowProps) {
  const style: CSSProperties = {
    transform: `translateY(${start}px)`,
    height: ROW_HEIGHT,
  };
  // A row still loading has the same elements as a loaded one (its cells empty, a bar drawn
  // by CSS): the page arriving, or a scroll bringing a loaded run to a slot that showed a
  // placeholder, fills them in instead of building the row anew.
  const loaded = row !== undefined;
  const classes = ['run-row'];
  if (!loaded) classes.push('placeholder');
  if (loaded && selected) classes.push('selected');
  if (loaded && focused) classes.push('focused');
  if (row?.status === 'UNREADABLE') classes.push('unreadable');
  return (
    <div
      id={domId}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={loaded ? selected : undefined}
      data-testid={loaded ? 'run-row' : undefined}
      data-run-id={row?.id}
      data-source={row?.source}
      data-index={loaded ? index : undefined}
      className={classes.join(' ')}
      style={style}
      onClick={loaded ? (event) => onRowClick(index, row, event) : undefined}
    >
      <div role="gridcell" className="run-cell select-cell">
        {loaded &&
          selectBoxInput({
            checked: selected,
            label: `Select run ${row.id}`,
            testId: 'row-select',
            onToggle: (event) => onBoxClick(index, row, event),
          })}
      </div>
      {placed.map((p) => (
        <div
          key={p.column.id}
          role="gridcell"
          className={`run-cell${p.column.numeric ? ' numeric' : ''}${p.stickyLeft !== null ? ' pinned' : ''}`}
          style={p.cellStyle}
          title={loaded ? cellTitle(row, p.column) : undefined}
        >
          {runCellContent(row, p.column, formats.get(p.column.id))}
        </div>
      ))}
    </div>
  );
});

function FunnelIcon({ filled }: { filled: boolean }) {
  return (
    <svg width="11" height="11" viewBox="0 0 16 16" aria-hidden="true">
      <path
        d="M1.5 2h13l-5 6.2V14l-3-1.6V8.2z"
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/**
 * The run table's grid: a sticky header (sort, drag to reorder, drag the edge to resize,
 * column menu) over virtualized rows fetched page by page. Only the rows on screen exist in
 * the DOM, so 100k runs scroll like 100.
 */
export function RunGrid({
  columns,
  layout,
  sort,
  filtered,
  pages,
  selection,
  onSelectionChange,
  onOpen,
  onSortClick,
  onColumnMenu,
  onMoveColumn,
  onResize,
  onCopy,
  focusToken,
  empty,
  waiting = false,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [dropTarget, setDropTarget] = useState<{ id: string; side: 'before' | 'after' } | null>(
    null,
  );
  const total = pages.total ?? 0;
  const placed = useMemo(() => place(columns, layout), [columns, layout]);
  // Chosen again as pages arrive (version), so a column's rows share one format; the same
  // Map while no format changes, so a page arriving does not render every shown row again.
  const shownFormats = useRef<ReadonlyMap<string, NumberFormat> | null>(null);
  const formats = useMemo(() => {
    const next = columnFormats(
      pages.loadedPages(),
      columns.map((column) => column.id),
      shownFormats.current,
    );
    shownFormats.current = next;
    return next;
  }, [columns, pages.version, pages.loadedPages]);
  const gridTemplateColumns = [SELECT_WIDTH, ...placed.map((p) => p.width)]
    .map((width) => `${width}px`)
    .join(' ');
  const totalWidth = placed.reduce((sum, p) => sum + p.width, SELECT_WIDTH);
  const selected = selectedCount(selection, total);

  // The virtualizer is one object for the component's life: its scroll offset is already the
  // new one when a scroll renders the table, so the jump since the last render is known here.
  const virtualizerRef = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  const renderedOffset = useRef(0);
  const scrolled = virtualizerRef.current;
  const overscan =
    scrolled === null
      ? OVERSCAN_ROWS
      : overscanFor(
          (scrolled.scrollOffset ?? 0) - renderedOffset.current,
          scrolled.scrollRect?.height ?? 0,
          scrolled.isScrolling,
        );
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Rows built beyond the visible box. Every row costs style, layout and paint on each frame
    // that brings new rows (a fling brings a whole screen a frame): none while a scroll jumps
    // further than a screen, a few otherwise (model/fling-overscan.ts).
    overscan,
    // The header scrolls with the rows but stays on top: keyboard moves keep rows below it.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  virtualizerRef.current = virtualizer;
  renderedOffset.current = virtualizer.scrollOffset ?? 0;
  const items = virtualizer.getVirtualItems();
  // Each row shown gets a slot (its key): rows still shown keep theirs, rows scrolled in take
  // the ones freed, so a scroll, even one jumping a screen a frame, refills the same elements.
  const shownSlots = useRef<SlotAssignment>(new Map());
  const slotOf = assignSlots(
    shownSlots.current,
    items.map((item) => item.index),
  );
  shownSlots.current = slotOf;
  const rowSlot = (index: number): number => slotOf.get(index) ?? 0;
  // In slot order, not row order: the row elements then keep their place in the DOM as rows
  // scroll through them. In row order, the rows wrapping around the slots would be moved in
  // the DOM, and a moved element has its style and layout built anew. Assistive technology
  // gets the rows in their order from the body's aria-owns (and each row's place from
  // aria-rowindex), so a screen reader going down the rows never wraps around the slots.
  const slotted = [...items].sort((a, b) => rowSlot(a.index) - rowSlot(b.index));
  const rowIdPrefix = useId();
  const rowDomId = (index: number): string => `${rowIdPrefix}row-${rowSlot(index)}`;
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { showRange } = pages;
  useEffect(() => {
    showRange(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, showRange]);

  // The previous query's rows are dimmed only once the new one has kept the user waiting:
  // dimming every row and showing them again costs two full repaints, on a sort that answers
  // within a frame or two.
  const [dimmed, setDimmed] = useState(false);
  useEffect(() => {
    if (!pages.stale) {
      setDimmed(false);
      return;
    }
    const timer = setTimeout(() => setDimmed(true), DIM_STALE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [pages.stale]);

  // A new query starts at the top. Only when not there already (as the virtualizer last saw
  // the scroll): scrollTo forces a style and layout pass of the whole table inside a sort's
  // click, before its request goes out.
  useEffect(() => {
    if (virtualizer.scrollOffset !== 0) scrollRef.current?.scrollTo({ top: 0 });
  }, [pages.queryKey]);

  useEffect(() => {
    if (focusToken > 0) scrollRef.current?.focus({ preventScroll: true });
  }, [focusToken]);

  const selectionRef = useRef(selection);
  selectionRef.current = selection;
  const writableSources = useWritableSources();
  const requestTagEdit = useTagEditRequest();

  /** T on the focused run opens its tag editor (its source's edits on), at its row. */
  function editFocusedTags(): boolean {
    const focus = selection.focus;
    const row = focus === null ? undefined : pages.rowAt(focus);
    if (row === undefined || requestTagEdit === null || !writableSources.has(row.source)) {
      return false;
    }
    const element = scrollRef.current?.querySelector(`[data-index="${focus}"]`);
    const anchor = (element ?? scrollRef.current)?.getBoundingClientRect();
    if (anchor === undefined) return false;
    const shown = row.values['tags'];
    const tags = Array.isArray(shown)
      ? shown.filter((tag): tag is string => typeof tag === 'string')
      : null;
    requestTagEdit({ source: row.source, id: row.id, tags, anchor });
    return true;
  }

  async function extendTo(index: number, additive: boolean): Promise<void> {
    const current = selectionRef.current;
    const [from, to] = rangeBounds(current, index);
    const rows = await pages.fetchRange(from, to);
    onSelectionChange(selectRange(current, index, rows.map(runKeyString), additive));
  }

  const onRowClick = (index: number, row: QueryRow, event: MouseEvent<HTMLDivElement>): void => {
    scrollRef.current?.focus({ preventScroll: true });
    const key = runKeyString(row);
    if (event.shiftKey) {
      void extendTo(index, event.ctrlKey || event.metaKey);
      return;
    }
    if (event.ctrlKey || event.metaKey) {
      onSelectionChange(toggleRow(selectionRef.current, index, key));
      return;
    }
    onSelectionChange(selectOnly(index, key));
    onOpen({ source: row.source, id: row.id });
  };
  const rowClick = useRef(onRowClick);
  rowClick.current = onRowClick;
  const [stableRowClick] = useState(
    () => (index: number, row: QueryRow, event: MouseEvent<HTMLDivElement>) =>
      rowClick.current(index, row, event),
  );

  /** A row's checkbox: adds or removes that row (shift: the range from the anchor joins). */
  const onBoxClick = (index: number, row: QueryRow, event: MouseEvent<HTMLInputElement>): void => {
    scrollRef.current?.focus({ preventScroll: true });
    if (event.shiftKey) {
      void extendTo(index, true);
      return;
    }
    onSelectionChange(toggleRow(selectionRef.current, index, runKeyString(row)));
  };
  const boxClick = useRef(onBoxClick);
  boxClick.current = onBoxClick;
  const [stableBoxClick] = useState(
    () => (index: number, row: QueryRow, event: MouseEvent<HTMLInputElement>) =>
      boxClick.current(index, row, event),
  );

  async function moveTo(index: number, extend: boolean): Promise<void> {
    virtualizer.scrollToIndex(index, { align: 'auto' });
    if (extend) {
      await extendTo(index, false);
      return;
    }
    const [row] = await pages.fetchRange(index, index);
    if (row !== undefined) onSelectionChange(selectOnly(index, runKeyString(row)));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      onSelectionChange(selectAll(selection));
      return;
    }
    if (mod && event.key.toLowerCase() === 'c') {
      event.preventDefault();
      onCopy();
      return;
    }
    if (!mod && !event.altKey && event.key.toLowerCase() === 't' && editFocusedTags()) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Escape' && selectedCount(selection, total) > 0) {
      event.preventDefault();
      onSelectionChange(clearSelection(selection));
      return;
    }
    if (total === 0) return;
    const focus = selection.focus;
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = moveFocus(focus, 1, total);
    else if (event.key === 'ArrowUp') next = moveFocus(focus, -1, total);
    else if (event.key === 'PageDown') next = moveFocus(focus, PAGE_ROWS, total);
    else if (event.key === 'PageUp') next = moveFocus(focus, -PAGE_ROWS, total);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = total - 1;
    else if (event.key === 'Enter' && focus !== null) {
      event.preventDefault();
      const row = pages.rowAt(focus);
      if (row !== undefined) onOpen({ source: row.source, id: row.id });
      return;
    } else if (event.key === ' ' && focus !== null) {
      event.preventDefault();
      const row = pages.rowAt(focus);
      if (row !== undefined) onSelectionChange(toggleRow(selection, focus, runKeyString(row)));
      return;
    }
    if (next === null) return;
    event.preventDefault();
    void moveTo(next, event.shiftKey);
  }

  function onResizeStart(event: PointerEvent<HTMLDivElement>, p: Placed): void {
    event.preventDefault();
    event.stopPropagation();
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const startX = event.clientX;
    const startWidth = p.width;
    const move = (e: globalThis.PointerEvent): void =>
      onResize(p.column.id, startWidth + e.clientX - startX);
    const up = (): void => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  }

  function dropSide(event: DragEvent<HTMLElement>): 'before' | 'after' {
    const rect = event.currentTarget.getBoundingClientRect();
    return event.clientX < rect.left + rect.width / 2 ? 'before' : 'after';
  }

  const sortIndex = new Map(sort.map((key, i) => [key.column, i]));

  return (
    <div
      className={`run-table${dimmed ? ' stale' : ''}`}
      aria-busy={pages.stale || waiting}
      ref={scrollRef}
      tabIndex={0}
      onKeyDown={onKeyDown}
      role="grid"
      aria-rowcount={total + 1}
      aria-multiselectable="true"
      aria-label="Runs"
      data-testid="run-table"
    >
      <div className="run-table-inner" style={{ width: totalWidth }}>
        <div className="run-header" role="row" style={{ gridTemplateColumns }}>
          <div role="columnheader" className="run-header-cell select-cell">
            <SelectBox
              checked={total > 0 && selected === total}
              indeterminate={selected > 0 && selected < total}
              label="Select all listed runs"
              testId="select-all"
              onToggle={() => {
                scrollRef.current?.focus({ preventScroll: true });
                onSelectionChange(
                  selected > 0 && selected === total ? emptySelection : selectAll(selection),
                );
              }}
            />
          </div>
          {placed.map((p) => {
            const { column } = p;
            const at = sortIndex.get(column.id);
            const key = at === undefined ? undefined : sort[at];
            const drop = dropTarget?.id === column.id ? ` drop-${dropTarget.side}` : '';
            return (
              <div
                key={column.id}
                role="columnheader"
                data-testid="column-header"
                data-column={column.id}
                aria-sort={
                  key === undefined || at !== 0 ? 'none' : key.desc ? 'descending' : 'ascending'
                }
                className={`run-header-cell${column.numeric ? ' numeric' : ''}${p.stickyLeft !== null ? ' pinned' : ''}${drop}`}
                style={stickyStyle(p)}
                onDragOver={(event) => {
                  if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
                  event.preventDefault();
                  const side = dropSide(event);
                  if (dropTarget?.id !== column.id || dropTarget.side !== side) {
                    setDropTarget({ id: column.id, side });
                  }
                }}
                onDragLeave={() => setDropTarget(null)}
                onDrop={(event) => {
                  const dragged = event.dataTransfer.getData(DRAG_TYPE);
                  setDropTarget(null);
                  if (dragged === '' || dragged === column.id) return;
                  event.preventDefault();
                  onMoveColumn(dragged, column.id, dropSide(event));
                }}
              >
                <button
                  type="button"
                  className="header-sort"
                  data-testid="column-sort"
                  draggable
                  title={`${column.title}\nClick to sort, shift-click to add as next sort key; drag to move.`}
                  onDragStart={(event) => {
                    event.dataTransfer.setData(DRAG_TYPE, column.id);
                    event.dataTransfer.effectAllowed = 'move';
                  }}
                  onDragEnd={() => setDropTarget(null)}
                  onClick={(event) => onSortClick(column.id, event.shiftKey)}
                >
                  <span className="header-label">{column.header}</span>
                  {key !== undefined && (
                    <span className="sort-indicator" aria-hidden="true">
                      {key.desc ? '▼' : '▲'}
                      {sort.length > 1 ? (at ?? 0) + 1 : ''}
                    </span>
                  )}
                </button>
                <button
                  type="button"
                  className={`header-menu${filtered.has(column.id) ? ' active' : ''}`}
                  data-testid="column-menu-button"
                  aria-label={`Filter and options for ${column.header}`}
                  title={
                    filtered.has(column.id) ? 'Filtered: edit the condition' : 'Filter, pin, move'
                  }
                  onClick={(event) =>
                    onColumnMenu(column.id, event.currentTarget.getBoundingClientRect())
                  }
                >
                  <FunnelIcon filled={filtered.has(column.id)} />
                </button>
                <div
                  className="resize-handle"
                  data-testid="column-resize"
                  aria-hidden="true"
                  onPointerDown={(event) => onResizeStart(event, p)}
                  onClick={(event) => event.stopPropagation()}
                />
              </div>
            );
          })}
        </div>
        {pages.total === 0 ? (
          <div className="empty-state">{empty}</div>
        ) : (
          <div
            className="run-body"
            style={{ height: virtualizer.getTotalSize() }}
            aria-owns={items.map((item) => rowDomId(item.index)).join(' ')}
          >
            {slotted.map((item) => {
              const row = pages.rowAt(item.index);
              const key = row === undefined ? null : runKeyString(row);
              return (
                <RunRow
                  // By place on screen, not by run nor by index: a sort, a page arriving for a
                  // placeholder or a scroll (a fling brings a whole screen of new rows every
                  // frame) gives the row elements already there other runs, updated in place
                  // instead of rows torn down and built anew (most of a sort's and a fling's
                  // time in the window). Rows that stay on screen keep their slot.
                  key={rowSlot(item.index)}
                  domId={rowDomId(item.index)}
                  row={row}
                  index={item.index}
                  start={item.start - HEADER_HEIGHT}
                  placed={placed}
                  selected={key !== null && isSelected(selection, key)}
                  focused={selection.focus === item.index}
                  formats={formats}
                  onRowClick={stableRowClick}
                  onBoxClick={stableBoxClick}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
