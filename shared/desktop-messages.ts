/**
 * The desktop shell's own messages between the main process and the window, beside the API
 * (which both doors share): what the OS handed the app (a dropped folder, a deep link, a path
 * on the command line, a click in the File menu's recent sources) and where the window is.
 * Checked by hand on both sides, so that the preload needs no zod: the preload checks what
 * main sends before the page sees it, and main checks what the page sends.
 */
import { parseDeepLink } from './deep-link';

/** Main to window. */
export type DesktopMessage =
  /** Open this run (a deep link, a dropped run folder, a notification clicked). */
  | { kind: 'openRun'; source: string; runId: string }
  /** List this source's runs (File → recent sources, a dropped or given folder). */
  | { kind: 'selectSource'; source: string }
  /** Show the screen the window showed when the app was last closed. */
  | { kind: 'restoreScreen'; screen: DesktopScreen };

/** Where the window is: the source it lists (null: all) and its route once it has routes. */
export interface DesktopScreen {
  source: string | null;
  /** The renderer's route (a path starting with "/"), or null where it has none. */
  route: string | null;
}

/** The IPC channels of the desktop shell; each is checked in main/electron/desktop-ipc.ts. */
export const desktopChannels = {
  /** main → window: a DesktopMessage. */
  message: 'altar:desktop:message',
  /** window → main (invoke): the page listens now; queued messages may come. */
  ready: 'altar:desktop:ready',
  /** window → main (invoke): paths of files or folders dropped on the window. */
  dropped: 'altar:desktop:dropped',
  /** window → main (invoke): the screen the window shows now. */
  screen: 'altar:desktop:screen',
  /** window → main (invoke, a title): the folder the user picks in the OS's folder picker. */
  pickFolder: 'altar:desktop:pick-folder',
} as const;

export const MAX_DROPPED_PATHS = 32;
const MAX_PICKER_TITLE = 200;
const MAX_PATH = 4096;
const MAX_ROUTE = 2048;
const SOURCE_NAME = /^[\w.-]{1,64}$/u;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOnlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

function isSourceName(value: unknown): value is string {
  return typeof value === 'string' && SOURCE_NAME.test(value);
}

/** A route as the renderer writes them: a path, never a URL of another origin. */
function isRoute(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_ROUTE &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    !/[\u0000-\u001f\u007f\\]/u.test(value)
  );
}

export function parseDesktopScreen(value: unknown): DesktopScreen | null {
  if (!isRecord(value) || !hasOnlyKeys(value, ['source', 'route'])) return null;
  const source = value.source ?? null;
  const route = value.route ?? null;
  if (source !== null && !isSourceName(source)) return null;
  if (route !== null && !isRoute(route)) return null;
  return { source, route };
}

/** A DesktopMessage, or null when `value` is not exactly one. */
export function parseDesktopMessage(value: unknown): DesktopMessage | null {
  if (!isRecord(value)) return null;
  switch (value.kind) {
    case 'openRun': {
      if (!hasOnlyKeys(value, ['kind', 'source', 'runId'])) return null;
      const { source, runId } = value;
      if (typeof source !== 'string' || typeof runId !== 'string') return null;
      // The same rules as a deep link's parts.
      const checked = parseDeepLink(
        `altar-viewer://run/${encodeURIComponent(source)}/${encodeURIComponent(runId)}`,
      );
      return checked === null ? null : { kind: 'openRun', ...checked };
    }
    case 'selectSource':
      if (!hasOnlyKeys(value, ['kind', 'source']) || !isSourceName(value.source)) return null;
      return { kind: 'selectSource', source: value.source };
    case 'restoreScreen': {
      if (!hasOnlyKeys(value, ['kind', 'screen'])) return null;
      const screen = parseDesktopScreen(value.screen);
      return screen === null ? null : { kind: 'restoreScreen', screen };
    }
    default:
      return null;
  }
}

/** A folder picker's title as the page sends it (plain text, short), or null. */
export function parsePickerTitle(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PICKER_TITLE) {
    return null;
  }
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  return /[\u0000-\u001f\u007f]/u.test(value) ? null : value;
}

/**
 * Dropped paths as the page sends them: 1 to MAX_DROPPED_PATHS absolute paths (POSIX or
 * Windows), or null. Main still checks each on disk; this only refuses what cannot be a drop.
 */
export function parseDroppedPaths(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_DROPPED_PATHS) return null;
  const paths: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string' || item.length === 0 || item.length > MAX_PATH) return null;
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (/[\u0000-\u001f]/u.test(item)) return null;
    const absolute = item.startsWith('/') || /^[A-Za-z]:[\\/]/u.test(item) || /^\\\\/u.test(item);
    if (!absolute) return null;
    paths.push(item);
  }
  return paths;
}
