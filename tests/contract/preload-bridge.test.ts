import { describe, expect, it } from 'vitest';
import { ipcChannels } from '../../shared/client-api';
import { methodNames } from '../../shared/contract';
import { loadPreload } from './preload-harness';
import type { FakeIpcRenderer } from './preload-harness';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer(): FakeIpcRenderer & {
  calls: unknown[][];
  listeners: Map<string, Set<Listener>>;
} {
  const calls: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  return {
    calls,
    listeners,
    async invoke(channel, ...args) {
      calls.push([channel, ...args]);
      return { ok: true, result: { echoed: channel } };
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
}

function emit(ipc: ReturnType<typeof fakeIpcRenderer>, message: unknown): void {
  for (const listener of ipc.listeners.get(ipcChannels.event) ?? [])
    listener({ senderId: 0 }, message);
}

describe('preload bridge (window.altar)', () => {
  it('tells the path of a file the user picked, and refuses what is not a file', async () => {
    const altar = (await loadPreload(fakeIpcRenderer())).exposed.altar as {
      pathForFile: (file: unknown) => string;
    };
    expect(altar.pathForFile({ name: 'lab-ca.pem' })).toBe('/picked/lab-ca.pem');
    expect(() => altar.pathForFile('/etc/passwd')).toThrow(/needs a File/u);
    expect(() => altar.pathForFile(null)).toThrow(/needs a File/u);
  });

  it('is one self-contained CommonJS file that needs only electron', async () => {
    const { exposed, required } = await loadPreload(fakeIpcRenderer());
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(Object.keys(exposed)).toEqual(['altar']);
  });

  it('exposes one function per contract method plus on() and pathForFile(), and nothing else', async () => {
    const ipc = fakeIpcRenderer();
    const { exposed } = await loadPreload(ipc);
    const altar = exposed.altar as Record<string, unknown>;
    expect(Object.keys(altar).sort()).toEqual([...methodNames, 'on', 'pathForFile'].sort());
    for (const value of Object.values(altar)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipc.invoke);
    }
  });

  it('sends each method on its own channel and returns the envelope untouched', async () => {
    const ipc = fakeIpcRenderer();
    const altar = (await loadPreload(ipc)).exposed.altar as Record<
      string,
      (a: unknown) => Promise<unknown>
    >;
    const args = { source: 'c', id: '1' };
    await expect(altar.getRun!(args)).resolves.toEqual({
      ok: true,
      result: { echoed: 'altar:invoke:getRun' },
    });
    expect(ipc.calls).toEqual([[ipcChannels.invoke('getRun'), args]]);
  });

  it('delivers only the named event and stops after unsubscribe', async () => {
    const ipc = fakeIpcRenderer();
    const altar = (await loadPreload(ipc)).exposed.altar as {
      on(event: string, cb: (payload: unknown) => void): () => void;
    };
    const got: unknown[] = [];
    const off = altar.on('sourcesChanged', (payload) => got.push(payload));
    emit(ipc, { name: 'syncProgress', payload: { phase: 'done' } });
    emit(ipc, { name: 'sourcesChanged', payload: {} });
    emit(ipc, 'garbage');
    expect(got).toEqual([{}]);
    off();
    emit(ipc, { name: 'sourcesChanged', payload: {} });
    expect(got).toEqual([{}]);
    expect(ipc.listeners.get(ipcChannels.event)?.size).toBe(0);
  });

  it('refuses to subscribe to anything but a contract event', async () => {
    const altar = (await loadPreload(fakeIpcRenderer())).exposed.altar as {
      on(event: string, cb: (payload: unknown) => void): () => void;
    };
    expect(() => altar.on('altar:invoke:removeSource', () => undefined)).toThrow(/unknown event/u);
  });
});
