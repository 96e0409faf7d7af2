import { BrowserWindow } from 'electron';
import { electronProtocols } from '../../shared/client-api';

export const appEntryUrl = `${electronProtocols.app}://ui/index.html`;

export interface MainWindowOptions {
  preloadPath: string;
  /** DevTools exist only in a development run (not packaged). */
  developer: boolean;
  /** The page could not be loaded (the protocol failed, the build is missing). */
  onLoadFailed: (error: Error) => void;
}

/**
 * The one app window. Its navigation rules come from the app-wide web-contents guard
 * (web-contents-guard.ts), installed before any window exists.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 720,
    minHeight: 480,
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
  window.once('ready-to-show', () => window.show());
  window.loadURL(appEntryUrl).catch((error: unknown) => {
    // A rejected load leaves a hidden window: show it, and say what happened.
    if (!window.isDestroyed()) window.show();
    options.onLoadFailed(error instanceof Error ? error : new Error(String(error)));
  });
  return window;
}
