import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { readOrExplain } from '../../main/core/folder/read-or-explain';
import { stopSignal } from '../../main/core/sync/stop-signal';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';
import { tempDir, writeSyntheticRun } from '../integration/core-test-folder';

// V8's gc() in a fresh context (the flag is read when a context is made), to see what is kept.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects what nothing holds; WeakRefs read in this task stay alive until it ends. */
async function collect(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
}

/**
 * A sync races every read against being stopped. Each read's result must be let go once it is
 * written: a 20k-run first sync kept every run it had read (1.5 GB of RSS on the core's thread,
 * and a heap V8 marked again at each full collection), because the race held them (issue 13).
 */
describe('a sync racing its reads against a stop', () => {
  const stops: { dispose(): void }[] = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop.dispose();
  });

  it('keeps nothing of a read once it settled', async () => {
    const signal = stopSignal(() => false);
    stops.push(signal);
    // In a function of its own: a suspended async frame may hold its last loop value.
    const raceEach = async (): Promise<{ refs: WeakRef<object>[]; answered: number }> => {
      const refs: WeakRef<object>[] = [];
      let answered = 0;
      for (let i = 0; i < 20; i++) {
        const run = { id: String(i), points: new Float64Array(1000) };
        refs.push(new WeakRef(run));
        if ((await signal.race(Promise.resolve(run))) === run) answered++;
      }
      return { refs, answered };
    };
    const { refs, answered } = await raceEach();
    await collect();
    expect(answered).toBe(20);
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  });

  it('gives null for a read still pending when the sync stops, and passes a failure on', async () => {
    let stopping = false;
    const signal = stopSignal(() => stopping);
    stops.push(signal);
    await expect(
      signal.race(Promise.reject(new Error('EIO: the share went away'))),
    ).rejects.toThrow('EIO');
    let finish!: (run: string) => void;
    const hung = signal.race(new Promise<string>((resolve) => (finish = resolve)));
    stopping = true;
    await expect(hung).resolves.toBeNull();
    finish('too late');
    // Once stopped, a new read is not waited for either; its later failure goes nowhere.
    await expect(signal.race(new Promise(() => undefined))).resolves.toBeNull();
    await expect(signal.race(Promise.reject(new Error('late')))).resolves.toBeNull();
  });

  it('lets go of the runs it has written while it reads the next ones', async () => {
    const root = tempDir('sync-keeps-no-runs');
    const folder = join(root, 'runs');
    for (let i = 1; i <= 12; i++) writeSyntheticRun(folder, String(i), { points: 200 });
    const store = CacheStore.open(join(root, 'cache.sqlite'));
    try {
      store.addSource({ name: 'lab', kind: 'folder', location: folder, createdAt: 'now' });
      const read: WeakRef<ParsedRun>[] = [];
      let calls = 0;
      let keptAtTheEnd = -1;
      const summary = await syncFolderSource({
        store,
        source: 'lab',
        readRun: async (from, entry, options) => {
          if (++calls === 12) {
            // The last read: the first six runs were written long ago (one per transaction in
            // a sync this small, four reads at a time).
            await collect();
            keptAtTheEnd = read.slice(0, 6).filter((ref) => ref.deref() !== undefined).length;
          }
          const run = await readOrExplain(from, entry, options);
          if (run !== null) read.push(new WeakRef(run));
          return run;
        },
      });
      expect(summary.added).toBe(12);
      expect(store.countRuns('lab')).toBe(12);
      expect(keptAtTheEnd).toBe(0);
    } finally {
      store.close();
    }
  });
});
