// A single-column sort reads a sort key kept per loaded column (column-order.ts), built on
// first use or in idle time after a query showed the column, and kept across syncs that do not
// change the column. A sync that changes a value must never leave a sort in its old order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { LiveRunStore } from '../../main/core/cache/live-run-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { QueryEngine } from '../../main/core/query/query-engine';
import type { JsonValue } from '../../shared/contract';
import type { SortSpec } from '../../shared/filter';

const NOW = Date.UTC(2025, 0, 1);
let dir: string;
let store: CacheStore;
/** The same file through another connection: an engine that never saw a change. */
let other: CacheStore;

/** A run whose start time never changes (so a rewrite keeps every run's row and order). */
function run(
  id: string,
  lr: JsonValue,
  note: string,
  status = 'COMPLETED',
  minutesAgo = Number(id.replace(/\D/gu, '')),
): ParsedRun {
  const parsed = emptyParsedRun(id, status);
  parsed.startTime = new Date(NOW - minutesAgo * 60_000).toISOString();
  parsed.config = { lr, note };
  return parsed;
}

const LRS: JsonValue[] = [0.5, 0.1, null, 'high', Number.NaN, 0.3, 0.1, true, [1, 2], 0.9];

function write(target: CacheStore, source: string, parsed: ParsedRun): void {
  target.writeRun(source, { id: parsed.id, dir: null, fingerprint: `${Math.random()}` }, parsed);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-sort-keys-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  for (const source of ['a-lab', 'b-lab']) {
    store.addSource({ name: source, kind: 'folder', location: `/x/${source}`, createdAt: 'x' });
    LRS.forEach((lr, i) => write(store, source, run(`${source[0]}${i + 1}`, lr, `n${i}`)));
  }
  other = CacheStore.open(join(dir, 'cache.sqlite'));
});

afterEach(() => {
  other.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const SORTS: { sort: SortSpec[]; where?: string }[] = [
  { sort: [{ column: 'config.lr' }] },
  { sort: [{ column: 'config.lr', desc: true }] },
  { sort: [{ column: 'config.lr', desc: true }], where: 'status = COMPLETED' },
  { sort: [{ column: 'config.lr' }], where: 'config.note != n3' },
];

function answers(engine: QueryEngine) {
  return SORTS.map(({ sort, where }) => {
    const result = engine.query({ sort, where, columns: ['config.lr'], limit: 100 });
    return result.rows.map((row) => `${row.source}/${row.id}=${JSON.stringify(row.values)}`);
  });
}

function firstIds(engine: QueryEngine, desc: boolean): string[] {
  const result = engine.query({ sort: [{ column: 'config.lr', desc }], limit: 3 });
  return result.rows.map((row) => row.id);
}

describe('sort keys kept per column', () => {
  it('follow a sync that rewrites a value: the run moves to its new place', () => {
    const engine = new QueryEngine(store.database, () => NOW, 8, false);
    // Booleans before numbers; equal values in the default order (source, newest first).
    expect(firstIds(engine, false)).toEqual(['a8', 'b8', 'a2']);
    // a3 had no lr (null: last); now the smallest number.
    write(store, 'a-lab', run('a3', -1, 'n2'));
    expect(firstIds(engine, false)).toEqual(['a8', 'b8', 'a3']);
    expect(answers(engine)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
    // The same through the live refresh's in-place update.
    new LiveRunStore(store).updateRun(
      'b-lab',
      { id: 'b1', dir: null, fingerprint: 'live' },
      run('b1', false, 'n0', 'RUNNING'),
    );
    expect(firstIds(engine, false)).toEqual(['b1', 'a8', 'b8']);
    expect(answers(engine)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
  });

  it('follow another process writing (a reload) and a run added or deleted', () => {
    const engine = new QueryEngine(store.database, () => NOW, 8, false);
    answers(engine);
    write(other, 'b-lab', run('b2', 'aaa', 'n1'));
    write(store, 'a-lab', run('a11', -5, 'new'));
    store.deleteRun('a-lab', 'a8');
    const fresh = answers(new QueryEngine(other.database, () => NOW));
    expect(answers(engine)).toEqual(fresh);
    expect(firstIds(engine, false)).toEqual(['b8', 'a11', 'a2']);
  });

  it('are kept across a sync that changes only another column, and answer right', () => {
    const engine = new QueryEngine(store.database, () => NOW, 8, false);
    answers(engine);
    const built = engine.sortKeyCounts.onDemand;
    expect(built).toBe(1);
    // Only the note changes: lr keeps its column, so its key is kept.
    write(store, 'a-lab', run('a5', LRS[4] ?? null, 'changed'));
    expect(answers(engine)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
    expect(engine.sortKeyCounts.onDemand).toBe(built);
    // A changed lr: built again.
    write(store, 'a-lab', run('a5', 0.2, 'changed'));
    expect(answers(engine)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
    expect(engine.sortKeyCounts.onDemand).toBe(built + 1);
  });

  it('follow a sync that moves a run in the default order only (ties change places)', () => {
    const engine = new QueryEngine(store.database, () => NOW, 8, false);
    // a2 and a7 hold the same lr (0.1): the newer start comes first.
    expect(firstIds(engine, false)).toEqual(['a8', 'b8', 'a2']);
    write(store, 'a-lab', run('a7', LRS[6] ?? null, 'n6', 'COMPLETED', 0));
    expect(firstIds(engine, false)).toEqual(['a8', 'b8', 'a7']);
    expect(answers(engine)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
  });

  it('are built in idle time once a query showed the column, and not reused after a change', async () => {
    const engine = new QueryEngine(store.database, () => NOW);
    engine.query({ columns: ['config.lr'], limit: 5 });
    // The default order's own key (start time) was built for that query.
    const onDemand = engine.sortKeyCounts.onDemand;
    await vi.waitFor(() => expect(engine.sortKeyCounts.prepared).toBe(1));
    const fresh = answers(new QueryEngine(other.database, () => NOW));
    expect(answers(engine)).toEqual(fresh);
    // The click found the key ready.
    expect(engine.sortKeyCounts.onDemand).toBe(onDemand);
    write(store, 'b-lab', run('b10', -2, 'n9'));
    expect(firstIds(engine, false)).toEqual(['a8', 'b8', 'b10']);
    expect(answers(engine)).toEqual(answers(new QueryEngine(other.database, () => NOW)));
  });
});
