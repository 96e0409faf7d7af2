// Electron entry point (bundled to dist/electron-main.mjs): wires the core, the IPC host and the
// custom protocols into one window.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { DEEP_LINK_SCHEME, parseDeepLink } from '../../shared/deep-link';
import type { DesktopScreen } from '../../shared/desktop-messages';
import { createAltarCore } from '../core/altar-core';
import type { CoreService } from '../core/core-service';
import { appDataDir } from '../core/default-data-dir';
import { forwardEvents, registerIpcHost } from '../hosts/ipc-host';
import { isAppUrl } from './app-url';
import { cliArgumentsOf, runCliInApp } from './cli-invocation';
import { desktopArgumentsOf } from './desktop-arguments';
import type { DesktopArguments } from './desktop-arguments';
import { registerDesktopIpc } from './desktop-ipc';
import type { DesktopChannel } from './desktop-ipc';
import { createExternalLinkPrompt, shownUrl } from './external-link-prompt';
import { buildAppMenu } from './menu';
import { openHandedPath } from './open-folder';
import type { OpenFolderDeps } from './open-folder';
import { isPermissionAllowed } from './permissions';
import { handleAppProtocol, handleArtifactProtocol, registerPrivilegedSchemes } from './protocols';
import { existingRecentSources, withRecentSource } from './recent-sources';
import { announceFinishedRuns } from './run-notifications';
import { createSecretStore } from './secret-store';
import { installWebContentsGuard } from './web-contents-guard';
import { createMainWindow } from './window';
import { placeWindow } from './window-placement';
import { readWindowState, writeWindowState } from './window-state';
import type { WindowState } from './window-state';

const distDir = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload.cjs');

let mainWindow: BrowserWindow | null = null;
let core: CoreService | null = null;
let closed = false;
let desktop: DesktopChannel | null = null;
let windowState: WindowState | null = null;
/** The data folder once started (the window needs it to reopen on macOS). */
let startedDataDir: string | null = null;
/** Folders and links handed over before the core was ready (macOS sends open-url early). */
const handedEarly: DesktopArguments[] = [];
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
  // The running instance gets this one's arguments (second-instance below) and shows them.
  app.quit();
} else {
  handedEarly.push(desktopArgumentsOf(process.argv, process.defaultApp === true, process.cwd()));
  app.on('second-instance', (_event, argv, workingDirectory) => {
    focusWindow();
    handOver(desktopArgumentsOf(argv, process.defaultApp === true, workingDirectory));
  });
  // macOS hands deep links and files (Finder's "Open With", the Dock icon) as events, even
  // before the app is ready; Linux and Windows put them in argv.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    handOver({ paths: [], links: [url] });
  });
  app.on('open-file', (event, file) => {
    event.preventDefault();
    handOver({ paths: [file], links: [] });
  });
  // Installers register the scheme too (electron-builder.yml protocols); a development run
  // does not claim it for a bare Electron binary.
  if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  // Windows shows notifications only for the id of the Start menu shortcut the NSIS
  // installer made (electron-builder.yml's appId).
  if (process.platform === 'win32') app.setAppUserModelId('org.altar.viewer');
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
  startedDataDir = dataDir;
  windowState = readWindowState(dataDir);
  const folderDeps = openFolderDeps(service);
  desktop = registerDesktopIpc({
    ipc: ipcMain,
    isTrustedSender,
    post: () =>
      mainWindow && !mainWindow.isDestroyed()
        ? (channel, message) => mainWindow?.webContents.send(channel, message)
        : null,
    onDropped: (paths) => {
      for (const dropped of paths) void openHandedPath(dropped, folderDeps);
    },
    onScreen: (shown) => rememberScreen(dataDir, shown),
    pickFolder: async (title) => {
      const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
      const window = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
      const choice = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return choice.canceled ? null : (choice.filePaths[0] ?? null);
    },
  });
  announceFinishedRuns({
    core: service,
    notify: Notification.isSupported()
      ? (text) => new Notification({ ...text, silent: false })
      : null,
    openRun: (run) => {
      focusWindow();
      desktop?.send({ kind: 'openRun', ...run });
    },
  });
  // Recent sources that were removed (here or by the CLI) leave the File menu.
  service.on('sourcesChanged', () => {
    void service.listSources({}).then((sources) => {
      if (windowState === null) return;
      const kept = existingRecentSources(
        windowState.recentSources,
        sources.map((s) => s.name),
      );
      if (kept.length === windowState.recentSources.length) return;
      updateWindowState(dataDir, { recentSources: kept });
      setMenu(service);
    });
  });
  forwardEvents(service, (channel, message) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, message);
  });
  app.setAboutPanelOptions({
    applicationName: 'Altar Viewer',
    applicationVersion: app.getVersion(),
  });
  setMenu(service);
  openWindow(dataDir);
  // The screen of last time first; what the user handed over now comes after and wins.
  if (windowState.screen !== null)
    desktop.send({ kind: 'restoreScreen', screen: windowState.screen });
  for (const handed of handedEarly.splice(0)) handOver(handed);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(dataDir);
  });
}

function setMenu(service: CoreService): void {
  Menu.setApplicationMenu(
    buildAppMenu({
      getWindow: () => mainWindow,
      developer,
      openFolder: (folder) => void openHandedPath(folder, openFolderDeps(service)),
      recentSources: windowState?.recentSources ?? [],
      showSource: (name) => {
        focusWindow();
        desktop?.send({ kind: 'selectSource', source: name });
      },
    }),
  );
}

function openFolderDeps(service: CoreService): OpenFolderDeps {
  return {
    core: service,
    confirm: async ({ message, detail, yes }) => {
      const options = {
        type: 'question' as const,
        buttons: [yes, 'Cancel'],
        defaultId: 0,
        cancelId: 1,
        noLink: true,
        message,
        detail,
      };
      const window = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
      const choice = window
        ? await dialog.showMessageBox(window, options)
        : await dialog.showMessageBox(options);
      return choice.response === 0;
    },
    showError: (title, message) => dialog.showErrorBox(title, message),
    send: (message) => desktop?.send(message),
  };
}

/** Folders and deep links from argv, a second instance or macOS; kept until the core is up. */
function handOver(handed: DesktopArguments): void {
  const service = core;
  if (service === null || desktop === null) {
    handedEarly.push(handed);
    return;
  }
  if (handed.paths.length + handed.links.length > 0) focusWindow();
  for (const folder of handed.paths) void openHandedPath(folder, openFolderDeps(service));
  for (const link of handed.links) void openDeepLink(service, link);
}

async function openDeepLink(service: CoreService, link: string): Promise<void> {
  const run = parseDeepLink(link);
  if (run === null) {
    dialog.showErrorBox(
      'Cannot open this link',
      'Altar Viewer opens links of the form altar-viewer://run/SOURCE/ID only.',
    );
    return;
  }
  const sources = await service.listSources({}).catch(() => []);
  if (!sources.some((source) => source.name === run.source)) {
    dialog.showErrorBox(
      'Cannot open this link',
      `The link is to run “${run.runId}” of the source “${run.source}”, which this app does ` +
        'not have. Add that source first (File → Open Sacred Run Folder, or Connect to MongoDB).',
    );
    return;
  }
  focusWindow();
  desktop?.send({ kind: 'openRun', ...run });
}

/** Brings the window up; on macOS, where the app outlives its window, opens a new one. */
function focusWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    if (core !== null && startedDataDir !== null) openWindow(startedDataDir);
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** The window's screen changed: remembered for the next start, its source made recent. */
function rememberScreen(dataDir: string, shown: DesktopScreen): void {
  if (windowState === null) return;
  const recent =
    shown.source === null
      ? windowState.recentSources
      : withRecentSource(windowState.recentSources, shown.source);
  const recentChanged = recent.join('\u0000') !== windowState.recentSources.join('\u0000');
  updateWindowState(dataDir, { screen: shown, recentSources: recent });
  if (recentChanged && core !== null) setMenu(core);
}

function updateWindowState(dataDir: string, change: Partial<WindowState>): void {
  windowState = { ...(windowState ?? readWindowState(dataDir)), ...change };
  try {
    writeWindowState(dataDir, windowState);
  } catch (error) {
    // A read-only data folder costs the window its memory, nothing else.
    console.warn('altar-viewer: could not save the window state', error);
  }
}

function openWindow(dataDir: string): void {
  const saved = windowState ?? readWindowState(dataDir);
  const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map(
    (display) => display.workArea,
  );
  const window = createMainWindow({
    preloadPath,
    developer,
    bounds: placeWindow(saved.bounds, workAreas),
    maximized: saved.maximized,
    onLoadFailed: (error) => {
      console.error('altar-viewer: the window could not load its page', error);
      dialog.showErrorBox('Altar Viewer could not show its window', error.message);
    },
  });
  mainWindow = window;
  desktop?.pageLoading();
  // A new document (a reload) listens only once it says so; in-page route changes keep it.
  window.webContents.on('did-navigate', () => desktop?.pageLoading());
  window.on('close', () => {
    updateWindowState(dataDir, {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    });
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
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
