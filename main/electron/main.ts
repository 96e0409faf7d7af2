// Electron entry point (bundled to dist/electron-main.mjs): wires the core, the IPC host and the
// custom protocols into one window.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session, shell } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { createAltarCore } from '../core/altar-core';
import type { CoreService } from '../core/core-service';
import { appDataDir } from '../core/default-data-dir';
import { forwardEvents, registerIpcHost } from '../hosts/ipc-host';
import { isAppUrl } from './app-url';
import { cliArgumentsOf, runCliInApp } from './cli-invocation';
import { createExternalLinkPrompt, shownUrl } from './external-link-prompt';
import { buildAppMenu } from './menu';
import { isPermissionAllowed } from './permissions';
import { handleAppProtocol, handleArtifactProtocol, registerPrivilegedSchemes } from './protocols';
import { createSecretStore } from './secret-store';
import { installWebContentsGuard } from './web-contents-guard';
import { createMainWindow } from './window';

const distDir = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload.cjs');

let mainWindow: BrowserWindow | null = null;
let core: CoreService | null = null;
let closed = false;
/** DevTools and Reload only in a development run; an installed app is packaged. */
const developer = !app.isPackaged;

// One data folder for the app and the CLI: the same rules pick it for both (ALTAR_DATA_DIR,
// else the CLI's default), rather than trusting Electron's name-derived userData to match. Before anything
// reads userData (the single-instance lock does).
app.setPath('userData', appDataDir());
registerPrivilegedSchemes();

const promptExternal = createExternalLinkPrompt({
  confirm: async (url) => {
    const options = {
      type: 'question' as const,
      buttons: ['Open in Browser', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
      title: 'Open link',
      message: 'Open this link in your web browser?',
      detail: shownUrl(url),
    };
    const window = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
    const choice = window
      ? await dialog.showMessageBox(window, options)
      : await dialog.showMessageBox(options);
    return choice.response === 0;
  },
  open: (url) => shell.openExternal(url),
});
installWebContentsGuard(app, {
  openExternal: (url) => void promptExternal(url),
  // Electron's download handling asks where to save (see will-download below).
  download: (url, contents) => contents.downloadURL(url),
});

// `altar-viewer sync` and the like run the CLI here, in the same data folder, with no window,
// and never take the single-instance lock (the window may be open meanwhile).
const cliArgs = cliArgumentsOf(process.argv, process.defaultApp === true);
if (cliArgs !== null) {
  void runCliInApp(path.join(distDir, 'cli.mjs'), cliArgs, (code) => app.exit(code));
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start).catch(fail);
}

function start(): void {
  const dataDir = app.getPath('userData');
  const secrets = createSecretStore({ dataDir, safeStorage });
  const service = createAltarCore({ dataDir, door: 'electron', secrets, background: true });
  core = service;

  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  session.defaultSession.on('will-download', (_event, item) => {
    item.setSaveDialogOptions({
      title: 'Save',
      defaultPath: path.join(app.getPath('downloads'), item.getFilename()),
    });
  });

  handleAppProtocol(rendererDir);
  handleArtifactProtocol(service);
  registerIpcHost(service, ipcMain, isTrustedSender);
  forwardEvents(service, (channel, message) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, message);
  });
  app.setAboutPanelOptions({
    applicationName: 'Altar Viewer',
    applicationVersion: app.getVersion(),
  });
  Menu.setApplicationMenu(buildAppMenu({ core: service, getWindow: () => mainWindow, developer }));
  openWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

function openWindow(): void {
  mainWindow = createMainWindow({
    preloadPath,
    developer,
    onLoadFailed: (error) => {
      console.error('altar-viewer: the window could not load its page', error);
      dialog.showErrorBox('Altar Viewer could not show its window', error.message);
    },
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/** Only our window's top frame, showing our own UI, may call the API. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  if (!mainWindow || mainWindow.isDestroyed() || event.sender !== mainWindow.webContents)
    return false;
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error('altar-viewer: could not start', error);
  dialog.showErrorBox('Altar Viewer could not start', message);
  app.exit(1);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Closing the core finishes its writes (the cache) before the process goes away.
app.on('before-quit', (event) => {
  if (closed || !core) return;
  event.preventDefault();
  const closing = core;
  core = null;
  closing
    .close()
    .catch((error: unknown) => console.error('altar-viewer: error while closing', error))
    .finally(() => {
      closed = true;
      app.quit();
    });
});
