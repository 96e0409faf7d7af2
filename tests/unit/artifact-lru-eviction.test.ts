import { describe, expect, it } from 'vitest';
import { selectEvictions } from '../../main/core/artifacts/lru-eviction';
import type { CacheEntry } from '../../main/core/artifacts/lru-eviction';

const entry = (id: string, bytes: number, lastAccess: number, orphan = false): CacheEntry => ({
  id,
  bytes,
  lastAccess,
  orphan,
});

describe('selectEvictions', () => {
  it('evicts nothing while the total fits the cap (equal counts as fitting)', () => {
    expect(selectEvictions([], 0)).toEqual([]);
    expect(selectEvictions([entry('a', 50, 1), entry('b', 50, 2)], 100)).toEqual([]);
  });

  it('evicts the least recently used first, only as many as needed', () => {
    const entries = [entry('new', 40, 30), entry('old', 40, 10), entry('mid', 40, 20)];
    expect(selectEvictions(entries, 80)).toEqual(['old']);
    expect(selectEvictions(entries, 79)).toEqual(['old', 'mid']);
    expect(selectEvictions(entries, 0)).toEqual(['old', 'mid', 'new']);
  });

  it('keeps evicting past small old files when one big file must go', () => {
    const entries = [entry('small', 1, 1), entry('big', 100, 2), entry('last', 10, 3)];
    expect(selectEvictions(entries, 20)).toEqual(['small', 'big']);
  });

  it('breaks ties of access time by id, so the choice does not depend on row order', () => {
    const a = [entry('y', 10, 5), entry('x', 10, 5), entry('z', 10, 6)];
    expect(selectEvictions(a, 20)).toEqual(['x']);
    expect(selectEvictions([...a].reverse(), 20)).toEqual(['x']);
  });

  it('evicts orphans first, even under the cap, however recent', () => {
    const entries = [entry('old', 10, 1), entry('gone', 10, 99, true), entry('new', 10, 50)];
    expect(selectEvictions(entries, 1000)).toEqual(['gone']);
    expect(selectEvictions(entries, 10)).toEqual(['gone', 'old']);
  });

  it('never evicts a kept entry, even when the rest stays over the cap', () => {
    const entries = [entry('pinned', 60, 1), entry('other', 60, 2), entry('orphan', 5, 0, true)];
    expect(selectEvictions(entries, 50, new Set(['pinned', 'orphan']))).toEqual(['other']);
    expect(selectEvictions(entries, 0, new Set(['pinned', 'other', 'orphan']))).toEqual([]);
  });
});
