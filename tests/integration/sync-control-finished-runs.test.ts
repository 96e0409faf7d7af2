// The live refresh path of runFinished (main/core/sync/sync-control.ts): a MongoDB source's
// running runs are refreshed every few seconds between syncs, and a run that ended in such a
// refresh is announced once; a refresh that changed nothing announces nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { EventBus } from '../../main/core/event-bus';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import { createSyncControl } from '../../main/core/sync/sync-control';
import type { RefreshLiveResult } from '../../main/core/sync/refresh-live-runs';
import { DEFAULT_SETTINGS } from '../../shared/contract';
import type { EventPayload } from '../../shared/events';

let dir: string;
let store: CacheStore;
let bus: EventBus;
let finished: EventPayload<'runFinished'>[];

function writeRun(id: string, status: string): void {
  store.writeRun(
    'db1',
    { id, dir: null, fingerprint: `${id}-${status}` },
    {
      ...emptyParsedRun(id, status),
      experiment: 'live',
    },
  );
}

function control(refresh: () => string[]) {
  return createSyncControl({
    store,
    bus,
    now: Date.now,
    syncSource: () => Promise.reject(new Error('no sync in this test')),
    refreshLive: async (source): Promise<RefreshLiveResult> => {
      const changed = refresh();
      return { source, checked: 2, changed, points: 0, outputBytes: 0 };
    },
    isClosing: () => false,
    track: (promise) => promise,
    settings: () => DEFAULT_SETTINGS,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-sync-control-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  store.addSource({
    name: 'db1',
    kind: 'mongo',
    location: 'mongodb://test/db1',
    createdAt: new Date(0).toISOString(),
    mongo: { profileId: 'p1', database: 'db1', prefix: null },
  });
  writeRun('1', 'RUNNING');
  writeRun('2', 'RUNNING');
  bus = new EventBus();
  finished = [];
  bus.on('runFinished', (run) => finished.push(run));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a live refresh', () => {
  it('announces the runs it saw finish, once', async () => {
    const sync = control(() => {
      writeRun('2', 'COMPLETED');
      return ['1', '2'];
    });
    await sync.refreshLive('db1');
    expect(finished).toEqual([
      { source: 'db1', runId: '2', status: 'COMPLETED', experiment: 'live' },
    ]);
    await sync.refreshLive('db1');
    expect(finished).toHaveLength(1);
  });

  it('announces nothing when nothing changed', async () => {
    await control(() => []).refreshLive('db1');
    expect(finished).toEqual([]);
  });
});
