// Builds window.altar from the contract's method list. Only plain functions cross the bridge:
// ipcRenderer itself, or anything taking a channel name, would let page script reach any
// channel of the main process.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { Envelope } from '../shared/client-api';
import { ipcChannels } from '../shared/client-api';
import { apiEventNames, apiMethodNames } from '../shared/api-names';
import {
  desktopChannels,
  MAX_DROPPED_PATHS,
  parseDesktopMessage,
  parseDesktopScreen,
} from '../shared/desktop-messages';

type Listener = (payload: unknown) => void;

const bridge: Record<string, unknown> = {};

for (const method of apiMethodNames) {
  const channel = ipcChannels.invoke(method);
  bridge[method] = (args: unknown): Promise<Envelope<unknown>> => ipcRenderer.invoke(channel, args);
}

bridge.on = (event: unknown, listener: unknown): (() => void) => {
  if (typeof event !== 'string' || !(apiEventNames as readonly string[]).includes(event)) {
    throw new Error(`unknown event ${String(event)}`);
  }
  if (typeof listener !== 'function') throw new Error('listener must be a function');
  const callback = listener as Listener;
  const onMessage = (_event: IpcRendererEvent, message: unknown): void => {
    if (
      message !== null &&
      typeof message === 'object' &&
      (message as { name?: unknown }).name === event
    ) {
      callback((message as { payload?: unknown }).payload);
    }
  };
  ipcRenderer.on(ipcChannels.event, onMessage);
  return () => {
    ipcRenderer.removeListener(ipcChannels.event, onMessage);
  };
};

// The path of a file the user picked in an <input type="file"> (a TLS CA file): Chromium no
// longer puts it on File, and only files the user chose have one, so nothing else leaks.
bridge.pathForFile = (file: unknown): string => {
  if (typeof file !== 'object' || file === null) throw new Error('pathForFile needs a File');
  return webUtils.getPathForFile(file as File);
};

// The desktop shell (shared/desktop-messages.ts): what the OS handed the app, where the window
// is. Fixed channels behind plain functions, each message checked on its way in and out.
bridge.onDesktopMessage = (listener: unknown): (() => void) => {
  if (typeof listener !== 'function') throw new Error('listener must be a function');
  const onMessage = (_event: IpcRendererEvent, message: unknown): void => {
    const checked = parseDesktopMessage(message);
    if (checked !== null) (listener as Listener)(checked);
  };
  ipcRenderer.on(desktopChannels.message, onMessage);
  return () => {
    ipcRenderer.removeListener(desktopChannels.message, onMessage);
  };
};

bridge.desktopReady = (): Promise<unknown> => ipcRenderer.invoke(desktopChannels.ready);

// Files dropped on the window: their paths (only dropped or picked files have one) go to main,
// which decides what each is. Nothing the page names by path is ever accepted.
bridge.openDroppedFiles = (files: unknown): Promise<unknown> => {
  if (!Array.isArray(files)) throw new Error('openDroppedFiles needs a list of Files');
  const paths = files
    .slice(0, MAX_DROPPED_PATHS)
    .filter((file): file is File => typeof file === 'object' && file !== null)
    .map((file) => webUtils.getPathForFile(file))
    .filter((path) => path !== '');
  if (paths.length === 0) return Promise.resolve({ ok: false });
  return ipcRenderer.invoke(desktopChannels.dropped, paths);
};

bridge.reportScreen = (screen: unknown): Promise<unknown> => {
  const checked = parseDesktopScreen(screen);
  if (checked === null) throw new Error('reportScreen needs {source, route}');
  return ipcRenderer.invoke(desktopChannels.screen, checked);
};

// The OS's folder picker (a backup's folder): the page gets the folder the user chose, or null.
bridge.pickFolder = async (title: unknown): Promise<string | null> => {
  if (typeof title !== 'string') throw new Error('pickFolder needs a title');
  const reply = (await ipcRenderer.invoke(desktopChannels.pickFolder, title)) as {
    ok?: unknown;
    path?: unknown;
  } | null;
  return reply?.ok === true && typeof reply.path === 'string' ? reply.path : null;
};

contextBridge.exposeInMainWorld('altar', bridge);
