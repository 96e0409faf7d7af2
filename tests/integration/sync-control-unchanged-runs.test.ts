// What a sync tells the window (main/core/sync/sync-control.ts): a sync that wrote no run (an
// unreachable folder retried, a periodic sync with nothing new) says the sources changed but
// not their runs, so the window does not ask its table's pages again; a sync that wrote runs,
// even one that failed half way, says the rows changed. Writes by another process are told
// by the external-change watch, which is not a sync and keeps saying everything changed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { createAltarCore } from '../../main/core/altar-core';
import { EventBus } from '../../main/core/event-bus';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import { createSyncControl } from '../../main/core/sync/sync-control';
import { DEFAULT_SETTINGS } from '../../shared/contract';
import type { SyncSummary } from '../../shared/contract';
import type { EventPayload } from '../../shared/events';

let dir: string;
let store: CacheStore;
let bus: EventBus;
let told: (
  ['sourcesChanged', EventPayload<'sourcesChanged'>] | ['runsChanged', EventPayload<'runsChanged'>]
)[];

const summary = (changed: number): SyncSummary => ({
  source: 'lab',
  added: changed,
  updated: 0,
  removed: 0,
  unchanged: 3 - changed,
  unreadable: 0,
  points: 0,
  seconds: 0,
});

function writeRun(to: CacheStore, id: string): void {
  to.writeRun('lab', { id, dir: null, fingerprint: `f-${id}` }, emptyParsedRun(id, 'COMPLETED'));
}

/** A sync control whose sync of a source runs `sync` (writing or not) instead of reading. */
function control(sync: () => SyncSummary) {
  return createSyncControl({
    store,
    bus,
    now: Date.now,
    syncSource: () => Promise.resolve().then(sync),
    refreshLive: () => Promise.reject(new Error('no live refresh in this test')),
    isClosing: () => false,
    track: (promise) => promise,
    settings: () => DEFAULT_SETTINGS,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-sync-unchanged-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  store.addSource({ name: 'lab', kind: 'folder', location: '/x/lab', createdAt: 'x' });
  for (const id of ['1', '2', '3']) writeRun(store, id);
  bus = new EventBus();
  told = [];
  bus.on('sourcesChanged', (event) => told.push(['sourcesChanged', event]));
  bus.on('runsChanged', (event) => told.push(['runsChanged', event]));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a sync tells the window', () => {
  it('that only the sources changed when it wrote no run', async () => {
    await control(() => summary(0)).syncOne('lab');
    expect(told).toEqual([['sourcesChanged', { runsUnchanged: true }]]);
  });

  it('that the rows changed when it wrote runs', async () => {
    await control(() => {
      writeRun(store, '4');
      return summary(1);
    }).syncOne('lab');
    expect(told).toEqual([
      ['runsChanged', { source: 'lab', runIds: null }],
      ['sourcesChanged', {}],
    ]);
  });

  it('that only the sources changed when it failed before writing (an unreachable folder)', async () => {
    const sync = control(() => {
      throw new Error('the folder is gone');
    });
    await expect(sync.syncOne('lab')).rejects.toThrow('the folder is gone');
    expect(told).toEqual([['sourcesChanged', { runsUnchanged: true }]]);
  });

  it('that the rows changed when it failed after writing some runs', async () => {
    const sync = control(() => {
      writeRun(store, '5');
      throw new Error('connection lost');
    });
    await expect(sync.syncOne('lab')).rejects.toThrow('connection lost');
    expect(told).toEqual([
      ['runsChanged', { source: 'lab', runIds: null }],
      ['sourcesChanged', {}],
    ]);
  });
});

it("another process's write reaches the open core's window as a change of its rows", async () => {
  const dataDir = join(dir, 'core');
  const core = createAltarCore({ dataDir, door: 'direct' });
  try {
    const other = CacheStore.open(join(dataDir, 'cache.sqlite'));
    const event = new Promise<EventPayload<'sourcesChanged'>>((resolve) => {
      const off = core.on('sourcesChanged', (payload) => {
        off();
        resolve(payload);
      });
    });
    try {
      // The CLI adds a source and syncs it on its own connection.
      other.addSource({ name: 'lab', kind: 'folder', location: '/x/lab', createdAt: 'x' });
      writeRun(other, '1');
    } finally {
      other.close();
    }
    expect((await event).runsUnchanged).not.toBe(true);
  } finally {
    await core.close();
  }
});
