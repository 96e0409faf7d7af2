// Issue 11 item 6: a read that never ends (a dead network share; a FIFO before the fix) must
// not keep a cancelled sync, or its source, "syncing".
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';
import { tempDir, writeSyntheticRun } from './core-test-folder';

let store: CacheStore;
let folder: string;

beforeEach(() => {
  const root = tempDir('hung-read');
  folder = join(root, 'runs');
  writeSyntheticRun(folder, '1');
  writeSyntheticRun(folder, '2');
  store = CacheStore.open(join(root, 'cache.sqlite'));
  store.addSource({ name: 'lab', kind: 'folder', location: folder, createdAt: 'now' });
});

afterEach(() => store.close());

it('ends a cancelled sync whose read never returns, leaving the source idle', async () => {
  let cancelled = false;
  let reading!: () => void;
  const started = new Promise<void>((resolve) => (reading = resolve));
  const sync = syncFolderSource({
    store,
    source: 'lab',
    isCancelled: () => cancelled,
    readRun: () => {
      reading();
      return new Promise(() => undefined);
    },
  });
  await started;
  expect(store.isSyncing('lab')).toBe(true);
  cancelled = true;
  await expect(sync).rejects.toMatchObject({ code: 'CANCELLED' });
  expect(store.isSyncing('lab')).toBe(false);
  expect(store.getSource('lab')?.last_error).toMatch(/cancelled/u);
  expect(store.runFingerprints('lab').size).toBe(0);
});
