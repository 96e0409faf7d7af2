import { describe, expect, it } from 'vitest';
import { createAddressWrites } from '../../renderer/src/model/address-writes';
import type { HistoryWrites } from '../../renderer/src/model/address-writes';

/** A history of entries (address, state) with the current one last, and the idle callbacks. */
function fakePage(start: string) {
  const entries: { address: string; state: unknown }[] = [{ address: start, state: null }];
  const idle: (() => void)[] = [];
  const history: HistoryWrites = {
    replaceState(data, _unused, url) {
      entries[entries.length - 1] = { address: url, state: data };
    },
    pushState(data, _unused, url) {
      entries.push({ address: url, state: data });
    },
    get state() {
      return entries[entries.length - 1]?.state;
    },
  };
  const address = (): string => entries[entries.length - 1]?.address ?? '';
  const writes = createAddressWrites(history, address, (callback) => idle.push(callback));
  const runIdle = (): void => {
    for (const callback of idle.splice(0)) callback();
  };
  return { entries, writes, address, runIdle, idle };
}

describe('address writes (renderer/src/model/address-writes.ts)', () => {
  it('writes a replaced address once the page is idle, the last of several', () => {
    const page = fakePage('/runs');
    page.writes.replace('/runs?sort=a');
    page.writes.replace('/runs?sort=b');
    expect(page.address()).toBe('/runs');
    expect(page.writes.shown()).toBe('/runs?sort=b');
    expect(page.idle).toHaveLength(1);
    page.runIdle();
    expect(page.entries.map((entry) => entry.address)).toEqual(['/runs?sort=b']);
    expect(page.writes.shown()).toBe('/runs?sort=b');
  });

  it('keeps the entry state when it replaces the address', () => {
    const page = fakePage('/runs');
    page.entries[0] = { address: '/runs', state: { fromTable: false } };
    page.writes.replace('/runs?sort=a');
    page.runIdle();
    expect(page.entries[0]).toEqual({ address: '/runs?sort=a', state: { fromTable: false } });
  });

  it('writes the held address on the entry it leaves before a push, so Back finds it', () => {
    const page = fakePage('/runs');
    page.writes.replace('/runs?sort=a');
    page.writes.push({ fromTable: true }, '/run/x');
    expect(page.entries.map((entry) => entry.address)).toEqual(['/runs?sort=a', '/run/x']);
    // The idle write asked for earlier finds nothing held: the run's entry keeps its address.
    page.runIdle();
    expect(page.entries.map((entry) => entry.address)).toEqual(['/runs?sort=a', '/run/x']);
  });

  it('writes nothing once Back left the entry', () => {
    const page = fakePage('/runs');
    page.writes.replace('/runs?sort=a');
    page.writes.drop();
    page.runIdle();
    expect(page.entries.map((entry) => entry.address)).toEqual(['/runs']);
    expect(page.writes.shown()).toBe('/runs');
  });

  it('writes nothing when the address held is the page’s own again', () => {
    let writes = 0;
    const history: HistoryWrites = {
      replaceState: () => (writes += 1),
      pushState: () => undefined,
      state: null,
    };
    const writesNow = createAddressWrites(
      history,
      () => '/runs',
      (callback) => callback(),
    );
    writesNow.replace('/runs');
    expect(writes).toBe(0);
  });

  it('flushes at once when the page goes away', () => {
    const page = fakePage('/runs');
    page.writes.replace('/runs?sort=a');
    page.writes.flush();
    expect(page.address()).toBe('/runs?sort=a');
  });
});
