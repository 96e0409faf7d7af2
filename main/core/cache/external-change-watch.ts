import type { Database } from 'better-sqlite3';

/** How often the cache is asked whether another process wrote to it. */
export const EXTERNAL_CHANGE_POLL_MS = 1000;

export interface ExternalChangeWatch {
  stop(): void;
}

/**
 * Tells when another process (the CLI's `sources add` or `sync`, a second app) committed to
 * the cache file, so an open window shows its sources and runs without a reload. SQLite's
 * `data_version` moves exactly then: a commit through this same connection leaves it alone,
 * so the core's own writes (already announced by their own events) do not echo. Reading it
 * is a few microseconds, hence a plain poll; the timer never keeps a process alive.
 */
export function watchExternalChanges(
  db: Database,
  onChange: () => void,
  options: {
    intervalMs?: number;
    /**
     * What a window shows, condensed (sources, run versions). Another process also writes
     * caches nobody sees (a column catalog, a warm-up): only a changed fingerprint is told,
     * or every CLI query would make the open window fetch its rows again.
     */
    fingerprint?: () => string;
  } = {},
): ExternalChangeWatch {
  const intervalMs = options.intervalMs ?? EXTERNAL_CHANGE_POLL_MS;
  const fingerprint = (): string | null => {
    try {
      return options.fingerprint?.() ?? '';
    } catch {
      return null;
    }
  };
  const read = (): number | null => {
    try {
      return Number(db.pragma('data_version', { simple: true }));
    } catch {
      // The connection is closing (the core shuts down): nothing more to tell.
      return null;
    }
  };
  let last = read();
  let lastPrint = fingerprint();
  const timer = setInterval(() => {
    const now = read();
    if (now === null || now === last) return;
    last = now;
    const print = fingerprint();
    if (print === null || (options.fingerprint !== undefined && print === lastPrint)) return;
    lastPrint = print;
    onChange();
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
