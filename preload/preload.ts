// Builds window.altar from the contract's method list. Only plain functions cross the bridge:
// ipcRenderer itself, or anything taking a channel name, would let page script reach any
// channel of the main process.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { Envelope } from '../shared/client-api';
import { ipcChannels } from '../shared/client-api';
import { apiEventNames, apiMethodNames } from '../shared/api-names';

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

contextBridge.exposeInMainWorld('altar', bridge);
