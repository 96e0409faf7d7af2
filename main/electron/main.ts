// Electron entry point (bundled to dist/electron-main.mjs): wires the core, the IPC host and the
// custom protocols into one window.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { createAltarCore } from '../core/altar-core';
import type { CoreService } from '../core/core-service';
import { forwardEvents, registerIpcHost } from '../hosts/ipc-host';
import { isAppUrl } from './app-url';
import { buildAppMenu } from './menu';
import { handleAppProtocol, handleArtifactProtocol, registerPrivilegedSchemes } from './protocols';
import { createSecretStore } from './secret-store';
import { createMainWindow } from './window';

const distDir = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload.cjs');

let mainWindow: BrowserWindow | null = null;
let core: CoreService | null = null;
let closed = false;

registerPrivilegedSchemes();

if (!app.requestSingleInstanceLock()) {
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

  // The UI needs no camera, notifications or geolocation; a stray request gets "no".
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);

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
  Menu.setApplicationMenu(buildAppMenu({ core: service, getWindow: () => mainWindow }));
  openWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

function openWindow(): void {
  mainWindow = createMainWindow(preloadPath);
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
