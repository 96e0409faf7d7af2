// The desktop shell's channels (shared/desktop-messages.ts) on Electron's ipcMain. Like the
// API's channels (main/hosts/ipc-host.ts), every call is checked against the sender first and
// its argument against the message's shape; messages to the window wait until it listens.
import {
  desktopChannels,
  parseDesktopMessage,
  parseDesktopScreen,
  parseDroppedPaths,
  parsePickerTitle,
} from '../../shared/desktop-messages';
import type { DesktopMessage, DesktopScreen } from '../../shared/desktop-messages';

export interface DesktopIpcMain<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
}

export interface DesktopIpcDeps<E> {
  ipc: DesktopIpcMain<E>;
  isTrustedSender(event: E): boolean;
  /** webContents.send of the window, or null when there is no window. */
  post(): ((channel: string, message: DesktopMessage) => void) | null;
  onDropped(paths: string[]): void;
  onScreen(screen: DesktopScreen): void;
  /** Shows the OS's folder picker: the folder chosen, or null when the user closed it. */
  pickFolder(title: string): Promise<string | null>;
}

export interface DesktopChannel {
  /** Sends to the window now if its page listens, else when it says it does. */
  send(message: DesktopMessage): void;
  /** A new page is loading (a new window, a reload): it must say ready again. */
  pageLoading(): void;
}

/** What an invoke of a refused call answers; the page treats it as "not done". */
const REFUSED = { ok: false } as const;
const DONE = { ok: true } as const;
/** Messages kept while no page listens; the oldest go first past this. */
const MAX_QUEUED = 32;

export function registerDesktopIpc<E>(deps: DesktopIpcDeps<E>): DesktopChannel {
  let listening = false;
  const queue: DesktopMessage[] = [];
  const trusted = (event: E): boolean => {
    try {
      return deps.isTrustedSender(event) === true;
    } catch {
      return false;
    }
  };
  const flush = (): void => {
    const post = deps.post();
    if (!listening || post === null) return;
    for (const message of queue.splice(0)) post(desktopChannels.message, message);
  };

  deps.ipc.handle(desktopChannels.ready, (event) => {
    if (!trusted(event)) return REFUSED;
    listening = true;
    flush();
    return DONE;
  });
  deps.ipc.handle(desktopChannels.dropped, (event, value) => {
    const paths = trusted(event) ? parseDroppedPaths(value) : null;
    if (paths === null) return REFUSED;
    deps.onDropped(paths);
    return DONE;
  });
  deps.ipc.handle(desktopChannels.screen, (event, value) => {
    const screen = trusted(event) ? parseDesktopScreen(value) : null;
    if (screen === null) return REFUSED;
    deps.onScreen(screen);
    return DONE;
  });

  // Only the user's choice in the OS's picker comes back: the page names no path here.
  deps.ipc.handle(desktopChannels.pickFolder, async (event, value) => {
    const title = trusted(event) ? parsePickerTitle(value) : null;
    if (title === null) return REFUSED;
    return { ok: true, path: await deps.pickFolder(title) };
  });

  return {
    send(message) {
      // Checked here too: what main sends must be what the page accepts.
      const checked = parseDesktopMessage(message);
      if (checked === null) return;
      queue.push(checked);
      if (queue.length > MAX_QUEUED) queue.shift();
      flush();
    },
    pageLoading() {
      listening = false;
    },
  };
}
