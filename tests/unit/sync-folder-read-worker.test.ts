import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../shared/contract';
import { CacheStore } from '../../main/core/cache/cache-store';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import { RunReaderWorker } from '../../main/core/folder/run-reader-worker';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';
import { cacheContent } from '../support/cache-content';
import { loggedWarnings } from '../support/logged-warnings';
import type { SyncFolderOptions } from '../../main/core/sync/sync-folder-source';

/**
 * A big sync reads the run folders in a worker thread while the core's thread writes. What the
 * user sees must not depend on where a run was read: the cache holds the same rows, broken and
 * half-written runs are reported the same, and a worker that cannot start or dies leaves the
 * reading to the core's thread instead of losing runs.
 */

describe('the folder sync read worker', () => {
  let work: string;
  let folder: string;
  let caches = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'altar-read-worker-'));
    folder = join(work, 'runs');
    // Numbered runs plus the generator's broken ones (truncated files, custom ids, ...).
    await generateSacredFolder(folder, { runs: 10, seed: 7 });
    // Captured output that is not UTF-8 is stored by its text, not its bytes.
    mkdirSync(join(folder, 'latin1'));
    writeFileSync(join(folder, 'latin1', 'run.json'), JSON.stringify({ status: 'COMPLETED' }));
    writeFileSync(join(folder, 'latin1', 'cout.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  /** What the syncs said in the log. */
  const warnings = loggedWarnings();

  async function syncInto(
    options: Partial<SyncFolderOptions>,
  ): Promise<{ summary: SyncSummary; content: Record<string, unknown[]> }> {
    const file = join(work, `cache-${caches++}.sqlite`);
    const store = CacheStore.open(file);
    let summary: SyncSummary;
    try {
      store.addSource({ name: 'lab', kind: 'folder', location: folder, createdAt: 'now' });
      summary = await syncFolderSource({ store, source: 'lab', ...options });
    } finally {
      store.close();
    }
    return { summary, content: cacheContent(file) };
  }

  const comparable = (summary: SyncSummary) => ({ ...summary, seconds: 0 });

  it('caches exactly what the core thread caches, broken and half-written runs included', async () => {
    let answered = 0;
    const inThread = await syncInto({ readWorkerFrom: Infinity });
    const inWorker = await syncInto({
      readWorkerFrom: 0,
      startReadWorker: (data) => {
        const worker = RunReaderWorker.start(data);
        expect(worker).not.toBeNull();
        const read = worker!.read.bind(worker);
        worker!.read = async (...args) => {
          const run = await read(...args);
          answered++;
          return run;
        };
        return worker;
      },
    });
    expect(answered).toBe(inWorker.summary.added);
    expect(inWorker.summary.added).toBeGreaterThan(10);
    expect(inWorker.summary.unreadable).toBeGreaterThan(0);
    expect(comparable(inWorker.summary)).toEqual(comparable(inThread.summary));
    expect(inWorker.content).toEqual(inThread.content);
    const latin1 = (inWorker.content['runs'] as unknown[][]).find((row) => row[1] === 'latin1');
    expect(latin1).toBeDefined();
    expect(warnings).toEqual([]);
  });

  it('shares the reading between two workers and caches exactly what the core thread caches', async () => {
    const answered: number[] = [];
    const inThread = await syncInto({ readWorkerFrom: Infinity });
    const inWorkers = await syncInto({
      readWorkerFrom: 0,
      readWorkers: 2,
      startReadWorker: (data) => {
        const worker = RunReaderWorker.start(data);
        const index = answered.push(0) - 1;
        const read = worker!.read.bind(worker);
        worker!.read = async (...args) => {
          const run = await read(...args);
          answered[index]!++;
          return run;
        };
        return worker;
      },
    });
    expect(answered).toHaveLength(2);
    for (const count of answered) expect(count).toBeGreaterThan(0);
    expect(answered[0]! + answered[1]!).toBe(inWorkers.summary.added);
    expect(comparable(inWorkers.summary)).toEqual(comparable(inThread.summary));
    expect(inWorkers.content).toEqual(inThread.content);
  });

  it('keeps reading in the worker that loaded when the other fails to load', async () => {
    const expected = await syncInto({ readWorkerFrom: Infinity });
    let answered = 0;
    let started = 0;
    const mixed = await syncInto({
      readWorkerFrom: 0,
      readWorkers: 2,
      readsAhead: 8,
      startReadWorker: (data) => {
        if (started++ === 0) {
          return RunReaderWorker.start(data, { code: 'throw new Error("no reader here")' });
        }
        const worker = RunReaderWorker.start(data);
        const read = worker!.read.bind(worker);
        worker!.read = async (...args) => {
          const run = await read(...args);
          answered++;
          return run;
        };
        return worker;
      },
    });
    expect(comparable(mixed.summary)).toEqual(comparable(expected.summary));
    expect(mixed.content).toEqual(expected.content);
    // Runs asked of the broken one before it was known to have failed fell back, said once.
    expect(warnings.length).toBeLessThanOrEqual(1);
    // Once the broken one is known to have failed, the live one gets every read: only those
    // asked for before that (at most the 8 the sync asks for at once) went elsewhere.
    expect(answered).toBeGreaterThanOrEqual(mixed.summary.added - 8);
    expect(answered).toBeGreaterThan(0);
  });

  it('reads on the core thread when no worker can be started', async () => {
    const expected = await syncInto({ readWorkerFrom: Infinity });
    const noWorker = await syncInto({ readWorkerFrom: 0, startReadWorker: () => null });
    expect(comparable(noWorker.summary)).toEqual(comparable(expected.summary));
    expect(noWorker.content).toEqual(expected.content);
    expect(warnings).toEqual([
      expect.stringMatching(
        /sync of "lab" reads its run folders on the main thread.*no worker thread can start/,
      ),
    ]);
  });

  it('reads on the core thread what a worker that fails to load never answers', async () => {
    const expected = await syncInto({ readWorkerFrom: Infinity });
    const broken = await syncInto({
      readWorkerFrom: 0,
      startReadWorker: (data) =>
        RunReaderWorker.start(data, { code: 'throw new Error("no reader here")' }),
    });
    expect(comparable(broken.summary)).toEqual(comparable(expected.summary));
    expect(broken.content).toEqual(expected.content);
    // One line for the sync, not one for each of its runs read on the main thread.
    expect(broken.summary.added).toBeGreaterThan(10);
    expect(warnings).toEqual([
      expect.stringMatching(/reads its run folders on the main thread.*no reader here/),
    ]);
  });

  it('stops when asked with reads still in the worker, and a later sync finishes the rest', async () => {
    const file = join(work, `cache-${caches++}.sqlite`);
    const store = CacheStore.open(file);
    try {
      store.addSource({ name: 'lab', kind: 'folder', location: folder, createdAt: 'now' });
      let closed = 0;
      const stopped = syncFolderSource({
        store,
        source: 'lab',
        readWorkerFrom: 0,
        shouldStop: () => store.countRuns('lab') >= 3,
        startReadWorker: (data) => {
          const worker = RunReaderWorker.start(data);
          const close = worker!.close.bind(worker);
          worker!.close = () => {
            closed++;
            close();
          };
          return worker;
        },
      });
      await expect(stopped).rejects.toMatchObject({ code: 'INTERNAL' });
      expect(closed).toBe(1);
      const written = store.countRuns('lab');
      expect(written).toBeGreaterThanOrEqual(3);
      const rest = await syncFolderSource({ store, source: 'lab', readWorkerFrom: 0 });
      expect(rest.unchanged).toBe(written);
      expect(store.countRuns('lab')).toBe(written + rest.added);
      expect(rest.added).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });
});
