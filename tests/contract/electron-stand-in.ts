// A stand-in for the `electron` module (no Electron binary can run here): records what the
// main process asks of Electron, and lets a test play the user and the page (navigations,
// window.open, dialogs, quitting). Used with vi.mock('electron', ...).
import { EventEmitter } from 'node:events';

export interface Recorded {
  call: string;
  args: unknown[];
}

export interface NavigationEvent {
  url: string;
  isMainFrame: boolean;
  prevented: boolean;
  preventDefault(): void;
}

function createStandIn() {
  /** What the test decides for the next dialogs, and what it saw. */
  const standIn = {
    calls: [] as Recorded[],
    /** The button a confirmation dialog returns (0: the first, "Open in Browser"). */
    messageBoxResponse: 1,
    /** When set, loadURL rejects with this error. */
    loadUrlError: null as Error | null,
    paths: new Map<string, string>([['downloads', '/downloads']]),
    storageBackend: 'gnome_libsecret',
    windows: [] as FakeBrowserWindow[],
    menuTemplates: [] as unknown[],
    ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    permissionRequest: null as
      | null
      | ((
          contents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { requestingUrl: string },
        ) => void),
    permissionCheck: null as
      null | ((contents: unknown, permission: string, requestingOrigin: string) => boolean),
    windowCreated: null as Promise<FakeBrowserWindow> | null,
    /** The folder the next open dialog returns; null: the user cancels. */
    openDialogFolder: null as string | null,
    /** The screens' work areas; the first is the primary display. */
    workAreas: [{ x: 0, y: 0, width: 1920, height: 1080 }] as {
      x: number;
      y: number;
      width: number;
      height: number;
    }[],
    notifications: [] as FakeNotification[],
    notificationsSupported: true,
    /** What requestSingleInstanceLock answers (false: another instance runs). */
    singleInstanceLock: true,
  };

  let resolveWindow: (window: FakeBrowserWindow) => void = () => undefined;

  function record(call: string, ...args: unknown[]): void {
    standIn.calls.push({ call, args });
  }

  /** Starts a fresh scene: a new app, no calls, no windows. */
  function resetStandIn(options: { isPackaged: boolean }): void {
    standIn.calls = [];
    standIn.messageBoxResponse = 1;
    standIn.loadUrlError = null;
    standIn.windows = [];
    standIn.menuTemplates = [];
    standIn.ipcHandlers.clear();
    standIn.permissionRequest = null;
    standIn.permissionCheck = null;
    standIn.storageBackend = 'gnome_libsecret';
    standIn.paths = new Map([['downloads', '/downloads']]);
    standIn.openDialogFolder = null;
    standIn.workAreas = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    standIn.notifications = [];
    standIn.notificationsSupported = true;
    standIn.singleInstanceLock = true;
    standIn.windowCreated = new Promise((resolve) => {
      resolveWindow = resolve;
    });
    app.removeAllListeners();
    app.isPackaged = options.isPackaged;
    session.defaultSession.removeAllListeners();
  }

  class FakeWebContents extends EventEmitter {
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
    sent: unknown[] = [];

    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
      this.windowOpenHandler = handler;
    }
    downloadURL(url: string): void {
      record('webContents.downloadURL', url);
    }
    send(channel: string, message: unknown): void {
      this.sent.push({ channel, message });
    }

    /** Plays a navigation as Electron sends it: will-frame-navigate, then will-navigate (top). */
    navigate(url: string, isMainFrame = true): NavigationEvent {
      const event: NavigationEvent = {
        url,
        isMainFrame,
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      this.emit('will-frame-navigate', event);
      if (!event.prevented && isMainFrame) this.emit('will-navigate', event);
      return event;
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    destroyed = false;
    shown = false;
    maximized = false;
    /** The bounds the user left the window at (normal, not maximized). */
    normalBounds: { x: number; y: number; width: number; height: number };

    constructor(readonly options: Record<string, unknown>) {
      super();
      this.normalBounds = {
        x: Number(options.x ?? 0),
        y: Number(options.y ?? 0),
        width: Number(options.width ?? 800),
        height: Number(options.height ?? 600),
      };
      record('new BrowserWindow', options);
      // Electron announces every new web contents app-wide, before the creator sees it.
      app.emit('web-contents-created', {}, this.webContents);
      standIn.windows.push(this);
      resolveWindow(this);
    }
    static getAllWindows(): FakeBrowserWindow[] {
      return standIn.windows.filter((window) => !window.destroyed);
    }
    static fromWebContents(contents: unknown): FakeBrowserWindow | null {
      return standIn.windows.find((window) => window.webContents === contents) ?? null;
    }
    loadURL(url: string): Promise<void> {
      record('loadURL', url);
      return standIn.loadUrlError === null
        ? Promise.resolve()
        : Promise.reject(standIn.loadUrlError);
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    isMinimized(): boolean {
      return false;
    }
    show(): void {
      this.shown = true;
    }
    restore(): void {}
    focus(): void {
      record('window.focus');
    }
    maximize(): void {
      this.maximized = true;
    }
    isMaximized(): boolean {
      return this.maximized;
    }
    getNormalBounds(): { x: number; y: number; width: number; height: number } {
      return { ...this.normalBounds };
    }
    /** Plays the user closing the window. */
    close(): void {
      this.emit('close', { preventDefault() {} });
      this.destroyed = true;
      this.emit('closed');
    }
  }

  class FakeNotification extends EventEmitter {
    constructor(readonly options: { title: string; body: string }) {
      super();
      standIn.notifications.push(this);
    }
    static isSupported(): boolean {
      return standIn.notificationsSupported;
    }
    shown = false;
    show(): void {
      this.shown = true;
    }
  }

  class FakeApp extends EventEmitter {
    isPackaged = true;
    setPath(name: string, value: string): void {
      record('app.setPath', name, value);
      standIn.paths.set(name, value);
    }
    getPath(name: string): string {
      const value = standIn.paths.get(name);
      if (value === undefined) throw new Error(`stand-in: no path ${name}`);
      return value;
    }
    getVersion(): string {
      return '0.0.0-test';
    }
    requestSingleInstanceLock(): boolean {
      record('app.requestSingleInstanceLock');
      return standIn.singleInstanceLock;
    }
    setAsDefaultProtocolClient(scheme: string): boolean {
      record('app.setAsDefaultProtocolClient', scheme);
      return true;
    }
    whenReady(): Promise<void> {
      record('app.whenReady');
      return Promise.resolve();
    }
    setAboutPanelOptions(options: unknown): void {
      record('app.setAboutPanelOptions', options);
    }
    showAboutPanel(): void {}
    quit(): void {
      record('app.quit');
      const event = {
        defaultPrevented: false,
        preventDefault: () => (event.defaultPrevented = true),
      };
      this.emit('before-quit', event);
    }
    exit(code: number): void {
      record('app.exit', code);
    }
  }

  const app = new FakeApp();

  const session = {
    defaultSession: Object.assign(new EventEmitter(), {
      setPermissionRequestHandler(handler: typeof standIn.permissionRequest) {
        standIn.permissionRequest = handler;
      },
      setPermissionCheckHandler(handler: typeof standIn.permissionCheck) {
        standIn.permissionCheck = handler;
      },
    }),
  };

  const dialog = {
    async showMessageBox(...args: unknown[]): Promise<{ response: number }> {
      record('dialog.showMessageBox', ...args);
      return { response: standIn.messageBoxResponse };
    },
    showErrorBox(title: string, content: string): void {
      record('dialog.showErrorBox', title, content);
    },
    async showOpenDialog(): Promise<{ canceled: boolean; filePaths: string[] }> {
      const folder = standIn.openDialogFolder;
      return folder === null
        ? { canceled: true, filePaths: [] }
        : { canceled: false, filePaths: [folder] };
    },
  };

  const shell = {
    async openExternal(url: string): Promise<void> {
      record('shell.openExternal', url);
    },
  };

  const ipcMain = {
    handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
      standIn.ipcHandlers.set(channel, handler);
    },
  };

  const protocol = {
    registerSchemesAsPrivileged(schemes: unknown): void {
      record('protocol.registerSchemesAsPrivileged', schemes);
    },
    handle(scheme: string): void {
      record('protocol.handle', scheme);
    },
  };

  const Menu = {
    buildFromTemplate(template: unknown): { template: unknown } {
      standIn.menuTemplates.push(template);
      return { template };
    },
    setApplicationMenu(menu: unknown): void {
      record('Menu.setApplicationMenu', menu);
    },
  };

  /** XOR "encryption" on the backend the test picked (basic_text: Linux without a keyring). */
  const safeStorage = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => standIn.storageBackend,
    encryptString: (text: string) => Buffer.from(Buffer.from(text).map((byte) => byte ^ 0x44)),
    decryptString: (bytes: Buffer) => Buffer.from(bytes.map((byte) => byte ^ 0x44)).toString(),
  };

  const BrowserWindow = FakeBrowserWindow;
  const Notification = FakeNotification;

  const screen = {
    getAllDisplays: () => standIn.workAreas.map((workArea) => ({ workArea })),
    getPrimaryDisplay: () => ({ workArea: standIn.workAreas[0]! }),
  };

  const electronStandIn = {
    app,
    BrowserWindow,
    dialog,
    ipcMain,
    Menu,
    Notification,
    protocol,
    safeStorage,
    screen,
    session,
    shell,
  };

  return {
    standIn,
    resetStandIn,
    FakeBrowserWindow,
    FakeWebContents,
    electronStandIn,
    app,
  };
}

type StandInModule = ReturnType<typeof createStandIn>;
// One stand-in per test process: vi.resetModules() re-imports this file for the mocked
// `electron`, and the test must see the same app, windows and calls as the code under test.
const holder = globalThis as { __altarElectronStandIn?: StandInModule };
const shared = (holder.__altarElectronStandIn ??= createStandIn());

export const { standIn, resetStandIn, electronStandIn, app, FakeWebContents } = shared;
export type FakeBrowserWindow = InstanceType<StandInModule['FakeBrowserWindow']>;
export type FakeNotification = StandInModule['standIn']['notifications'][number];
