// Issue 12's desktop habits, through the entry point (main/electron/main.ts) under the stand-in
// `electron`: folders and run folders dropped or handed over (argv, a second instance, macOS
// open-file), deep links, File → Open Recent, the window's remembered place and screen, and
// notifications of finished runs. No Electron binary can start here; this is what it would do.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  inject,
  it,
  vi,
} from 'vitest';
import { ipcChannels } from '../../shared/client-api';
import type { SourceInfo } from '../../shared/contract';
import { desktopChannels } from '../../shared/desktop-messages';
import { WINDOW_STATE_FILE } from '../../main/electron/window-state';
import { app, resetStandIn, standIn } from './electron-stand-in';
import type { FakeBrowserWindow } from './electron-stand-in';

vi.mock('electron', async () => (await import('./electron-stand-in')).electronStandIn);

/** An upper bound only: on a loaded machine a process can wait seconds for the CPU. */
const patiently = { timeout: 20_000, interval: 20 };
const realArgv = process.argv;
const EXE = '/opt/Altar Viewer/altar-viewer';

let root: string;
let dataDir: string;
let window: FakeBrowserWindow;

function trusted(contents: unknown = window.webContents) {
  return { sender: contents, senderFrame: { url: 'altar-app://ui/index.html', parent: null } };
}

async function invoke(channel: string, event: unknown, arg?: unknown): Promise<unknown> {
  const handler = standIn.ipcHandlers.get(channel);
  if (handler === undefined) throw new Error(`no handler for ${channel}`);
  return handler(event, arg);
}

async function api<T>(method: string, args: unknown): Promise<T> {
  const reply = (await invoke(ipcChannels.invoke(method), trusted(), args)) as {
    ok: boolean;
    result?: T;
    error?: unknown;
  };
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  return reply.result as T;
}

const sourceNames = async (): Promise<string[]> =>
  (await api<SourceInfo[]>('listSources', {})).map((source) => source.name).sort();

/** What the page received on the desktop channel. */
function desktopMessages(): unknown[] {
  return (window.webContents.sent as { channel: string; message: unknown }[])
    .filter((sent) => sent.channel === desktopChannels.message)
    .map((sent) => sent.message);
}

function callsNamed(name: string): unknown[][] {
  return standIn.calls.filter((c) => c.call === name).map((c) => c.args);
}

/** A run folder as FileStorageObserver leaves it. */
function writeRun(dir: string, status = 'COMPLETED'): void {
  mkdirSync(dir, { recursive: true });
  const run = {
    status,
    command: 'main',
    experiment: { name: 'train', base_dir: '/home/ada/exp', sources: [] },
    host: { hostname: 'vm' },
    meta: { command: 'main' },
    start_time: '2026-11-26T21:32:20.000000',
    heartbeat: '2026-11-26T21:32:21.000000',
    resources: [],
    artifacts: [],
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run, null, 2));
  writeFileSync(join(dir, 'config.json'), '{"seed": 1}');
}

/** Starts a fresh app in `dataDir` with these arguments; the page says it listens. */
async function startApp(args: string[] = [], options: { ready?: boolean } = {}): Promise<void> {
  resetStandIn({ isPackaged: true });
  process.argv = [EXE, ...args];
  vi.resetModules();
  await import('../../main/electron/main');
  window = await standIn.windowCreated!;
  await vi.waitFor(() => expect(standIn.ipcHandlers.has(desktopChannels.ready)).toBe(true));
  if (options.ready !== false) await invoke(desktopChannels.ready, trusted());
}

async function quitApp(): Promise<void> {
  const before = callsNamed('app.quit').length;
  app.quit();
  await vi.waitFor(() => expect(callsNamed('app.quit')).toHaveLength(before + 2), patiently);
}

beforeAll(() => {
  vi.stubEnv('ALTAR_DATA_DIR', '');
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'altar-desktop-habits-'));
  dataDir = join(root, 'data');
  vi.stubEnv('ALTAR_DATA_DIR', dataDir);
});

afterEach(async () => {
  await quitApp();
  rmSync(root, { recursive: true, force: true });
});

afterAll(() => {
  process.argv = realArgv;
  vi.unstubAllEnvs();
});

describe.runIf(process.platform === 'linux')('dropping folders on the window', () => {
  it('adds a folder of runs as a source and shows it', async () => {
    await startApp();
    const runs = join(root, 'cluster runs');
    writeRun(join(runs, '1'));
    writeRun(join(runs, '2'));
    expect(await invoke(desktopChannels.dropped, trusted(), [runs])).toEqual({ ok: true });
    await vi.waitFor(
      () => expect(desktopMessages()).toEqual([{ kind: 'selectSource', source: 'cluster-runs' }]),
      patiently,
    );
    const [source] = await api<SourceInfo[]>('listSources', {});
    expect(source).toMatchObject({ name: 'cluster-runs', location: runs, runCount: 2 });
    // The same folder again: no second source, shown again.
    await invoke(desktopChannels.dropped, trusted(), [runs]);
    await vi.waitFor(() => expect(desktopMessages()).toHaveLength(2), patiently);
    expect(await sourceNames()).toEqual(['cluster-runs']);
  });

  it("asks before adding a dropped run's parent folder, then opens the run", async () => {
    await startApp();
    const runs = join(root, 'exp');
    writeRun(join(runs, '7'));
    writeRun(join(runs, '8'));

    standIn.messageBoxResponse = 1; // Cancel
    await invoke(desktopChannels.dropped, trusted(), [join(runs, '7')]);
    await vi.waitFor(() => expect(callsNamed('dialog.showMessageBox')).toHaveLength(1), patiently);
    const [, question] = callsNamed('dialog.showMessageBox')[0]!;
    expect(question).toMatchObject({
      message: '“7” is one run; add its parent folder?',
      buttons: ['Add Parent Folder', 'Cancel'],
    });
    expect(question).toHaveProperty('detail', expect.stringContaining(runs));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await sourceNames()).toEqual([]);
    expect(desktopMessages()).toEqual([]);

    standIn.messageBoxResponse = 0; // Add Parent Folder
    await invoke(desktopChannels.dropped, trusted(), [join(runs, '7')]);
    await vi.waitFor(
      () => expect(desktopMessages()).toEqual([{ kind: 'openRun', source: 'exp', runId: '7' }]),
      patiently,
    );
    expect(await api('getRun', { source: 'exp', id: '7' })).toMatchObject({ id: '7' });

    // A run of a folder the app already reads opens without a question.
    await invoke(desktopChannels.dropped, trusted(), [join(runs, '8', 'run.json')]);
    await vi.waitFor(() => expect(desktopMessages()).toHaveLength(2), patiently);
    expect(desktopMessages()[1]).toEqual({ kind: 'openRun', source: 'exp', runId: '8' });
    expect(callsNamed('dialog.showMessageBox')).toHaveLength(2);
  });

  it('says why a dropped file or a missing folder cannot be opened', async () => {
    await startApp();
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'x');
    await invoke(desktopChannels.dropped, trusted(), [file]);
    await vi.waitFor(
      () =>
        expect(callsNamed('dialog.showErrorBox')).toEqual([
          ['Cannot open this', `${file} is a file, not a folder of Sacred runs.`],
        ]),
      patiently,
    );
    expect(await sourceNames()).toEqual([]);
  });

  it('refuses drops from anything but its own page, and paths that are not absolute', async () => {
    await startApp();
    const runs = join(root, 'runs');
    writeRun(join(runs, '1'));
    const frame = {
      sender: window.webContents,
      senderFrame: { url: 'altar-artifact://a/x', parent: {} },
    };
    expect(await invoke(desktopChannels.dropped, frame, [runs])).toEqual({ ok: false });
    expect(await invoke(desktopChannels.dropped, trusted({}), [runs])).toEqual({ ok: false });
    expect(await invoke(desktopChannels.dropped, trusted(), ['runs'])).toEqual({ ok: false });
    expect(await invoke(desktopChannels.dropped, trusted(), runs)).toEqual({ ok: false });
    expect(await invoke(desktopChannels.screen, frame, { source: null, route: '/' })).toEqual({
      ok: false,
    });
    expect(await invoke(desktopChannels.ready, trusted({}))).toEqual({ ok: false });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await sourceNames()).toEqual([]);
  });
});

describe.runIf(process.platform === 'linux')('the folder picker (a backup folder)', () => {
  it('answers its own page with the folder the user chose, or null when the picker was closed', async () => {
    await startApp();
    standIn.openDialogFolder = join(root, 'backups');
    const pick = (event: unknown, title: unknown): Promise<unknown> =>
      invoke(desktopChannels.pickFolder, event, title);
    expect(await pick(trusted(), 'Folder for the backup')).toEqual({
      ok: true,
      path: join(root, 'backups'),
    });
    const frame = {
      sender: window.webContents,
      senderFrame: { url: 'altar-artifact://a/x', parent: {} },
    };
    expect(await pick(frame, 'Folder for the backup')).toEqual({ ok: false });
    expect(await pick(trusted(), 42)).toEqual({ ok: false });
    expect(await pick(trusted(), 'line\nbreak')).toEqual({ ok: false });
    standIn.openDialogFolder = null;
    expect(await pick(trusted(), 'Folder for the backup')).toEqual({ ok: true, path: null });
  });
});

describe.runIf(process.platform === 'linux')('folders and links handed to the app', () => {
  it('opens `altar-viewer PATH` once the page listens, and claims its link scheme', async () => {
    const runs = join(root, 'lab');
    writeRun(join(runs, '1'));
    await startApp([runs], { ready: false });
    expect(callsNamed('app.setAsDefaultProtocolClient')).toEqual([['altar-viewer']]);
    await vi.waitFor(
      async () =>
        expect(await api<SourceInfo[]>('listSources', {})).toMatchObject([
          { name: 'lab', runCount: 1, state: 'idle' },
        ]),
      patiently,
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Nothing is sent before the page says it listens; then everything that waited.
    expect(desktopMessages()).toEqual([]);
    await invoke(desktopChannels.ready, trusted());
    expect(desktopMessages()).toEqual([{ kind: 'selectSource', source: 'lab' }]);
  });

  it("takes a second instance's folder and deep link, and shows the window", async () => {
    await startApp();
    const runs = join(root, 'lab');
    writeRun(join(runs, '5'));
    app.emit('second-instance', {}, [EXE, '--no-sandbox', 'lab'], root);
    await vi.waitFor(
      () => expect(desktopMessages()).toEqual([{ kind: 'selectSource', source: 'lab' }]),
      patiently,
    );
    expect(callsNamed('window.focus').length).toBeGreaterThan(0);

    app.emit('second-instance', {}, [EXE, 'altar-viewer://run/lab/5'], root);
    await vi.waitFor(() => expect(desktopMessages()).toHaveLength(2), patiently);
    expect(desktopMessages()[1]).toEqual({ kind: 'openRun', source: 'lab', runId: '5' });
  });

  it('opens deep links from macOS (open-url), refusing malformed ones and unknown sources', async () => {
    await startApp();
    const prevented: string[] = [];
    const event = (name: string) => ({ preventDefault: () => prevented.push(name) });
    app.emit('open-url', event('bad'), 'altar-viewer://run/lab/5?steal=1');
    app.emit('open-url', event('unknown'), 'altar-viewer://run/elsewhere/5');
    await vi.waitFor(() => expect(callsNamed('dialog.showErrorBox')).toHaveLength(2), patiently);
    const messages = callsNamed('dialog.showErrorBox').map((args) => String(args[1]));
    expect(messages[0]).toContain('altar-viewer://run/SOURCE/ID only');
    expect(messages[1]).toContain('the source “elsewhere”, which this app does not have');
    expect(prevented).toEqual(['bad', 'unknown']);
    expect(desktopMessages()).toEqual([]);
  });

  it('opens a new window for a link when its window was closed (macOS keeps the app)', async () => {
    await startApp();
    writeRun(join(root, 'lab', '5'));
    await api('addFolderSource', { name: 'lab', path: join(root, 'lab') });
    await api('syncSources', { names: ['lab'] });
    window.close();
    app.emit('open-url', { preventDefault() {} }, 'altar-viewer://run/lab/5');
    expect(standIn.windows).toHaveLength(2);
    window = standIn.windows[1]!;
    await invoke(desktopChannels.ready, trusted());
    await vi.waitFor(
      () => expect(desktopMessages()).toEqual([{ kind: 'openRun', source: 'lab', runId: '5' }]),
      patiently,
    );
  });

  it('leaves everything to the running instance when it is not the first', async () => {
    resetStandIn({ isPackaged: true });
    standIn.singleInstanceLock = false;
    process.argv = [EXE, join(root, 'lab')];
    vi.resetModules();
    await import('../../main/electron/main');
    expect(callsNamed('app.quit')).toHaveLength(1);
    expect(callsNamed('app.whenReady')).toEqual([]);
    expect(callsNamed('new BrowserWindow')).toEqual([]);
    // Nothing to close here; afterEach's quit must still find an app to quit.
    await startApp();
  });
});

describe.runIf(process.platform === 'linux')('File → Open Recent', () => {
  type Item = { label?: string; submenu?: Item[]; click?: () => void; enabled?: boolean };
  const recentItems = (): Item[] => {
    const template = standIn.menuTemplates.at(-1) as Item[];
    const file = template.find((item) => item.label === '&File')!;
    return file.submenu!.find((item) => item.label === 'Open Recent')!.submenu!;
  };

  it('lists the sources shown lately, newest first; a click shows one; removed ones go', async () => {
    await startApp();
    expect(recentItems()).toEqual([{ label: 'No Recent Sources', enabled: false }]);
    for (const name of ['a', 'b']) {
      writeRun(join(root, name, '1'));
      await api('addFolderSource', { name, path: join(root, name) });
    }
    await invoke(desktopChannels.screen, trusted(), { source: 'a', route: '/' });
    await invoke(desktopChannels.screen, trusted(), { source: 'b', route: '/' });
    await invoke(desktopChannels.screen, trusted(), { source: null, route: '/' });
    expect(recentItems().map((item) => item.label)).toEqual(['b', 'a']);

    recentItems()[1]!.click!();
    expect(desktopMessages()).toEqual([{ kind: 'selectSource', source: 'a' }]);

    await api('removeSource', { name: 'b' });
    await vi.waitFor(
      () => expect(recentItems().map((item) => item.label)).toEqual(['a']),
      patiently,
    );
  });
});

describe.runIf(process.platform === 'linux')('the remembered window', () => {
  it('opens where it was closed, maximized as it was, on the screen it showed', async () => {
    await startApp();
    expect(window.options).toMatchObject({ width: 1400, height: 900, x: 260, y: 90 });
    window.normalBounds = { x: 100, y: 50, width: 1000, height: 700 };
    window.maximized = true;
    await invoke(desktopChannels.screen, trusted(), { source: 'lab', route: '/runs/lab/7' });
    window.close();
    expect(JSON.parse(readFileSync(join(dataDir, WINDOW_STATE_FILE), 'utf8'))).toMatchObject({
      bounds: { x: 100, y: 50, width: 1000, height: 700 },
      maximized: true,
    });
    await quitApp();

    await startApp();
    expect(window.options).toMatchObject({ x: 100, y: 50, width: 1000, height: 700 });
    window.emit('ready-to-show');
    expect(window.isMaximized()).toBe(true);
    expect(desktopMessages()).toEqual([
      { kind: 'restoreScreen', screen: { source: 'lab', route: '/runs/lab/7' } },
    ]);
  });

  it('comes back onto a screen when its screen is gone', async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, WINDOW_STATE_FILE),
      JSON.stringify({
        bounds: { x: 3000, y: 200, width: 1200, height: 800 },
        maximized: false,
        screen: null,
        recentSources: [],
      }),
    );
    resetStandIn({ isPackaged: true });
    standIn.workAreas = [{ x: 0, y: 0, width: 1280, height: 720 }];
    process.argv = [EXE];
    vi.resetModules();
    await import('../../main/electron/main');
    window = await standIn.windowCreated!;
    expect(window.options).toMatchObject({ x: 0, y: 0, width: 1280, height: 720 });
    expect(existsSync(join(dataDir, WINDOW_STATE_FILE))).toBe(true);
  });
});

describe.runIf(process.platform === 'linux')('notifications of finished runs', () => {
  it('announce a watched RUNNING run that finished, for opted-in sources only', async () => {
    await startApp();
    for (const name of ['watched', 'quiet']) {
      writeRun(join(root, name, '1'), 'RUNNING');
      await api('addFolderSource', { name, path: join(root, name) });
      await api('syncSources', { names: [name] });
    }
    const on = await api<SourceInfo>('updateSourceSettings', {
      source: 'watched',
      notifyFinishedRuns: true,
    });
    expect(on.notifyFinishedRuns).toBe(true);

    writeRun(join(root, 'watched', '1'), 'FAILED');
    writeRun(join(root, 'quiet', '1'), 'COMPLETED');
    await api('syncSources', {});
    await vi.waitFor(() => expect(standIn.notifications).toHaveLength(1), patiently);
    const [notification] = standIn.notifications;
    expect(notification!.options).toMatchObject({
      title: 'train #1 failed',
      body: 'Source “watched”',
    });
    expect(notification!.shown).toBe(true);

    notification!.emit('click');
    expect(desktopMessages()).toEqual([{ kind: 'openRun', source: 'watched', runId: '1' }]);
  });

  it('lets its own page write the clipboard (Copy link), and no artifact', async () => {
    await startApp();
    const asked = (requestingUrl: string): boolean => {
      let granted = false;
      standIn.permissionRequest!(
        window.webContents,
        'clipboard-sanitized-write',
        (g) => (granted = g),
        { requestingUrl },
      );
      return granted;
    };
    expect(asked('altar-app://ui/runs/lab/7')).toBe(true);
    expect(asked('altar-artifact://a/abc')).toBe(false);
    expect(asked('https://evil.example/')).toBe(false);
  });
});

describe.runIf(process.platform === 'linux')('the built bundle (electron-main.mjs)', () => {
  it('opens a folder given on the command line once the page listens', async () => {
    // This test run's build/build-main.mjs output (tests/support/cli-bundle.global.ts), not
    // dist/: the same bundle, without rewriting dist/ under a running e2e test.
    const build = inject('altarMainBuild');
    const runs = join(root, 'bundled');
    writeRun(join(runs, '1'));
    resetStandIn({ isPackaged: true });
    process.argv = [EXE, runs];
    vi.resetModules();
    await import(pathToFileURL(join(build, 'electron-main.mjs')).href);
    window = await standIn.windowCreated!;
    await vi.waitFor(() => expect(standIn.ipcHandlers.has(desktopChannels.ready)).toBe(true));
    await invoke(desktopChannels.ready, trusted());
    await vi.waitFor(
      () => expect(desktopMessages()).toEqual([{ kind: 'selectSource', source: 'bundled' }]),
      patiently,
    );
    expect(callsNamed('app.setAsDefaultProtocolClient')).toEqual([['altar-viewer']]);
  }, 120_000);
});
