import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipcChannels } from '../../shared/client-api';
import { methodNames } from '../../shared/contract';
import { createAltarCore } from '../../main/core/altar-core';
import type { CoreService } from '../../main/core/core-service';
import { forwardEvents, registerIpcHost } from '../../main/hosts/ipc-host';
import type { IpcEventMessage } from '../../main/hosts/ipc-host';
import { FakeIpcMain, makeWorkspace, trustedSender } from './doors';
import type { FakeSender, Workspace } from './doors';

const artifactFrame: FakeSender = { id: 'main-window', url: 'altar-artifact://a/abc' };
const otherWindow: FakeSender = { id: 'devtools-or-popup', url: 'altar-app://ui/index.html' };

/** The same rule main/electron/main.ts applies: our window, showing our UI. */
function isTrusted(event: { sender: FakeSender; senderFrame: { url: string } }): boolean {
  return (
    event.sender.id === trustedSender.id && event.senderFrame.url.startsWith('altar-app://ui/')
  );
}

let workspace: Workspace;
let core: CoreService;
let ipc: FakeIpcMain;

beforeEach(() => {
  workspace = makeWorkspace();
  core = createAltarCore({ dataDir: workspace.dataDir('ipc'), door: 'electron' });
  ipc = new FakeIpcMain();
});

afterEach(async () => {
  await core.close();
  workspace.remove();
});

describe('IPC host', () => {
  it('registers exactly one channel per contract method', () => {
    registerIpcHost(core, ipc, isTrusted);
    expect([...ipc.handlers.keys()].sort()).toEqual(
      methodNames.map((m) => ipcChannels.invoke(m)).sort(),
    );
  });

  it.each([
    ['a frame that is not our UI', artifactFrame],
    ['another window', otherWindow],
  ])('answers FORBIDDEN to %s and never reaches the core', async (_label, sender) => {
    registerIpcHost(core, ipc, isTrusted);
    const reply = await ipc.invoke(sender, ipcChannels.invoke('addFolderSource'), {
      name: 'sneaky',
      path: workspace.runFolder,
    });
    expect(reply).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    const sources = await ipc.invoke(trustedSender, ipcChannels.invoke('listSources'), {});
    expect(sources).toEqual({ ok: true, result: [] });
  });

  it('treats a sender check that throws as untrusted', async () => {
    registerIpcHost(core, ipc, () => {
      throw new Error('frame is gone');
    });
    const reply = await ipc.invoke(trustedSender, ipcChannels.invoke('getAppInfo'), {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('validates arguments before the core sees them', async () => {
    registerIpcHost(core, ipc, isTrusted);
    const reply = await ipc.invoke(trustedSender, ipcChannels.invoke('addFolderSource'), {
      name: '../../etc',
      path: workspace.runFolder,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect((reply as { error: { message: string } }).error.message).toContain('name');
  });

  it('refuses an export that would write a file where the page says', async () => {
    registerIpcHost(core, ipc, isTrusted);
    const target = `${workspace.runFolder}/../written-by-the-page.csv`;
    const reply = await ipc.invoke(trustedSender, ipcChannels.invoke('exportRuns'), {
      format: 'csv',
      path: target,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(existsSync(target)).toBe(false);
  });

  it('unregisters every handler', async () => {
    const unregister = registerIpcHost(core, ipc, isTrusted);
    unregister();
    expect(ipc.handlers.size).toBe(0);
    await expect(ipc.invoke(trustedSender, ipcChannels.invoke('getAppInfo'), {})).rejects.toThrow();
  });

  it('forwards core events as {name, payload} on the event channel until unsubscribed', async () => {
    registerIpcHost(core, ipc, isTrusted);
    const sent: Array<{ channel: string; message: IpcEventMessage }> = [];
    const stop = forwardEvents(core, (channel, message) =>
      sent.push({ channel, message: structuredClone(message) }),
    );
    await ipc.invoke(trustedSender, ipcChannels.invoke('addFolderSource'), {
      name: 'c',
      path: workspace.runFolder,
    });
    await ipc.invoke(trustedSender, ipcChannels.invoke('syncSources'), {});
    expect(sent.every((s) => s.channel === ipcChannels.event)).toBe(true);
    const names = sent.map((s) => s.message.name);
    expect(names).toContain('sourcesChanged');
    expect(names).toContain('syncProgress');
    const done = sent.find(
      (s) =>
        s.message.name === 'syncProgress' &&
        (s.message.payload as { phase: string }).phase === 'done',
    );
    expect(done?.message.payload).toMatchObject({ source: 'c', phase: 'done' });

    stop();
    const before = sent.length;
    await ipc.invoke(trustedSender, ipcChannels.invoke('removeSource'), { name: 'c' });
    expect(sent.length).toBe(before);
  });
});
