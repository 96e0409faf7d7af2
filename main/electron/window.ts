import { BrowserWindow, shell } from 'electron';
import { electronProtocols } from '../../shared/client-api';
import { isAppUrl, isArtifactDownloadUrl, isExternalWebUrl } from './app-url';

export const appEntryUrl = `${electronProtocols.app}://ui/index.html`;

/** The one app window, locked to our own origin. */
export function createMainWindow(preloadPath: string): BrowserWindow {
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
      preload: preloadPath,
      spellcheck: false,
    },
  });
  const contents = window.webContents;

  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url) || isArtifactDownloadUrl(event.url)) return;
    event.preventDefault();
    openExternally(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url) && !isArtifactDownloadUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  window.once('ready-to-show', () => window.show());
  void window.loadURL(appEntryUrl);
  return window;
}

function openExternally(url: string): void {
  if (isExternalWebUrl(url)) void shell.openExternal(url);
}
