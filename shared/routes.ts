/**
 * The address of every screen of the UI, the same in the browser door (http://127.0.0.1:PORT)
 * and in the desktop app (altar-app://ui): a pure parse/format pair, so a copied URL, Back and
 * Forward, and a desktop deep link all land on the same screen. The access token is never
 * part of a route. Hosts use isRoutePath to serve index.html for these paths.
 *
 *   /  or  /runs ?source=NAME… &filter=TEXT &sort=COL|-COL…   the run table
 *   /runs/SOURCE/ID[/TAB]                                      one run (ID percent-encoded)
 *   /plot?run=SOURCE/ID…                                       selected runs plotted together
 *   /compare?run=SOURCE/ID…                                    selected runs compared
 *
 * Source names never contain "/" (contract: letters, digits, "_", "-", "."), so SOURCE/ID
 * splits at its first slash whatever the id holds.
 */

/** The run detail's tabs, in the order they are shown. */
export const RUN_TABS = [
  'overview',
  'config',
  'info',
  'output',
  'fail-trace',
  'metrics',
  'artifacts',
  'raw-data',
  'experiment',
  'host',
  'meta',
  'resources',
] as const;
export type RunTab = (typeof RUN_TABS)[number];

export interface RouteRunKey {
  source: string;
  id: string;
}

export interface RouteSortKey {
  column: string;
  desc: boolean;
}

export interface TableRoute {
  screen: 'table';
  /** null: every source. */
  sources: string[] | null;
  /** null: what the view in use says. */
  filter: string | null;
  /** null: what the view in use says; []: unsorted (the core's default order). */
  sort: RouteSortKey[] | null;
}

export type Route =
  | TableRoute
  | { screen: 'run'; run: RouteRunKey; tab: RunTab | null }
  | { screen: 'plot'; runs: RouteRunKey[] }
  | { screen: 'compare'; runs: RouteRunKey[] };

export const defaultTableRoute: TableRoute = {
  screen: 'table',
  sources: null,
  filter: null,
  sort: null,
};

const sourceName = /^[\w.-]{1,64}$/u;

function isRunTab(text: string): text is RunTab {
  return (RUN_TABS as readonly string[]).includes(text);
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * A path segment for a name or id. URLs drop "." and ".." segments (even written %2E), so
 * those, and anything that already looks like an escaped one, get one more leading "~".
 */
function encodeSegment(text: string): string {
  return /^~*\.{1,2}$/u.test(text) ? `~${text}` : encodeURIComponent(text);
}

function unescapeDots(text: string): string {
  return /^~+\.{1,2}$/u.test(text) ? text.slice(1) : text;
}

function validKey(source: string, id: string): boolean {
  return sourceName.test(source) && id.length > 0 && id.length <= 512;
}

/** "SOURCE/ID" as a query value (URLSearchParams encodes it); null when it is not one. */
function parseRunParam(value: string): RouteRunKey | null {
  const slash = value.indexOf('/');
  if (slash < 0) return null;
  const source = value.slice(0, slash);
  const id = value.slice(slash + 1);
  return validKey(source, id) ? { source, id } : null;
}

function parseSortParam(value: string): RouteSortKey | null {
  // "+" marks an ascending column whose own name starts with "-" or "+".
  if (value.startsWith('-'))
    return value.length > 1 ? { column: value.slice(1), desc: true } : null;
  if (value.startsWith('+'))
    return value.length > 1 ? { column: value.slice(1), desc: false } : null;
  return { column: value, desc: false };
}

function formatSortParam(key: RouteSortKey): string {
  if (key.desc) return `-${key.column}`;
  return key.column.startsWith('-') || key.column.startsWith('+') ? `+${key.column}` : key.column;
}

function pathSegments(pathname: string): string[] | null {
  // "//x" would be another host to a browser (a redirect to it an open redirect).
  if (!pathname.startsWith('/') || pathname.includes('//')) return null;
  const raw = pathname.split('/').filter((segment) => segment !== '');
  const decoded: string[] = [];
  for (const segment of raw) {
    const text = decodeSegment(segment);
    if (text === null) return null;
    decoded.push(unescapeDots(text));
  }
  return decoded;
}

/**
 * The route an address names, or null when it names none (a static file, an unknown page).
 * `search` is location.search (with or without its "?"). Unknown query parameters are ignored.
 */
export function parseRoute(pathname: string, search = ''): Route | null {
  const segments = pathSegments(pathname);
  if (segments === null) return null;
  const params = new URLSearchParams(search);
  const [head, ...rest] = segments;
  if (head === undefined || head === 'index.html' || (head === 'runs' && rest.length === 0)) {
    if (head === 'index.html' && rest.length > 0) return null;
    return parseTable(params);
  }
  if (head === 'runs') {
    const [source, id, tab, ...extra] = rest;
    if (source === undefined || id === undefined || extra.length > 0) return null;
    if (!validKey(source, id)) return null;
    if (tab !== undefined && !isRunTab(tab)) return null;
    return { screen: 'run', run: { source, id }, tab: tab ?? null };
  }
  if ((head === 'plot' || head === 'compare') && rest.length === 0) {
    const runs: RouteRunKey[] = [];
    for (const value of params.getAll('run')) {
      const key = parseRunParam(value);
      if (key !== null) runs.push(key);
    }
    return { screen: head, runs };
  }
  return null;
}

function parseTable(params: URLSearchParams): TableRoute {
  const sources = params.getAll('source').filter((name) => sourceName.test(name));
  const filter = params.get('filter');
  const sortValues = params.getAll('sort');
  let sort: RouteSortKey[] | null = null;
  if (sortValues.length > 0) {
    sort = [];
    for (const value of sortValues) {
      if (value === '') continue;
      const key = parseSortParam(value);
      if (key !== null) sort.push(key);
    }
  }
  return { screen: 'table', sources: sources.length > 0 ? sources : null, filter, sort };
}

function withQuery(path: string, params: URLSearchParams): string {
  const query = params.toString();
  return query === '' ? path : `${path}?${query}`;
}

/** The address of a route: a path (and query) starting with "/". parseRoute reads it back. */
export function formatRoute(route: Route): string {
  switch (route.screen) {
    case 'table': {
      const params = new URLSearchParams();
      for (const name of route.sources ?? []) params.append('source', name);
      if (route.filter !== null) params.append('filter', route.filter);
      if (route.sort !== null) {
        if (route.sort.length === 0) params.append('sort', '');
        for (const key of route.sort) params.append('sort', formatSortParam(key));
      }
      return withQuery('/runs', params);
    }
    case 'run': {
      const base = `/runs/${encodeSegment(route.run.source)}/${encodeSegment(route.run.id)}`;
      return route.tab === null ? base : `${base}/${route.tab}`;
    }
    case 'plot':
    case 'compare': {
      const params = new URLSearchParams();
      for (const key of route.runs) params.append('run', `${key.source}/${key.id}`);
      return withQuery(`/${route.screen}`, params);
    }
  }
}

/**
 * Whether a request path is a screen of the UI, for which a host answers with index.html.
 * Only these paths fall back to the page; every other path is still a file under the
 * static-file checks (or "not found").
 */
export function isRoutePath(pathname: string): boolean {
  return parseRoute(pathname) !== null;
}
