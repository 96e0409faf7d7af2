// The desktop entry point (main/electron/main.ts) under a stand-in `electron` module, since no
// Electron binary can run here: the data folder it picks, the window's guard against leaving
// the app, the production menu, permissions, a failed page load and the quit flow.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../../shared/client-api';
import { createAltarCore } from '../../main/core/altar-core';
import { PRODUCT_NAME } from '../../main/core/default-data-dir';
import { WEAK_KEYSTORE_MEMORY_WARNING } from '../../main/electron/secret-store';
import { app, FakeWebContents, resetStandIn, standIn } from './electron-stand-in';
import type { FakeBrowserWindow } from './electron-stand-in';

vi.mock('electron', async () => (await import('./electron-stand-in')).electronStandIn);

/** Set to make better-sqlite3 fail to load, as a module built for another runtime does. */
const sqlite = vi.hoisted(() => ({ loadError: null as Error | null }));
vi.mock('better-sqlite3', async (importOriginal) => {
  const real = (await importOriginal()) as { default: new (...args: unknown[]) => unknown };
  function Database(...args: unknown[]): unknown {
    if (sqlite.loadError !== null) throw sqlite.loadError;
    return new real.default(...args);
  }
  return { default: Database };
});

/** An upper bound only: on a loaded machine a process can wait seconds for the CPU. */
const patiently = { timeout: 20_000, interval: 20 };

const configHome = mkdtempSync(join(tmpdir(), 'altar-electron-main-'));
const realArgv = process.argv;

/** Imports a fresh copy of the entry point and waits for its window. */
async function startApp(options: {
  isPackaged: boolean;
  backend?: string;
}): Promise<FakeBrowserWindow> {
  resetStandIn({ isPackaged: options.isPackaged });
  if (options.backend !== undefined) standIn.storageBackend = options.backend;
  vi.resetModules();
  await import('../../main/electron/main');
  return standIn.windowCreated!;
}

async function quitApp(): Promise<void> {
  app.quit();
  // The first quit is held until the core has closed, then quit is called again.
  await vi.waitFor(
    () => expect(standIn.calls.filter((c) => c.call === 'app.quit')).toHaveLength(2),
    patiently,
  );
}

function callsNamed(name: string): unknown[][] {
  return standIn.calls.filter((c) => c.call === name).map((c) => c.args);
}

beforeAll(() => {
  vi.stubEnv('XDG_CONFIG_HOME', configHome);
  vi.stubEnv('ALTAR_DATA_DIR', '');
  // Started from the desktop icon: no folder or link to open (vitest's own argv would be).
  process.argv = ['/opt/Altar Viewer/altar-viewer'];
});

afterAll(() => {
  process.argv = realArgv;
  vi.unstubAllEnvs();
  rmSync(configHome, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('the installed desktop app (packaged)', () => {
  let window: FakeBrowserWindow;

  beforeAll(async () => {
    window = await startApp({ isPackaged: true, backend: 'basic_text' });
  });

  afterAll(async () => {
    await quitApp();
  });

  it("keeps its data in the CLI's folder, chosen before the single-instance lock reads it", () => {
    const dataDir = join(configHome, PRODUCT_NAME);
    const order = standIn.calls.map((c) => c.call);
    expect(callsNamed('app.setPath')).toEqual([['userData', dataDir]]);
    expect(order.indexOf('app.setPath')).toBeLessThan(
      order.indexOf('app.requestSingleInstanceLock'),
    );
    expect(existsSync(join(dataDir, 'cache.sqlite'))).toBe(true);
  });

  it('offers no DevTools and no reload', () => {
    const roles = JSON.stringify(standIn.menuTemplates);
    expect(roles).not.toMatch(/toggleDevTools|"reload"|forceReload/u);
    expect(roles).toContain('togglefullscreen');
    const webPreferences = window.options.webPreferences as Record<string, unknown>;
    expect(webPreferences).toMatchObject({
      devTools: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
  });

  it('tells the page that passwords are kept in memory on Linux without a keyring', async () => {
    const getAppInfo = standIn.ipcHandlers.get(ipcChannels.invoke('getAppInfo'))!;
    const event = {
      sender: window.webContents,
      senderFrame: { url: 'altar-app://ui/index.html', parent: null },
    };
    const reply = (await getAppInfo(event, {})) as { ok: boolean; result: unknown };
    expect(reply.result).toMatchObject({
      secretStoreStatus: {
        backend: 'weak-keystore',
        remembersPasswords: false,
        warning: WEAK_KEYSTORE_MEMORY_WARNING,
      },
    });
  });

  // The tests of this block share one started app and run in any order (vitest shuffles), so
  // each looks only at the calls it caused.
  it('keeps the window on the app and opens a web link only after the user saw it', async () => {
    const contents = window.webContents;
    const asked = callsNamed('dialog.showMessageBox').length;
    const opened = callsNamed('shell.openExternal').length;
    expect(contents.navigate('altar-app://ui/index.html#run').prevented).toBe(false);

    standIn.messageBoxResponse = 1; // Cancel
    expect(contents.navigate('https://example.org/paper?id=1').prevented).toBe(true);
    await vi.waitFor(
      () => expect(callsNamed('dialog.showMessageBox')).toHaveLength(asked + 1),
      patiently,
    );
    const [, options] = callsNamed('dialog.showMessageBox')[asked]!;
    expect(options).toMatchObject({ detail: 'https://example.org/paper?id=1' });
    // Let the cancelled question finish: one question at a time.
    await new Promise((resolve) => setImmediate(resolve));
    expect(callsNamed('shell.openExternal')).toHaveLength(opened);

    standIn.messageBoxResponse = 0; // Open in Browser
    expect(contents.windowOpenHandler!({ url: 'https://github.com/IDSIA/sacred' })).toEqual({
      action: 'deny',
    });
    await vi.waitFor(
      () =>
        expect(callsNamed('shell.openExternal').slice(opened)).toEqual([
          ['https://github.com/IDSIA/sacred'],
        ]),
      patiently,
    );
    standIn.messageBoxResponse = 1;
  });

  it('never hands local programs or files to the OS, and never asks about them', () => {
    const contents = window.webContents;
    const before = callsNamed('dialog.showMessageBox').length;
    for (const url of ['file:///etc/passwd', 'smb://server/share', 'vscode://x', 'javascript:1']) {
      expect(contents.navigate(url).prevented).toBe(true);
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(callsNamed('dialog.showMessageBox')).toHaveLength(before);
  });

  it('saves downloads (an artifact, the run zip) through the save dialog', () => {
    const contents = window.webContents;
    const before = callsNamed('webContents.downloadURL').length;
    const zip = 'altar-artifact://zip/lab/7';
    const file = 'altar-artifact://a/abc123?download=1';
    expect(contents.navigate(zip).prevented).toBe(true);
    expect(contents.navigate(file).prevented).toBe(true);
    // "Open" in a new tab: no second window, the artifact is saved instead.
    expect(contents.windowOpenHandler!({ url: 'altar-artifact://a/abc123' })).toEqual({
      action: 'deny',
    });
    expect(callsNamed('webContents.downloadURL').slice(before)).toEqual([
      [zip],
      [file],
      ['altar-artifact://a/abc123'],
    ]);
  });

  it('lets the HTML artifact frame show artifacts only', () => {
    const contents = window.webContents;
    expect(contents.navigate('altar-artifact://a/abc', false).prevented).toBe(false);
    expect(contents.navigate('about:blank', false).prevented).toBe(false);
    expect(contents.navigate('altar-app://ui/index.html', false).prevented).toBe(true);
    expect(contents.navigate('file:///etc/passwd', false).prevented).toBe(true);
  });

  it('guards every web contents the app creates later, not only its window', () => {
    const later = new FakeWebContents();
    app.emit('web-contents-created', {}, later);
    expect(later.navigate('file:///etc/passwd').prevented).toBe(true);
    expect(later.navigate('altar-app://ui/index.html').prevented).toBe(false);
    expect(later.windowOpenHandler!({ url: 'altar-app://ui/index.html' })).toEqual({
      action: 'deny',
    });
  });

  it('refuses webviews', () => {
    const event = { prevented: false, preventDefault: () => (event.prevented = true) };
    window.webContents.emit('will-attach-webview', event);
    expect(event.prevented).toBe(true);
  });

  it('grants fullscreen (video, plots) to its own pages and nothing else', () => {
    const asked = (permission: string, requestingUrl: string): boolean => {
      let granted: boolean | null = null;
      standIn.permissionRequest!(window.webContents, permission, (g) => (granted = g), {
        requestingUrl,
      });
      return granted!;
    };
    expect(asked('fullscreen', 'altar-app://ui/index.html')).toBe(true);
    expect(asked('fullscreen', 'https://evil.example/')).toBe(false);
    expect(asked('media', 'altar-app://ui/index.html')).toBe(false);
    expect(asked('notifications', 'altar-app://ui/index.html')).toBe(false);
    expect(standIn.permissionCheck!(window.webContents, 'fullscreen', 'altar-app://ui')).toBe(true);
    expect(standIn.permissionCheck!(window.webContents, 'geolocation', 'altar-app://ui')).toBe(
      false,
    );
  });
});

describe.runIf(process.platform === 'linux')('a development run', () => {
  it('keeps DevTools and reload, and says so when the page cannot load', async () => {
    resetStandIn({ isPackaged: false });
    standIn.loadUrlError = new Error('ERR_FAILED (-2) loading altar-app://ui/index.html');
    vi.resetModules();
    await import('../../main/electron/main');
    const window = await standIn.windowCreated!;
    expect(JSON.stringify(standIn.menuTemplates)).toMatch(/toggleDevTools/u);
    expect((window.options.webPreferences as Record<string, unknown>).devTools).toBe(true);
    await vi.waitFor(
      () =>
        expect(callsNamed('dialog.showErrorBox')).toEqual([
          [
            'Altar Viewer could not show its window',
            'ERR_FAILED (-2) loading altar-app://ui/index.html',
          ],
        ]),
      patiently,
    );
    expect(window.shown).toBe(true);
    await quitApp();
  });
});

describe.runIf(process.platform === 'linux')('an app whose SQLite module does not load', () => {
  it('says why, exits, and leaves the cache where it is', async () => {
    const home = mkdtempSync(join(tmpdir(), 'altar-electron-abi-'));
    vi.stubEnv('XDG_CONFIG_HOME', home);
    const dataDir = join(home, PRODUCT_NAME);
    const cacheFile = join(dataDir, 'cache.sqlite');
    try {
      // A cache holding the user's settings: what a misclassified failure would throw away.
      const core = createAltarCore({ dataDir, door: 'direct' });
      await core.updateSettings({ liveRefreshSeconds: 42 });
      await core.close();
      const before = readFileSync(cacheFile);

      resetStandIn({ isPackaged: true });
      sqlite.loadError = Object.assign(
        new Error(
          "The module 'better_sqlite3.node' was compiled against a different Node.js version " +
            'using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140.',
        ),
        { code: 'ERR_DLOPEN_FAILED' },
      );
      vi.resetModules();
      await import('../../main/electron/main');
      await vi.waitFor(() => expect(callsNamed('app.exit')).toEqual([[1]]), patiently);

      const [title, message] = callsNamed('dialog.showErrorBox')[0] as [string, string];
      expect(title).toBe('Altar Viewer could not start');
      expect(message).toMatch(/better-sqlite3\) could not be loaded.*left untouched/su);
      expect(callsNamed('new BrowserWindow')).toEqual([]);
      expect(readdirSync(dataDir).filter((name) => name.includes('.corrupt-'))).toEqual([]);
      expect(readFileSync(cacheFile).equals(before)).toBe(true);
    } finally {
      sqlite.loadError = null;
      vi.stubEnv('XDG_CONFIG_HOME', configHome);
      rmSync(home, { recursive: true, force: true });
    }
  });
});
