/** How a metric was last plotted: log y and the smoothing weight. */
export interface MetricPlotPrefs {
  logY: boolean;
  smoothing: number;
}

/** The part of Web Storage used here (tests pass a Map-backed one). */
export interface PrefsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const PLOT_PREFS_KEY = 'altar.plot.metric-prefs.v1';
/** Metrics remembered; the least recently set are forgotten past it. */
export const MAX_REMEMBERED = 500;

/** Metric → prefs in recency order (stored as an array of pairs: object keys that look like
 * numbers would not keep their order). */
type Stored = Map<string, MetricPlotPrefs>;

function isPrefs(value: unknown): value is MetricPlotPrefs {
  if (value === null || typeof value !== 'object') return false;
  const { logY, smoothing } = value as Record<string, unknown>;
  return (
    typeof logY === 'boolean' &&
    typeof smoothing === 'number' &&
    Number.isFinite(smoothing) &&
    smoothing >= 0 &&
    smoothing < 1
  );
}

/** Everything remembered; anything unreadable (another version, a hand edit) is dropped. */
function readAll(storage: PrefsStorage): Stored {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(PLOT_PREFS_KEY) ?? '[]');
    const out: Stored = new Map();
    if (!Array.isArray(parsed)) return out;
    for (const entry of parsed as unknown[]) {
      if (!Array.isArray(entry)) continue;
      const [metric, prefs] = entry as unknown[];
      if (typeof metric === 'string' && isPrefs(prefs)) {
        out.set(metric, { logY: prefs.logY, smoothing: prefs.smoothing });
      }
    }
    return out;
  } catch {
    return new Map();
  }
}

/** How `metric` was last plotted, or null when it never was. */
export function loadMetricPrefs(storage: PrefsStorage, metric: string): MetricPlotPrefs | null {
  return readAll(storage).get(metric) ?? null;
}

/** Remembers log y and smoothing for each of the plotted metrics. */
export function saveMetricPrefs(
  storage: PrefsStorage,
  metrics: readonly string[],
  prefs: MetricPlotPrefs,
): void {
  if (!isPrefs(prefs)) return;
  const all = readAll(storage);
  for (const metric of metrics) {
    // Re-inserted last: the map's order is the recency order.
    all.delete(metric);
    all.set(metric, { logY: prefs.logY, smoothing: prefs.smoothing });
  }
  const entries = [...all].slice(-MAX_REMEMBERED);
  try {
    storage.setItem(PLOT_PREFS_KEY, JSON.stringify(entries));
  } catch {
    // Storage full or refused (private mode): the plot works, it only forgets.
  }
}

/** The window's local storage, or null where there is none (tests, a refused storage). */
export function browserPrefsStorage(): PrefsStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
