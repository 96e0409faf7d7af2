import { describe, expect, it } from 'vitest';
import { ipcChannels } from '../../shared/client-api';
import { desktopChannels } from '../../shared/desktop-messages';
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

  it('exposes one function per contract method plus on(), pathForFile() and the desktop shell, and nothing else', async () => {
    const ipc = fakeIpcRenderer();
    const { exposed } = await loadPreload(ipc);
    const altar = exposed.altar as Record<string, unknown>;
    expect(Object.keys(altar).sort()).toEqual(
      [
        ...methodNames,
        'on',
        'pathForFile',
        'onDesktopMessage',
        'desktopReady',
        'openDroppedFiles',
        'reportScreen',
        'pickFolder',
      ].sort(),
    );
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

describe('preload bridge: the desktop shell', () => {
  type Desktop = {
    onDesktopMessage(cb: (message: unknown) => void): () => void;
    desktopReady(): Promise<unknown>;
    openDroppedFiles(files: unknown): Promise<unknown>;
    reportScreen(screen: unknown): Promise<unknown>;
  };

  it('sends the paths of dropped files, and never a path the page names', async () => {
    const ipc = fakeIpcRenderer();
    const altar = (await loadPreload(ipc)).exposed.altar as Desktop;
    await altar.openDroppedFiles([{ name: 'runs' }, { name: 'run.json' }]);
    expect(ipc.calls).toEqual([[desktopChannels.dropped, ['/picked/runs', '/picked/run.json']]]);
    expect(() => altar.openDroppedFiles('/etc')).toThrow(/list of Files/u);
    await altar.openDroppedFiles(['/etc/passwd']);
    expect(ipc.calls).toHaveLength(1);
  });

  it('passes on only well-formed messages from main', async () => {
    const ipc = fakeIpcRenderer();
    const altar = (await loadPreload(ipc)).exposed.altar as Desktop;
    const got: unknown[] = [];
    const off = altar.onDesktopMessage((message) => got.push(message));
    const send = (message: unknown): void => {
      for (const listener of ipc.listeners.get(desktopChannels.message) ?? [])
        listener({}, message);
    };
    send({ kind: 'openRun', source: 'lab', runId: '7' });
    send({ kind: 'openRun', source: '../x', runId: '7' });
    send({ kind: 'selectSource', source: 'lab', extra: 1 });
    send({ kind: 'restoreScreen', screen: { source: null, route: '//evil.example/' } });
    send('openRun');
    expect(got).toEqual([{ kind: 'openRun', source: 'lab', runId: '7' }]);
    off();
    send({ kind: 'selectSource', source: 'lab' });
    expect(got).toHaveLength(1);
  });

  it("asks main's folder picker with a title and gives back only a path main answered", async () => {
    const ipc = fakeIpcRenderer();
    const altar = (await loadPreload(ipc)).exposed.altar as {
      pickFolder(title: unknown): Promise<unknown>;
    };
    // The fake main answers without a path (a closed picker): null, never the reply itself.
    expect(await altar.pickFolder('Folder for the backup')).toBeNull();
    expect(ipc.calls).toEqual([[desktopChannels.pickFolder, 'Folder for the backup']]);
    await expect(altar.pickFolder({ path: '/etc' })).rejects.toThrow(/title/u);
    expect(ipc.calls).toHaveLength(1);
  });

  it('reports the screen on its own channel, refusing what is not one', async () => {
    const ipc = fakeIpcRenderer();
    const altar = (await loadPreload(ipc)).exposed.altar as Desktop;
    await altar.desktopReady();
    await altar.reportScreen({ source: 'lab', route: '/runs/lab/7' });
    expect(ipc.calls).toEqual([
      [desktopChannels.ready],
      [desktopChannels.screen, { source: 'lab', route: '/runs/lab/7' }],
    ]);
    expect(() => altar.reportScreen({ source: 'lab', route: 'https://evil.example/' })).toThrow(
      /reportScreen/u,
    );
  });
});
