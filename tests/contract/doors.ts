// The three doors of the contract, each as "call a method with raw arguments, get an Envelope".
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Envelope } from '../../shared/client-api';
import { httpRoutes } from '../../shared/client-api';
import { toErrorPayload } from '../../shared/errors';
import { decodeWire, encodeWire } from '../../shared/wire-codec';
import { FRAME_CONTENT_TYPE, decodeWireFrame } from '../../shared/wire-frame';
import { createAltarCore } from '../../main/core/altar-core';
import type { CoreService } from '../../main/core/core-service';
import { startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';
import { registerIpcHost } from '../../main/hosts/ipc-host';
import type { IpcMainLike } from '../../main/hosts/ipc-host';
import { loadPreload } from './preload-harness';

export const fixturesDir = path.resolve(import.meta.dirname, '../fixtures/sacred-samples');

export type DoorName = 'direct' | 'http' | 'ipc';

export interface Door {
  name: DoorName;
  core: CoreService;
  call(method: string, args: unknown): Promise<Envelope<unknown>>;
  close(): Promise<void>;
}

/** A scratch folder with a copy of a fixture run folder, a tiny built UI and data dirs. */
export interface Workspace {
  root: string;
  runFolder: string;
  rendererDir: string;
  /** A fresh data dir per core, so every door starts from an empty cache. */
  dataDir(name: string): string;
  remove(): void;
}

export function makeWorkspace(fixture = 'filestorage_completed'): Workspace {
  const root = mkdtempSync(path.join(tmpdir(), 'altar-contract-'));
  const runFolder = path.join(root, 'runs');
  cpSync(path.join(fixturesDir, fixture), runFolder, { recursive: true });
  const dataDir = (name: string): string => {
    const dir = path.join(root, `data-${name}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const rendererDir = path.join(root, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>Altar test UI</title>',
  );
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  // A file next to the renderer folder that no URL may reach.
  writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET-CONTENT');
  return {
    root,
    runFolder,
    dataDir,
    rendererDir,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** (a) Calls on the core object itself; a thrown error becomes the payload a host would send. */
export function directDoor(core: CoreService): Door {
  return {
    name: 'direct',
    core,
    async call(method, args) {
      const fn = (core as unknown as Record<string, unknown>)[method];
      if (typeof fn !== 'function') throw new Error(`the core has no method ${method}`);
      try {
        return {
          ok: true,
          result: await (fn as (a: unknown) => Promise<unknown>).call(core, args),
        };
      } catch (error) {
        return { ok: false, error: toErrorPayload(error) };
      }
    },
    close: () => core.close(),
  };
}

export interface HttpDoor extends Door {
  host: HttpHost;
  origin: string;
  /** Status of the last API reply, to check the code-to-status mapping. */
  lastStatus: number;
}

/** (b) The HTTP host, called like the browser client does (POST, JSON, wire codec). */
export async function httpDoor(core: CoreService, rendererDir: string): Promise<HttpDoor> {
  const host = await startHttpHost(core, { rendererDir });
  const origin = `http://127.0.0.1:${host.port}`;
  const door: HttpDoor = {
    name: 'http',
    core,
    host,
    origin,
    lastStatus: 0,
    async call(method, args) {
      const response = await fetch(`${origin}${httpRoutes.api}${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${host.token}`,
          // As the page asks: replies with Float64Arrays come as frames (shared/wire-frame.ts).
          Accept: FRAME_CONTENT_TYPE,
        },
        body: encodeWire(args),
      });
      door.lastStatus = response.status;
      if (response.headers.get('Content-Type') === FRAME_CONTENT_TYPE) {
        return decodeWireFrame(await response.arrayBuffer()) as Envelope<unknown>;
      }
      return decodeWire(await response.text()) as Envelope<unknown>;
    },
    async close() {
      await host.close();
      await core.close();
    },
  };
  return door;
}

export interface FakeSender {
  id: string;
  url: string;
}

type Listener = (
  event: { sender: FakeSender; senderFrame: { url: string } },
  ...args: unknown[]
) => unknown;

/** Stand-in for Electron's ipcMain: keeps the handlers so a fake renderer can invoke them. */
export class FakeIpcMain implements IpcMainLike<{
  sender: FakeSender;
  senderFrame: { url: string };
}> {
  readonly handlers = new Map<string, Listener>();

  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What ipcRenderer.invoke does: structured clone both ways, reject when nothing handles. */
  async invoke(sender: FakeSender, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const result = await handler(
      { sender, senderFrame: { url: sender.url } },
      ...structuredClone(args),
    );
    return structuredClone(result);
  }
}

export const trustedSender: FakeSender = { id: 'main-window', url: 'altar-app://ui/index.html' };

export interface IpcDoor extends Door {
  ipc: FakeIpcMain;
  /** window.altar as the real preload bundle builds it. */
  bridge: Record<string, unknown>;
  unregister: () => void;
}

/** (c) The IPC host behind a stand-in ipcMain, called through the real preload bundle. */
export async function ipcDoor(core: CoreService): Promise<IpcDoor> {
  const ipc = new FakeIpcMain();
  const unregister = registerIpcHost(core, ipc, (event) => event.sender.id === trustedSender.id);
  const { exposed } = await loadPreload({
    invoke: (channel, ...args) => ipc.invoke(trustedSender, channel, ...args),
    on: () => undefined,
    removeListener: () => undefined,
  });
  const bridge = exposed.altar as Record<string, unknown>;
  return {
    name: 'ipc',
    core,
    ipc,
    bridge,
    unregister,
    async call(method, args) {
      const fn = bridge[method];
      if (typeof fn !== 'function') throw new Error(`window.altar has no method ${method}`);
      return (await (fn as (a: unknown) => Promise<unknown>)(args)) as Envelope<unknown>;
    },
    async close() {
      unregister();
      await core.close();
    },
  };
}

export async function openDoor(name: DoorName, workspace: Workspace): Promise<Door> {
  const door = name === 'ipc' ? 'electron' : name;
  const core = createAltarCore({ dataDir: workspace.dataDir(name), door });
  if (name === 'direct') return directDoor(core);
  if (name === 'http') return httpDoor(core, workspace.rendererDir);
  return ipcDoor(core);
}
