// The sort keys of shown columns are built in idle time (query-engine.ts), one step at a time.
// A column the user has just added to the table is the likeliest next click: its key is built
// before those of the columns queued earlier, so that click finds it ready.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import { QueryEngine } from '../../main/core/query/query-engine';

const NOW = Date.UTC(2025, 0, 1);
let dir: string;
let store: CacheStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-sort-key-order-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  for (const source of ['a-lab', 'b-lab']) {
    store.addSource({ name: source, kind: 'folder', location: `/x/${source}`, createdAt: 'x' });
    for (let i = 1; i <= 30; i++) {
      const parsed = emptyParsedRun(`${source[0]}${i}`, 'COMPLETED');
      parsed.startTime = new Date(NOW - i * 60_000).toISOString();
      parsed.config = { lr: (i * 7) % 11, note: `n${(i * 5) % 13}`, seed: i % 4, depth: i % 6 };
      store.writeRun(source, { id: parsed.id, dir: null, fingerprint: `f${i}` }, parsed);
    }
  }
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});

afterEach(() => {
  vi.useRealTimers();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const firstIds = (engine: QueryEngine, column: string): string[] =>
  engine.query({ columns: [], sort: [{ column }], limit: 3 }).rows.map((row) => row.id);

it('builds the key of the column just added to the table before those queued earlier', () => {
  const engine = new QueryEngine(store.database, () => NOW);
  const shown = ['config.note', 'config.seed', 'config.depth'];
  engine.query({ columns: shown, limit: 50 });
  // Before any idle step ran, the user adds a column: the table asks for it with the others.
  engine.query({ columns: [...shown, 'config.lr'], limit: 50 });
  const onDemand = engine.sortKeyCounts.onDemand;
  for (let step = 0; step < 100 && engine.sortKeyCounts.prepared === 0; step++) {
    vi.advanceTimersToNextTimer();
  }
  expect(engine.sortKeyCounts.prepared).toBe(1);
  // The click on the added column's header finds its key: nothing is built on demand...
  const sorted = firstIds(engine, 'config.lr');
  expect(engine.sortKeyCounts.onDemand).toBe(onDemand);
  // ...and the order is right: lr 0 first (runs 11 and 22 of each lab; ties newest first, a-lab
  // before b-lab), as a fresh engine computes it.
  expect(sorted).toEqual(['a11', 'a22', 'b11']);
  expect(sorted).toEqual(
    firstIds(new QueryEngine(store.database, () => NOW, 8, false), 'config.lr'),
  );
});
