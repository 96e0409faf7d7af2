import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import { QueryEngine } from '../../main/core/query/query-engine';

/**
 * `id < …` and `--sort id` on a source whose runs have number ids, text ids (folder runs
 * named by hand, `--id myrun7`) and MongoDB ObjectIds. The sort puts numbers first, then text,
 * then ObjectIds (shared/run-id-order.ts). A comparison never crosses the number/text line,
 * as for any column (a number is neither less nor more than a text: `id > 10` finds no text
 * id, and so `id < "a"` finds no number id); among the text and ObjectId ids a comparison
 * agrees with the sort: `id < X` finds exactly the ids listed before X.
 */
const OBJECT_IDS = ['65a1f0c2e4b0a1b2c3d4e5f6', '0123456789abcdef01234567'];
const TEXT_IDS = ['myrun7', 'Baseline', 'run-10', 'run-9', 'zeta', '007'];
const NUMBER_IDS = ['2', '10', '3', '100'];
/** The order `--sort id` gives, written out by hand. */
const SORTED = [
  '2',
  '3',
  '10',
  '100',
  '007',
  'Baseline',
  'myrun7',
  'run-10',
  'run-9',
  'zeta',
  '0123456789abcdef01234567',
  '65a1f0c2e4b0a1b2c3d4e5f6',
];

let dir: string;
let store: CacheStore;
let engine: QueryEngine;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-id-ranges-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  store.addSource({
    name: 'lab',
    kind: 'folder',
    location: join(dir, 'lab'),
    createdAt: '2025-01-01T00:00:00Z',
  });
  for (const id of [...OBJECT_IDS, ...TEXT_IDS, ...NUMBER_IDS]) {
    store.writeRun('lab', { id, dir: null, fingerprint: 'f' }, emptyParsedRun(id, 'COMPLETED'));
  }
  engine = new QueryEngine(store.database, () => Date.UTC(2025, 0, 1));
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The ids a filter finds, in `--sort id` order. */
function listed(where?: string, desc = false): string[] {
  return engine
    .query({
      ...(where === undefined ? {} : { where }),
      sort: [{ column: 'id', desc }],
      columns: [],
      limit: 1000,
    })
    .rows.map((row) => row.id);
}

describe('run id comparisons and the id sort', () => {
  it('sorts numbers, then text ids, then ObjectIds', () => {
    expect(listed()).toEqual(SORTED);
    expect(listed(undefined, true)).toEqual([...SORTED].reverse());
  });

  it('never compares a number id with a text literal, nor a text id with a number', () => {
    expect(listed('id < "a"')).toEqual(['007', 'Baseline']);
    expect(listed('id > 10')).toEqual(['100']);
    expect(listed('id >= 0')).toEqual(['2', '3', '10', '100']);
    // A quoted whole number is the number (`id = "3"` is `id = 3`), so no text id either.
    expect(listed('id < "5"')).toEqual(['2', '3']);
  });

  it('puts ObjectIds after every text id, as the sort does', () => {
    // In plain text order "0123…" and "65a1…" come before "myrun7"; listed, they come after.
    expect(listed('id < "myrun7"')).toEqual(['007', 'Baseline']);
    expect(listed('id > "myrun7"')).toEqual([
      'run-10',
      'run-9',
      'zeta',
      '0123456789abcdef01234567',
      '65a1f0c2e4b0a1b2c3d4e5f6',
    ]);
    expect(listed('id >= "65a1f0c2e4b0a1b2c3d4e5f6"')).toEqual(['65a1f0c2e4b0a1b2c3d4e5f6']);
    expect(listed('id < "65a1f0c2e4b0a1b2c3d4e5f6"')).toEqual(
      SORTED.filter((id) => !NUMBER_IDS.includes(id)).slice(0, -1),
    );
  });

  it('finds with id < X exactly the text and ObjectIds listed before X', () => {
    const notNumbers = SORTED.filter((id) => !NUMBER_IDS.includes(id));
    for (const [index, id] of notNumbers.entries()) {
      expect(listed(`id < "${id}"`), id).toEqual(notNumbers.slice(0, index));
      expect(listed(`id <= "${id}"`), id).toEqual(notNumbers.slice(0, index + 1));
      expect(listed(`id > "${id}"`), id).toEqual(notNumbers.slice(index + 1));
      expect(listed(`id = "${id}"`), id).toEqual([id]);
    }
  });
});
