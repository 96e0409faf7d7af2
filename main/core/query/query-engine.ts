import type { Database } from 'better-sqlite3';
import type { JsonValue, QueryResult, QueryRow } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import {
  DEFAULT_SORT,
  canonicalStatuses,
  checkColumnPath,
  describeFilterError,
  filterTooDeepMessage,
  filterTreeTooDeep,
  formatColumnPath,
  formatFilter,
  normalizeFilter,
  parseColumnId,
  parseFilter,
} from '../../../shared/filter';
import type { ColumnPath, FilterNode, SortSpec } from '../../../shared/filter';
import type { Column } from './column';
import { StaleSegmentError } from './column-loaders';
import { buildColumnOrder, keptPositions, layoutFits, orderOf, runLayout } from './column-order';
import type { ColumnOrder, RunLayout } from './column-order';
import { hasSortRank, sortRankOf } from './column-sort-rank';
import { deadColumn, isDeadAt } from './dead-column';
import { evaluateFilter } from './evaluate-filter';
import { sharedRanks } from './shared-ranks';
import { RunIndex } from './run-index';
import { fillSortKey, newSortKey, sortByKeys } from './sort-rows';
import type { SortKey } from './sort-rows';
import type { SourceSegment } from './source-segment';
import type { ColumnToLoad } from './sliced-column-load';
import { StoredColumnOrders } from './stored-column-orders';
import {
  checksOutInFull,
  positionsRead,
  sampledPairs,
  structureChecksOut,
  valuesCheckOut,
} from './stored-order-check';
import type { PositionValues, StoredOrder } from './stored-order-check';
import { pageReadable } from './page-column';

export interface RunQuery {
  sources?: string[] | undefined;
  where?: string | FilterNode | undefined;
  sort?: SortSpec[] | undefined;
}

/** Page reads of a column in a segment after which a page loads it whole (wholeInstead). */
export const PAGE_READS_BEFORE_WHOLE = 8;
/** Whole column loads one page may do instead of page reads (~10 ms each at 10k runs). */
export const WHOLE_LOADS_PER_PAGE = 2;

/**
 * Columns a page read for its runs alone (see QueryEngine.pageColumns): per segment (by its
 * index in the order's segments), the read column of each id, and each row's slot in them.
 */
export interface PageColumns {
  columns: Map<number, Map<string, Column>>;
  slots: Map<number, Map<number, number>>;
}

export interface ResolvedColumn {
  id: string;
  path: ColumnPath;
}

/** The runs matching a query, in order: candidate k is row rows[order[k]] of segments[seg[..]]. */
export interface OrderedRuns {
  /** Runs matching (the length of `order`). */
  total: number;
  segments: SourceSegment[];
  segOf: Uint16Array;
  rowOf: Uint32Array;
  order: Uint32Array;
  nowMs: number;
}

const CACHED_ORDERS = 8;
/** Columns whose sort key (column-order.ts) is kept: ~410 KB each at 100k runs. */
const SORTED_COLUMNS = 24;
/**
 * Sort keys of the columns a query showed are built in steps of at most one segment's radix
 * sort, each once the engine has had no query for this long: a click on a column's header
 * then finds its sort key ready, and a scrolling table's page queries are not held up.
 */
const IDLE_MS = 30;

/**
 * Answers run-table queries from columns in memory (see run-index.ts). The order of a query
 * is kept, so paging through it (a scrolling table) costs only the page.
 */
export class QueryEngine {
  readonly index: RunIndex;
  private readonly orders = new Map<string, OrderedRuns>();
  /** Per column id, its sort key over the current layout (see column-order.ts). */
  private readonly columnOrders = new Map<string, ColumnOrder>();
  private layout: RunLayout | null = null;
  private readonly rankCache = new Map<string, { columns: Column[]; ranks: Int32Array[] }>();
  /** Column ids whose sort keys are to be built in idle time, with the segments to use. */
  private readonly toPrepare = new Map<string, { segments: SourceSegment[]; path: ColumnPath }>();
  private preparing: ReturnType<typeof setTimeout> | null = null;
  private lastQueryAt = 0;
  /** Sort keys kept in the cache file across restarts (null: not kept). */
  private readonly stored: StoredColumnOrders | null;
  /** Off once the benchmarks forget the sort keys: they time a key built again. */
  private readStored = true;
  /** Keys built and not stored yet, written in idle time (after the keys to prepare). */
  private readonly toSave = new Map<string, { segments: SourceSegment[]; order: ColumnOrder }>();
  /**
   * How sort keys came to be (tests and the benchmark look): built in idle time or on demand,
   * or read from the cache file (`stored`; `storedUnloaded` of them before their column was
   * loaded, checked on sampled runs); `rejected`: stored keys that failed a check, on reading
   * or once their column loaded; `saved`: keys written to it; `loadedIdle`: whole columns (of
   * one segment) loaded in idle time after a page read them for its runs alone.
   */
  readonly sortKeyCounts = {
    prepared: 0,
    onDemand: 0,
    stored: 0,
    storedUnloaded: 0,
    rejected: 0,
    saved: 0,
    loadedIdle: 0,
  };
  /** Per layout, the columns whose stored key idle time tried to read before loading them. */
  private readonly storedTried = new WeakMap<RunLayout, Set<string>>();
  /** How many pages read each column for their runs alone, per segment (see wholeInstead). */
  private readonly pageReads = new WeakMap<SourceSegment, Map<string, number>>();
  private wholeLoadsThisPage = 0;

  constructor(
    db: Database,
    private readonly now: () => number,
    /** How many query orders to keep for paging (0: none; the benchmark measures raw work). */
    private readonly cachedOrders = CACHED_ORDERS,
    /** Build the sort keys of shown columns in idle time (off in tests that count builds). */
    private readonly prepareSortKeys = true,
    /** Keep sort keys in the cache file, so that a restart reads them (stored-column-orders.ts). */
    storeSortKeys = true,
  ) {
    this.index = new RunIndex(db);
    this.stored = storeSortKeys ? new StoredColumnOrders(db) : null;
  }

  query(
    args: RunQuery & { columns?: string[] | undefined; offset?: number; limit?: number },
  ): QueryResult {
    const started = performance.now();
    const columns = (args.columns ?? []).map(resolveColumn);
    const offset = args.offset ?? 0;
    const limit = args.limit ?? 100;
    return this.retryingStale(() => {
      const ordered = this.ordered(args);
      const end = Math.min(ordered.order.length, offset + limit);
      const page = this.pageColumns(ordered, offset, end, columns);
      const rows: QueryRow[] = [];
      for (let k = offset; k < end; k++) rows.push(this.row(ordered, k, columns, page));
      this.lastQueryAt = performance.now();
      if (this.prepareSortKeys) this.prepareLater(ordered.segments, columns);
      return {
        rows,
        total: ordered.total,
        columns: columns.map((column) => column.id),
        elapsedMs: performance.now() - started,
      };
    });
  }

  /**
   * Forgets every kept query order and dictionary rank: the next query filters and sorts
   * afresh. What stays is what belongs to the loaded columns: the columns and their sort keys
   * (column-order.ts), so a recomputed single-column sort is one pass over the key. Only the
   * benchmarks call it, to time a recomputed sort.
   */
  forgetOrders(): void {
    this.orders.clear();
    this.rankCache.clear();
  }

  /**
   * Forgets the loaded columns' sort keys too (what a sync that rewrote a column's values
   * costs its next sort); the benchmarks time it beside forgetOrders.
   */
  forgetSortKeys(): void {
    this.forgetOrders();
    this.columnOrders.clear();
    this.layout = null;
    // Such a sync moves the source's version: the keys stored in the cache are not used either.
    this.readStored = false;
  }

  /** The ordered matches of a query (cached per sources, versions, filter and sort). */
  ordered(query: RunQuery): OrderedRuns {
    return this.retryingStale(() => this.computeOrder(query));
  }

  /**
   * One row with the values of `columns`, JSON-safe; a missing value has no key. A column of
   * `page` (see pageColumns) gives its value from the page's read, else the whole column does.
   */
  row(
    ordered: OrderedRuns,
    k: number,
    columns: readonly ResolvedColumn[],
    page: PageColumns | null = null,
  ): QueryRow {
    const position = ordered.order[k] as number;
    const s = ordered.segOf[position] as number;
    const segment = ordered.segments[s] as SourceSegment;
    const row = ordered.rowOf[position] as number;
    const values: Record<string, JsonValue> = {};
    for (const column of columns) {
      const read = page?.columns.get(s)?.get(column.id);
      const value =
        column.id === 'dead'
          ? isDeadAt(segment, row, ordered.nowMs)
          : read !== undefined
            ? read.jsonValue(page?.slots.get(s)?.get(row) as number)
            : this.index.column(segment, column.id, column.path).jsonValue(row);
      if (value !== undefined) values[column.id] = value as JsonValue;
    }
    return {
      source: segment.source,
      id: segment.ids[row] as string,
      status: segment.status.dict[segment.status.code(row)] as string,
      probablyDead: isDeadAt(segment, row, ordered.nowMs),
      values,
    };
  }

  /**
   * The shown columns a page reads for its runs alone: those not loaded in a segment (no
   * filter or sort used them), which a restarted window asks for with its first page. A whole
   * column is read for every run of its source (~100 ms per column at 100k runs, and a page
   * shows ~9), and the sort a click asks meanwhile waited behind them; the page's runs are
   * a few index lookups. The whole columns are then loaded in idle time (prepareStep), so a
   * later sort or filter by them still finds them; once loaded they are used directly.
   */
  private pageColumns(
    ordered: OrderedRuns,
    offset: number,
    end: number,
    columns: readonly ResolvedColumn[],
  ): PageColumns | null {
    const shown = columns.filter((column) => column.id !== 'dead');
    if (shown.length === 0 || end <= offset) return null;
    const rowsOf = new Map<number, number[]>();
    for (let k = offset; k < end; k++) {
      const position = ordered.order[k] as number;
      const s = ordered.segOf[position] as number;
      let rows = rowsOf.get(s);
      if (rows === undefined) rowsOf.set(s, (rows = []));
      rows.push(ordered.rowOf[position] as number);
    }
    const page: PageColumns = { slots: new Map(), columns: new Map() };
    this.wholeLoadsThisPage = 0;
    for (const [s, rows] of rowsOf) {
      const segment = ordered.segments[s] as SourceSegment;
      const read = new Map<string, Column>();
      for (const column of shown) {
        if (segment.columns.has(column.id)) continue;
        if (this.wholeInstead(segment, column)) continue;
        const values = this.index.pageColumn(segment, column.path, rows);
        if (values !== null) read.set(column.id, values);
      }
      if (read.size === 0) continue;
      page.columns.set(s, read);
      page.slots.set(s, new Map(rows.map((row, slot) => [row, slot])));
    }
    return page.columns.size === 0 ? null : page;
  }

  /**
   * Whether a page loads this column whole in `segment` now instead of reading it for its
   * runs: once pages have read it PAGE_READS_BEFORE_WHOLE times there. The idle-time load
   * never comes while the table is scrolled (each page resets the idle clock), and a fling
   * asks ~10 pages a second, each spanning every source: reading ~9 columns × every segment
   * per page kept the serve thread busy for seconds (pages answered 5 s late, 70 % of a
   * fling's frames placeholders, against 100 ms once per column and segment). At most
   * WHOLE_LOADS_PER_PAGE a page, so no single page pays for them all.
   */
  private wholeInstead(segment: SourceSegment, column: ResolvedColumn): boolean {
    let reads = this.pageReads.get(segment);
    if (reads === undefined) this.pageReads.set(segment, (reads = new Map()));
    const count = (reads.get(column.id) ?? 0) + 1;
    reads.set(column.id, count);
    if (count <= PAGE_READS_BEFORE_WHOLE || this.wholeLoadsThisPage >= WHOLE_LOADS_PER_PAGE) {
      return false;
    }
    this.wholeLoadsThisPage++;
    this.index.column(segment, column.id, column.path);
    return true;
  }

  /** The raw value of one column for the run at position k of an ordered result. */
  value(ordered: OrderedRuns, k: number, column: ResolvedColumn): unknown {
    const position = ordered.order[k] as number;
    const segment = ordered.segments[ordered.segOf[position] as number] as SourceSegment;
    const row = ordered.rowOf[position] as number;
    if (column.id === 'dead') return isDeadAt(segment, row, ordered.nowMs);
    return this.index.column(segment, column.id, column.path).jsonValue(row);
  }

  /** Column getter for filters over one segment; `dead` is computed at `nowMs`. */
  getter(segment: SourceSegment, nowMs: number): (path: ColumnPath) => Column {
    let dead: Column | null = null;
    return (path) => {
      if (path.length === 1 && path[0] === 'dead') return (dead ??= deadColumn(segment, nowMs));
      return this.index.column(segment, formatColumnPath(path), path);
    };
  }

  /**
   * The filter of a query over these segments: parsed, with status values spelled as the
   * statuses they name (`completed` → COMPLETED); an unknown status is INVALID_ARGUMENT.
   */
  resolveWhere(
    where: string | FilterNode | undefined,
    segments: readonly SourceSegment[],
  ): FilterNode | null {
    const node = resolveWhere(where);
    if (node === null) return null;
    const seen = new Set<string>();
    for (const segment of segments) for (const status of segment.status.dict) seen.add(status);
    const checked = canonicalStatuses(node, seen);
    if (!checked.ok) throw new AltarError('INVALID_ARGUMENT', `where: ${checked.message}`);
    return checked.node;
  }

  resolveSources(sources: readonly string[] | undefined): string[] {
    const known = this.index.sourceNames();
    if (sources === undefined) return known;
    const set = new Set(known);
    for (const name of sources) {
      if (!set.has(name)) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    }
    return [...new Set(sources)].sort();
  }

  private computeOrder(query: RunQuery): OrderedRuns {
    const sources = this.resolveSources(query.sources);
    const sort = (query.sort ?? DEFAULT_SORT).map((spec) => ({
      ...resolveColumn(spec.column),
      desc: spec.desc === true,
    }));
    const versions = this.index.versions();
    const segments = this.index.segmentsOf(sources, versions);
    const where = this.resolveWhere(query.where, segments);
    const usesClock = (where !== null && usesDead(where)) || sort.some((s) => s.id === 'dead');
    const nowMs = this.now();
    const key = JSON.stringify([
      sources.map((name) => [name, versions.get(name) ?? 0]),
      where === null ? '' : formatFilter(where),
      sort.map((s) => [s.id, s.desc]),
      usesClock ? nowMs : 0,
    ]);
    const cached = this.orders.get(key);
    if (cached !== undefined) {
      this.orders.delete(key);
      this.orders.set(key, cached);
      return cached;
    }
    let total = 0;
    const masks = segments.map((segment) => {
      const mask =
        where === null ? null : evaluateFilter(where, segment.length, this.getter(segment, nowMs));
      let count = segment.length;
      if (mask !== null) {
        count = 0;
        for (let i = 0; i < mask.length; i++) count += mask[i] as number;
      }
      total += count;
      return mask;
    });
    const single = sort.length === 1 && sort[0]?.id !== 'dead' ? (sort[0] ?? null) : null;
    let ordered: OrderedRuns;
    if (single !== null) {
      // One sort column: its sort key orders every run (kept with the column), the filter
      // picks from that order. A stable sort of a subset keeps the subset in the same order.
      const sorted = this.columnOrderOf(segments, single, 'onDemand');
      const keep = masks.some((mask) => mask !== null) ? keptPositions(sorted.layout, masks) : null;
      const order = orderOf(sorted, single.desc, keep, total);
      const { segOf, rowOf } = sorted.layout;
      ordered = { total, segments, segOf, rowOf, order, nowMs };
    } else {
      const { segOf, rowOf } = candidates(segments, masks, total);
      const keys = sort.map((spec) => this.sortKey(segments, segOf, rowOf, spec, nowMs));
      const order = sortByKeys(keys, total);
      ordered = { total, segments, segOf, rowOf, order, nowMs };
    }
    this.orders.set(key, ordered);
    while (this.orders.size > this.cachedOrders) {
      const oldest = this.orders.keys().next().value;
      if (oldest === undefined) break;
      this.orders.delete(oldest);
    }
    return ordered;
  }

  /**
   * The sort key of one column over the segments' runs, kept while the column of every
   * segment and every segment's default order stay the same objects: a sync that changes
   * none of this column's values (or another source) keeps it, one that does builds it anew.
   * A key the cache file keeps is used before the column is loaded (the first sort after a
   * restart: its page then reads the column for its runs alone).
   */
  private columnOrderOf(
    segments: SourceSegment[],
    spec: ResolvedColumn,
    why: 'onDemand' | 'prepared',
  ): ColumnOrder {
    const kept = this.keptOrder(spec.id, segments);
    if (kept !== null) {
      this.keepOrder(spec.id, kept);
      return kept;
    }
    if (segments.some((segment) => !segment.columns.has(spec.id))) {
      const stored = this.storedOrderUnloaded(spec, segments);
      if (stored !== null) return stored;
    }
    const columns = segments.map((segment) => this.index.column(segment, spec.id, spec.path));
    const layout = this.layoutOf(segments);
    const stored = this.storedOrder(spec.id, segments, columns);
    if (stored !== null) return stored;
    const built = buildColumnOrder(layout, columns);
    this.sortKeyCounts[why]++;
    this.keepOrder(spec.id, built);
    if (this.stored !== null) {
      this.toSave.set(spec.id, { segments, order: built });
      this.schedulePreparation(IDLE_MS);
    }
    return built;
  }

  private layoutOf(segments: readonly SourceSegment[]): RunLayout {
    if (this.layout === null || !layoutFits(this.layout, segments)) {
      this.layout = runLayout(segments);
    }
    return this.layout;
  }

  private keepOrder(id: string, order: ColumnOrder): void {
    this.columnOrders.delete(id);
    this.columnOrders.set(id, order);
    while (this.columnOrders.size > SORTED_COLUMNS) {
      const oldest = this.columnOrders.keys().next().value;
      if (oldest === undefined) break;
      this.columnOrders.delete(oldest);
    }
  }

  /**
   * The column's sort key as the cache file keeps it from an earlier start (or another
   * engine), if stored for these segments as they are now and its values check out against
   * the loaded columns; kept as if built here.
   */
  private storedOrder(
    id: string,
    segments: readonly SourceSegment[],
    columns: readonly Column[],
  ): ColumnOrder | null {
    const read = this.readStoredOrder(id, segments);
    if (read === null) return null;
    const layout = this.layoutOf(segments);
    const order: ColumnOrder = { ...read, columns, unloaded: columns.map(() => null), layout };
    if (!checksOutInFull(order)) {
      this.rejectStored(id, segments);
      return null;
    }
    this.sortKeyCounts.stored++;
    this.keepOrder(id, order);
    return order;
  }

  /**
   * The column's stored sort key (as storedOrder) while the column is not loaded in some
   * segments: its values are checked on sampled pairs of neighbours (stored-order-check.ts),
   * those runs read alone (page-column.ts), instead of loading every run of the column (~100
   * ms per source at 100k runs, what a restart's first sort used to wait for). The key is
   * checked in full once the column is loaded (keptOrder). Null when none is stored, the
   * sample does not check out, or the column has no such reads.
   */
  private storedOrderUnloaded(
    spec: ResolvedColumn,
    segments: readonly SourceSegment[],
  ): ColumnOrder | null {
    if (!pageReadable(spec.path)) return null;
    const read = this.readStoredOrder(spec.id, segments);
    if (read === null) return null;
    const layout = this.layoutOf(segments);
    const { segOf, rowOf } = layout;
    const loaded = segments.map((segment) => segment.columns.get(spec.id) ?? null);
    const pairs = sampledPairs(read.ascending.length);
    const rowsOf = new Map<number, number[]>();
    for (const p of positionsRead(read, pairs)) {
      const s = segOf[p] as number;
      if (loaded[s] !== null) continue;
      let rows = rowsOf.get(s);
      if (rows === undefined) rowsOf.set(s, (rows = []));
      rows.push(rowOf[p] as number);
    }
    const pages = new Map<number, { column: Column; slots: Map<number, number> }>();
    for (const [s, rows] of rowsOf) {
      const column = this.index.pageColumn(segments[s] as SourceSegment, spec.path, rows);
      if (column === null) return null;
      pages.set(s, { column, slots: new Map(rows.map((row, slot) => [row, slot])) });
    }
    const values: PositionValues = {
      column: (p) => {
        const s = segOf[p] as number;
        return loaded[s] ?? pages.get(s)?.column ?? null;
      },
      row: (p) => {
        const s = segOf[p] as number;
        const row = rowOf[p] as number;
        return loaded[s] !== null ? row : (pages.get(s)?.slots.get(row) ?? -1);
      },
    };
    if (!valuesCheckOut(read, pairs, values)) {
      this.rejectStored(spec.id, segments);
      return null;
    }
    const unloaded = segments.map((segment, s) => (loaded[s] === null ? segment : null));
    const order: ColumnOrder = { ...read, columns: loaded, unloaded, layout };
    this.sortKeyCounts.stored++;
    this.sortKeyCounts.storedUnloaded++;
    this.keepOrder(spec.id, order);
    return order;
  }

  /** A stored key failed a check: counted, and removed from the cache file. */
  private rejectStored(id: string, segments: readonly SourceSegment[]): void {
    this.sortKeyCounts.rejected++;
    this.stored?.discard(id, segments);
  }

  /** The stored key of a column over these segments, its structure checked (no values). */
  private readStoredOrder(id: string, segments: readonly SourceSegment[]): StoredOrder | null {
    if (this.stored === null || !this.readStored) return null;
    const n = this.layoutOf(segments).rowOf.length;
    const read = this.stored.read(id, segments, n);
    if (read === null || structureChecksOut(read, n)) return read;
    this.rejectStored(id, segments);
    return null;
  }

  /**
   * The kept sort key of a column, if made from the segments' very columns and default
   * orders (a key read before its column loaded: from the very segments). Such a key is
   * checked in full once every segment has the column loaded (with `check`; a few ms at 100k
   * runs): one that fails is dropped with the orders made from it, and built again.
   */
  private keptOrder(
    id: string,
    segments: readonly SourceSegment[],
    check = true,
  ): ColumnOrder | null {
    const kept = this.columnOrders.get(id);
    if (
      kept === undefined ||
      !layoutFits(kept.layout, segments) ||
      kept.columns.length !== segments.length
    ) {
      return null;
    }
    const columns = segments.map((segment) => segment.columns.get(id) ?? null);
    const fits = kept.columns.every((column, s) =>
      column === null ? kept.unloaded[s] === segments[s] : column === columns[s],
    );
    if (!fits) return null;
    if (!check || !kept.columns.includes(null) || columns.includes(null)) return kept;
    const full: ColumnOrder = { ...kept, columns, unloaded: columns.map(() => null) };
    if (!checksOutInFull(full)) {
      this.rejectStored(id, segments);
      this.columnOrders.delete(id);
      // The orders kept for paging may come from it: the next page sorts again.
      this.orders.clear();
      return null;
    }
    this.columnOrders.set(id, full);
    return full;
  }

  /**
   * Queues the shown columns whose sort key is not kept, to be built in idle time (see
   * IDLE_MS): the first click on their header is then a pass over a kept key.
   */
  private prepareLater(segments: SourceSegment[], columns: readonly ResolvedColumn[]): void {
    const added = new Map<string, { segments: SourceSegment[]; path: ColumnPath }>();
    for (const column of columns) {
      if (column.id === 'dead') continue;
      // A key read before its column loaded is kept too: the column is still loaded (for
      // filters, and to check the key in full).
      const kept = this.keptOrder(column.id, segments, false);
      if (kept !== null && !kept.columns.includes(null)) continue;
      if (this.toPrepare.has(column.id))
        this.toPrepare.set(column.id, { segments, path: column.path });
      else added.set(column.id, { segments, path: column.path });
    }
    if (added.size > 0) {
      // A column the table has just added goes first: it is the one the user looks at and
      // the likeliest next click, while the start's columns may still be queued (~20 keys
      // take seconds on a loaded machine; its sort then waited for a key built on demand).
      const queued = [...this.toPrepare];
      this.toPrepare.clear();
      for (const [id, entry] of [...added, ...queued]) this.toPrepare.set(id, entry);
    }
    this.schedulePreparation(IDLE_MS);
  }

  private schedulePreparation(delayMs: number): void {
    if (this.preparing !== null || (this.toPrepare.size === 0 && this.toSave.size === 0)) return;
    this.preparing = setTimeout(() => {
      this.preparing = null;
      this.prepareStep();
    }, delayMs);
    // Never what keeps a process (the CLI) alive.
    this.preparing.unref?.();
  }

  /**
   * One step of the idle-time build: a stored key read, a slice of a column loaded, one
   * segment's ranks, or the merged key.
   */
  private prepareStep(): void {
    const idleFor = performance.now() - this.lastQueryAt;
    if (idleFor < IDLE_MS) {
      this.schedulePreparation(IDLE_MS - idleFor);
      return;
    }
    // A key just built is written first (one write, ms): the app may be closed soon after.
    if (this.saveStep() || this.storedStep()) {
      this.schedulePreparation(0);
      return;
    }
    const next = this.toPrepare.entries().next().value;
    if (next === undefined) return;
    const [id, { segments, path }] = next;
    try {
      const unloaded = segments.find((segment) => !segment.columns.has(id));
      if (unloaded !== undefined) {
        // A column a page read for its runs alone (pageColumns): loaded whole, a slice of one
        // segment a step, so a later sort or filter by it finds it. A segment a sync replaced
        // or is writing is left alone: the next query shows the column from the new one and
        // queues it again.
        if (!this.index.isUpToDate(unloaded)) this.toPrepare.delete(id);
        else {
          this.sortKeyCounts.loadedIdle += this.index.loadColumnSlice(
            unloaded,
            id,
            path,
            this.keptOrder(id, segments, false) === null ? [] : this.queuedUnloaded(unloaded, id),
          );
        }
      } else if (this.keptOrder(id, segments) !== null) {
        // A query built the key meanwhile, or it was read before the column loaded.
        this.toPrepare.delete(id);
      } else {
        const columns = segments.map((segment) => segment.columns.get(id) as Column);
        if (
          // The first step for this column: a key stored by an earlier start is read instead.
          columns.every((column) => !hasSortRank(column)) &&
          this.storedOrder(id, segments, columns) !== null
        ) {
          this.toPrepare.delete(id);
        } else {
          const unranked = columns.find((column) => !hasSortRank(column));
          if (unranked !== undefined) sortRankOf(unranked);
          else {
            this.toPrepare.delete(id);
            this.columnOrderOf(segments, { id, path }, 'prepared');
          }
        }
      }
    } catch {
      // A column that cannot be read now (a source being replaced): the click will say.
      this.toPrepare.delete(id);
    }
    this.schedulePreparation(0);
  }

  /**
   * The other queued columns not loaded in `segment` yet, which a column's idle load reads in
   * the same pass when they share its JSON root (sliced-column-load.ts): the restarted
   * table's columns, whose stored keys idle time read first (storedStep). A column without a
   * key kept loads alone: its key, built once it loads, is what the next click needs (the
   * column just added, or shown by the picker's first open), and a pass of five columns takes
   * ~1.7× one column's.
   */
  private queuedUnloaded(segment: SourceSegment, id: string): ColumnToLoad[] {
    const out: ColumnToLoad[] = [];
    for (const [other, { segments, path }] of this.toPrepare) {
      if (other !== id && segments.includes(segment) && !segment.columns.has(other))
        out.push({ id: other, path });
    }
    return out;
  }

  /**
   * Reads, before the column loads, the stored key of one queued column not loaded yet (a
   * few run reads; see storedOrderUnloaded), once per column and layout: a click on it
   * while the whole columns load finds its key. False when none was left to try.
   */
  private storedStep(): boolean {
    for (const [id, { segments, path }] of this.toPrepare) {
      if (segments.every((segment) => segment.columns.has(id))) continue;
      if (!segments.every((segment) => this.index.isUpToDate(segment))) continue;
      if (this.keptOrder(id, segments, false) !== null) continue;
      const layout = this.layoutOf(segments);
      let tried = this.storedTried.get(layout);
      if (tried === undefined) this.storedTried.set(layout, (tried = new Set()));
      if (tried.has(id)) continue;
      tried.add(id);
      try {
        this.storedOrderUnloaded({ id, path }, segments);
      } catch {
        // A run gone under the read (another process wrote): the next query loads anew.
      }
      return true;
    }
    return false;
  }

  /**
   * Writes one built key to the cache file, if it is still the one kept for its column;
   * false when none was waiting.
   */
  private saveStep(): boolean {
    const next = this.toSave.entries().next().value;
    if (next === undefined || this.stored === null) return false;
    const [id, { segments, order }] = next;
    this.toSave.delete(id);
    if (this.columnOrders.get(id) !== order) return true;
    if (this.stored.save(id, segments, order)) this.sortKeyCounts.saved++;
    return true;
  }

  /** The sort key of one column for candidates grouped by segment (segOf ascending). */
  private sortKey(
    segments: SourceSegment[],
    segOf: Uint16Array,
    rowOf: Uint32Array,
    spec: ResolvedColumn & { desc: boolean },
    nowMs: number,
  ): SortKey {
    const total = segOf.length;
    const key = newSortKey(total);
    const columns = segments.map((segment) =>
      spec.id === 'dead'
        ? deadColumn(segment, nowMs)
        : this.index.column(segment, spec.id, spec.path),
    );
    const ranks = this.ranksOf(spec.id, columns);
    let from = 0;
    segments.forEach((_, s) => {
      let count = 0;
      while (from + count < total && segOf[from + count] === s) count++;
      const rows = rowOf.subarray(from, from + count);
      fillSortKey(key, from, columns[s] as Column, rows, count, spec.desc, ranks[s] ?? null);
      from += count;
    });
    return key;
  }

  /** Ranks shared by the columns of one sort, kept while the same columns are sorted again. */
  private ranksOf(id: string, columns: Column[]): Int32Array[] {
    const cached = this.rankCache.get(id);
    if (
      cached !== undefined &&
      cached.columns.length === columns.length &&
      cached.columns.every((column, i) => column === columns[i])
    ) {
      return cached.ranks;
    }
    const ranks = sharedRanks(columns);
    this.rankCache.set(id, { columns, ranks });
    if (this.rankCache.size > 64) {
      const oldest = this.rankCache.keys().next().value;
      if (oldest !== undefined) this.rankCache.delete(oldest);
    }
    return ranks;
  }

  /** Another process wrote while a column was read: rebuild from the new rows, once. */
  private retryingStale<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof StaleSegmentError)) throw error;
      this.orders.clear();
      this.toPrepare.clear();
      return work();
    }
  }
}

/** A column id → its path, or INVALID_ARGUMENT with the reason. */
export function resolveColumn(id: string): ResolvedColumn {
  const parsed = parseColumnId(id);
  if (!parsed.ok) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `column "${id}": ${describeFilterError(parsed.error)}`,
    );
  }
  const problem = checkColumnPath(parsed.path);
  if (problem !== null) throw new AltarError('INVALID_ARGUMENT', `column "${id}": ${problem}`);
  if (parsed.path.length === 1 && parsed.path[0] === 'text') {
    throw new AltarError('INVALID_ARGUMENT', '"text" is the free-text search, not a column');
  }
  return { id: formatColumnPath(parsed.path), path: parsed.path };
}

export function resolveWhere(where: string | FilterNode | undefined): FilterNode | null {
  if (where === undefined) return null;
  if (typeof where !== 'string') {
    if (filterTreeTooDeep(where)) {
      throw new AltarError('INVALID_ARGUMENT', `where: ${filterTooDeepMessage()}`);
    }
    return normalizeFilter(where);
  }
  const parsed = parseFilter(where);
  if (!parsed.ok) {
    throw new AltarError('INVALID_ARGUMENT', `where: ${describeFilterError(parsed.error)}`);
  }
  return normalizeFilter(parsed.ast);
}

function usesDead(node: FilterNode): boolean {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.items.some(usesDead);
    case 'not':
      return usesDead(node.item);
    case 'text':
      return false;
    default:
      return node.path.length === 1 && node.path[0] === 'dead';
  }
}

/** The rows passing the masks, source by source, each source in its default order. */
function candidates(
  segments: readonly SourceSegment[],
  masks: ReadonlyArray<Uint8Array | null>,
  total: number,
): { segOf: Uint16Array; rowOf: Uint32Array } {
  const segOf = new Uint16Array(total);
  const rowOf = new Uint32Array(total);
  let at = 0;
  segments.forEach((segment, s) => {
    const mask = masks[s] ?? null;
    for (let k = 0; k < segment.length; k++) {
      const row = segment.baseOrder[k] as number;
      if (mask !== null && mask[row] === 0) continue;
      segOf[at] = s;
      rowOf[at] = row;
      at++;
    }
  });
  return { segOf, rowOf };
}
