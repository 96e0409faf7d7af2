import { BrowserWindow } from 'electron';
import { electronProtocols } from '../../shared/client-api';
import { MIN_SIZE } from './window-placement';
import type { Rect } from './window-placement';

export const appEntryUrl = `${electronProtocols.app}://ui/index.html`;

export interface MainWindowOptions {
  preloadPath: string;
  /** DevTools exist only in a development run (not packaged). */
  developer: boolean;
  /** The page could not be loaded (the protocol failed, the build is missing). */
  onLoadFailed: (error: Error) => void;
  /** Where and how big (window-placement.ts has fitted it onto a screen). */
  bounds: Rect;
  /** Opens maximized (as it was closed). */
  maximized: boolean;
}

/**
 * The one app window. Its navigation rules come from the app-wide web-contents guard
 * (web-contents-guard.ts), installed before any window exists.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...options.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Altar Viewer',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: options.preloadPath,
      spellcheck: false,
      devTools: options.developer,
    },
  });
  window.once('ready-to-show', () => {
    if (options.maximized) window.maximize();
    window.show();
  });
  window.loadURL(appEntryUrl).catch((error: unknown) => {
    // A rejected load leaves a hidden window: show it, and say what happened.
    if (!window.isDestroyed()) window.show();
    options.onLoadFailed(error instanceof Error ? error : new Error(String(error)));
  });
  return window;
}
