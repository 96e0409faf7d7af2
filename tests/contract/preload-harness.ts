// Loads the real preload bundle (as build/build-main.mjs makes it) with a stand-in `electron`,
// so tests see exactly what the page would see as window.altar.
import path from 'node:path';
import { build } from 'esbuild';

export interface FakeIpcRenderer {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');
let bundle: Promise<string> | null = null;

function preloadBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(repoRoot, 'preload/preload.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundle;
}

/** Runs the bundle; returns what it exposed, keyed by the name given to exposeInMainWorld. */
export async function loadPreload(ipcRenderer: FakeIpcRenderer): Promise<{
  exposed: Record<string, unknown>;
  required: string[];
}> {
  const code = await preloadBundle();
  const exposed: Record<string, unknown> = {};
  const required: string[] = [];
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        exposed[key] = api;
      },
    },
    ipcRenderer,
    // Stands in for Chromium's path of a picked File: the file's name under /picked.
    webUtils: {
      getPathForFile: (file: { name?: unknown }) => `/picked/${String(file.name)}`,
    },
  };
  // A sandboxed preload can require little more than 'electron': record what the bundle asks for.
  const fakeRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', code)(fakeRequire, module, module.exports);
  return { exposed, required };
}
