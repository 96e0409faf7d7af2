import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueryRow } from '../../../shared/contract';
import type { FilterNode } from '../../../shared/filter';
import type { SortKey } from '../model/column-layout';
import {
  PAGE_SIZE,
  lookaheadRange,
  pageOf,
  pageOverlaps,
  pagesAhead,
  pagesForRange,
  pagesToEvict,
} from '../model/page-window';
import { awaitedReplies } from '../model/awaited-replies';
import { useApi } from './use-api';
import { preloadPlotlyWhenIdle } from './use-plotly-figure';
import { useReportError } from './report-error-context';

export interface RunQuery {
  sources: string[] | null;
  where: FilterNode | null;
  sort: readonly SortKey[];
}

interface Page {
  rows: QueryRow[];
  /** The fetch key it was loaded under; an older key means "shown until refreshed". */
  key: string;
  queryKey: string;
}

export interface RunPages {
  /** Rows matching the query, null until the first page arrives. */
  total: number | null;
  /** The row at an index, if its page is loaded (possibly from before a refresh). */
  rowAt: (index: number) => QueryRow | undefined;
  /** Tells which rows are on screen; their pages are fetched when missing. */
  showRange: (start: number, end: number) => void;
  /** Rows `start..end` (inclusive) with the current columns, from memory or the core. */
  fetchRange: (start: number, end: number) => Promise<QueryRow[]>;
  /** Every row held in memory for the current query and columns, in result order. */
  loadedRows: () => QueryRow[];
  /** The same rows as the pages that hold them (each page's array stays the same object). */
  loadedPages: () => QueryRow[][];
  /** Changes whenever rows arrive, for memoized children. */
  version: number;
  /** Changes when the query (not the columns) changes: selection and scroll start over. */
  queryKey: string;
  /** The rows shown are still those of the previous query (the new one is on its way). */
  stale: boolean;
  /**
   * Asks the core for the first rows of `next` now, from the event that changes the query (a
   * click on a column's sort), rather than from the effect after the render that shows the
   * click: the request goes out before React renders, and the render's fetch finds it on its
   * way. Call it after setting the state that makes `next` the query.
   */
  requestQuery: (next: RunQuery) => void;
}

/** What a page is fetched for: a reply is kept only while it is still what the table shows. */
interface FetchTarget {
  fetchKey: string;
  queryKey: string;
  query: RunQuery;
  columns: readonly string[];
}

function fetchKeyOf(
  queryKey: string,
  columns: readonly string[],
  refreshToken: number,
  enabled: boolean,
): string {
  return `${queryKey}|${JSON.stringify(columns)}|${refreshToken}|${enabled}`;
}

function queryArgs(query: RunQuery): {
  sources?: string[];
  where?: FilterNode;
  sort: { column: string; desc: boolean }[];
} {
  return {
    ...(query.sources === null ? {} : { sources: query.sources }),
    ...(query.where === null ? {} : { where: query.where }),
    sort: query.sort.map((key) => ({ column: key.column, desc: key.desc })),
  };
}

/**
 * Windowed fetching for the run table: pages of PAGE_SIZE rows around the visible range are
 * asked from `queryRuns` (offset/limit), far pages are dropped. While the view moves, the
 * pages it is about to reach are asked too (lookaheadRange), so a fling meets loaded rows.
 * A refresh (`refreshToken`) or a column change re-fetches the visible pages but keeps
 * showing the old ones meanwhile, so the table never flashes empty.
 */
export function useRunPages(
  query: RunQuery,
  columns: readonly string[],
  refreshToken: number,
  /** False until the table knows what to show (the default view): nothing is fetched. */
  enabled = true,
): RunPages {
  const api = useApi();
  const reportError = useReportError();
  const queryKey = JSON.stringify(queryArgs(query));
  const fetchKey = fetchKeyOf(queryKey, columns, refreshToken, enabled);

  const pages = useRef(new Map<number, Page>());
  const inFlight = useRef(new Set<string>());
  const range = useRef<[number, number]>([0, 60]);
  /** Rows wanted ahead of a moving view (a fling), and when and where the view last moved. */
  const ahead = useRef<[number, number]>([0, 60]);
  const lastMove = useRef({ start: 0, at: 0 });
  const [total, setTotal] = useState<number | null>(null);
  const totalRef = useRef<number | null>(null);
  const [version, setVersion] = useState(0);
  // No "loading" state: each page asked and answered during a scroll would render the whole
  // table (and its toolbar) twice more for nothing any screen shows. Nor a "stale" one: rows
  // held from another query say it (below), and setting it in an effect rendered the whole
  // table a second time in a sort's click, before its request went out.
  const current = useRef({ queryKey, fetchKey, query, columns, enabled, refreshToken });
  current.current = { queryKey, fetchKey, query, columns, enabled, refreshToken };

  const loadPage = useCallback(
    (page: number, target: FetchTarget): void => {
      const { fetchKey: key, queryKey: qKey, query: q, columns: cols } = target;
      const flightKey = `${key}#${page}`;
      if (inFlight.current.has(flightKey)) return;
      inFlight.current.add(flightKey);
      // Rows on screen wait for it (a new query's first page, placeholders): idle-time work
      // holds until it comes. Pages asked ahead of a scroll do not hold it.
      const [start, end] = range.current;
      const came = pageOverlaps(page, start, end) ? awaitedReplies.awaitReply() : null;
      api
        .queryRuns({
          ...queryArgs(q),
          columns: [...cols],
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
        })
        .then(
          (result) => {
            if (current.current.fetchKey !== key) return;
            // The first answer to a new query replaces what the previous one left on screen.
            for (const [held, value] of pages.current) {
              if (value.queryKey !== qKey) pages.current.delete(held);
            }
            pages.current.set(page, { rows: result.rows, key, queryKey: qKey });
            totalRef.current = result.total;
            setTotal(result.total);
            const [start] = range.current;
            for (const drop of pagesToEvict(pages.current.keys(), pageOf(start).page)) {
              pages.current.delete(drop);
            }
            setVersion((v) => v + 1);
            // The first rows are in: the idle time until the user asks for a plot loads
            // plotly (not earlier, when that idle time is the wait for these rows).
            preloadPlotlyWhenIdle();
          },
          (error: unknown) => {
            if (current.current.fetchKey === key) reportError(error);
          },
        )
        .finally(() => {
          inFlight.current.delete(flightKey);
          came?.();
        });
    },
    [api, reportError],
  );

  /** Asks for the pages of the shown range (and ahead of it) that `target` does not hold. */
  const fetchShown = useCallback(
    (target: FetchTarget): void => {
      const [start, end] = range.current;
      const wanted = [
        ...pagesForRange(start, end, totalRef.current),
        ...pagesAhead(start, end, ahead.current, totalRef.current),
      ];
      for (const page of wanted) {
        const held = pages.current.get(page);
        if (held === undefined || held.key !== target.fetchKey) loadPage(page, target);
      }
    },
    [loadPage],
  );

  const ensure = useCallback((): void => {
    if (!current.current.enabled) return;
    fetchShown(current.current);
  }, [fetchShown]);

  // A new query starts at the top; until its first rows arrive the old ones stay on screen
  // (dimmed), so filtering never flashes an empty table. New columns or a refresh keep the
  // rows too and fill them in as pages come back.
  const startedQuery = useRef(queryKey);
  const startQuery = useCallback((key: string): void => {
    if (startedQuery.current === key) return;
    startedQuery.current = key;
    range.current = [0, Math.max(60, range.current[1] - range.current[0])];
    ahead.current = range.current;
  }, []);
  useEffect(() => startQuery(queryKey), [queryKey, startQuery]);

  const requestQuery = useCallback(
    (next: RunQuery): void => {
      const { columns: cols, enabled: on, refreshToken: token } = current.current;
      if (!on) return;
      const nextKey = JSON.stringify(queryArgs(next));
      if (nextKey === current.current.queryKey) return;
      // The range the render's effect would start the query with (the top), set now.
      startQuery(nextKey);
      fetchShown({
        fetchKey: fetchKeyOf(nextKey, cols, token, on),
        queryKey: nextKey,
        query: next,
        columns: cols,
      });
    },
    [fetchShown, startQuery],
  );

  useEffect(() => {
    ensure();
  }, [fetchKey, ensure]);

  const showRange = useCallback(
    (start: number, end: number): void => {
      const [oldStart, oldEnd] = range.current;
      range.current = [start, end];
      if (oldStart === start && oldEnd === end) return;
      const now = performance.now();
      ahead.current = lookaheadRange(start, end, lastMove.current.start, now - lastMove.current.at);
      lastMove.current = { start, at: now };
      ensure();
    },
    [ensure],
  );

  const rowAt = useCallback(
    (index: number): QueryRow | undefined => {
      const { page, offset } = pageOf(index);
      return pages.current.get(page)?.rows[offset];
    },
    // A new function when rows arrive, so memoized rows re-render.
    [version],
  );

  const fetchRange = useCallback(
    async (start: number, end: number): Promise<QueryRow[]> => {
      const key = current.current.fetchKey;
      const out: QueryRow[] = [];
      let complete = true;
      for (let index = start; index <= end; index++) {
        const { page, offset } = pageOf(index);
        const held = pages.current.get(page);
        const row = held?.key === key ? held.rows[offset] : undefined;
        if (row === undefined) {
          complete = false;
          break;
        }
        out.push(row);
      }
      if (complete) return out;
      const { query: q, columns: cols } = current.current;
      const result = await api.queryRuns({
        ...queryArgs(q),
        columns: [...cols],
        offset: start,
        limit: Math.max(0, end - start + 1),
      });
      return result.rows;
    },
    [api],
  );

  const loadedPages = useCallback((): QueryRow[][] => {
    const key = current.current.fetchKey;
    return [...pages.current.entries()]
      .filter(([, page]) => page.key === key)
      .sort(([a], [b]) => a - b)
      .map(([, page]) => page.rows);
  }, []);

  const loadedRows = useCallback((): QueryRow[] => loadedPages().flat(), [loadedPages]);

  return {
    total,
    rowAt,
    showRange,
    fetchRange,
    loadedRows,
    loadedPages,
    version,
    queryKey,
    // Stale from the very render that changes the query, not one effect later, so nothing
    // (a screen reader, a test) sees rows of the old query reported as current.
    stale: [...pages.current.values()].some((held) => held.queryKey !== queryKey),
    requestQuery,
  };
}
