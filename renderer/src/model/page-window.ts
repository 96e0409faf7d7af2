/**
 * Which pages of a query result the run table needs: only the rows around the visible range
 * are fetched, so a 100k-run result costs a few hundred rows of memory and IPC.
 */
export const PAGE_SIZE = 200;

/** Pages kept in memory; those farthest from the view are dropped beyond this. */
export const MAX_PAGES = 60;

/**
 * Page numbers covering rows `start..end` (inclusive) plus `overscanRows` on each side,
 * nearest to the view first, clipped to `total` rows (unknown total: no upper clip). Rows
 * rather than whole pages of overscan: the first screen needs one page, not two.
 */
export function pagesForRange(
  start: number,
  end: number,
  total: number | null,
  pageSize = PAGE_SIZE,
  overscanRows = Math.floor(pageSize / 2),
): number[] {
  if (end < start) return [];
  if (total === 0) return [0];
  const lastPage = total === null ? Infinity : Math.max(0, Math.ceil(total / pageSize) - 1);
  const first = Math.floor(Math.max(0, start - overscanRows) / pageSize);
  const last = Math.min(lastPage, Math.floor(Math.max(0, end + overscanRows) / pageSize));
  const visibleFirst = Math.floor(Math.max(0, start) / pageSize);
  const pages: number[] = [];
  for (let page = first; page <= last; page++) pages.push(page);
  return pages.sort((a, b) => Math.abs(a - visibleFirst) - Math.abs(b - visibleFirst) || a - b);
}

/** Pages to drop so at most `max` remain, farthest from `centerPage` first. */
export function pagesToEvict(
  held: Iterable<number>,
  centerPage: number,
  max = MAX_PAGES,
): number[] {
  const pages = [...held];
  if (pages.length <= max) return [];
  pages.sort((a, b) => Math.abs(b - centerPage) - Math.abs(a - centerPage) || b - a);
  return pages.slice(0, pages.length - max);
}

/** Whether `page` holds any of rows `start..end` (inclusive). */
export function pageOverlaps(
  page: number,
  start: number,
  end: number,
  pageSize = PAGE_SIZE,
): boolean {
  return end >= start && page * pageSize <= end && (page + 1) * pageSize > start;
}

/** The page a row index lives on and its place there. */
export function pageOf(index: number, pageSize = PAGE_SIZE): { page: number; offset: number } {
  return { page: Math.floor(index / pageSize), offset: index % pageSize };
}

/** How far ahead of a moving view its rows are asked for: this long of scrolling at its speed. */
export const LOOKAHEAD_MS = 600;
/**
 * ...and never fewer rows than its last this many moves: on a slow machine (software
 * rendering, a loaded CPU) a fling's frames take 200-800 ms, and the rows for the next
 * frames must be asked for before them whatever a frame lasts.
 */
export const LOOKAHEAD_MOVES = 4;
/**
 * A move this long after the previous one is a jump after a pause (a click on the scrollbar),
 * not a fling. Not shorter: a fling's frames on a loaded machine take up to ~800 ms, and
 * treating them as pauses left every frame of such a fling without rows asked ahead.
 */
export const PAUSE_MS = 1000;
/** Never more rows ahead than this (a scrollbar drag across 100k rows is not a fling). */
export const MAX_LOOKAHEAD_ROWS = 4000;

/**
 * The rows to have in memory for a view at `start..end` that moved from `previousStart`
 * `elapsedMs` ago: the view itself, plus, in the direction it moves, as many rows as it will
 * pass in LOOKAHEAD_MS at its current speed (at least LOOKAHEAD_MOVES moves like this one),
 * so a fling finds its rows already there instead of placeholders. A still view (or a jump
 * after a pause) asks for the view alone.
 */
export function lookaheadRange(
  start: number,
  end: number,
  previousStart: number,
  elapsedMs: number,
): [number, number] {
  const moved = start - previousStart;
  if (moved === 0 || elapsedMs <= 0 || elapsedMs >= PAUSE_MS) return [start, end];
  const rowsPerMs = Math.abs(moved) / elapsedMs;
  const ahead = Math.min(
    MAX_LOOKAHEAD_ROWS,
    Math.round(Math.max(rowsPerMs * LOOKAHEAD_MS, Math.abs(moved) * LOOKAHEAD_MOVES)),
  );
  return moved > 0 ? [start, end + ahead] : [Math.max(0, start - ahead), end];
}

/**
 * The pages of `ahead` (see lookaheadRange) that the view `start..end` does not already ask
 * for, nearest to the view first: fetched after the view's own pages.
 */
export function pagesAhead(
  start: number,
  end: number,
  ahead: [number, number],
  total: number | null,
  pageSize = PAGE_SIZE,
): number[] {
  const own = new Set(pagesForRange(start, end, total, pageSize));
  const center = Math.floor((start + end) / 2 / pageSize);
  return pagesForRange(ahead[0], ahead[1], total, pageSize, 0)
    .filter((page) => !own.has(page))
    .sort((a, b) => Math.abs(a - center) - Math.abs(b - center) || a - b);
}
