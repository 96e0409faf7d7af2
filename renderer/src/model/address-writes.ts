/**
 * The address bar's writes, with a replace held until the page is idle (issue 13: a sort's
 * click wrote the table's new address with `history.replaceState`, 4–40 ms of the click's own
 * task under load, while the sort's reply waited behind it). The screen follows the route at
 * once; only the address comes a little later, after the rows. A push (a new entry) first
 * writes the held address on the entry it leaves, so Back returns to the table as it was.
 */
export interface HistoryWrites {
  replaceState(data: unknown, unused: string, url: string): void;
  pushState(data: unknown, unused: string, url: string): void;
  readonly state: unknown;
}

export interface AddressWrites {
  /** Replaces this entry's address once the page is idle (the last of several wins). */
  replace(address: string): void;
  /** A new entry: the held address is written on this one first. */
  push(state: unknown, address: string): void;
  /** Writes the held address now (the page is going away). */
  flush(): void;
  /** The address as it will be: the held one, else the page's. */
  shown(): string;
  /** Back or Forward left the entry the held address was for: it is not written anywhere. */
  drop(): void;
}

export function createAddressWrites(
  history: HistoryWrites,
  pageAddress: () => string,
  whenIdle: (callback: () => void) => void,
): AddressWrites {
  let held: string | null = null;
  let asked = false;
  const flush = (): void => {
    if (held === null) return;
    const address = held;
    held = null;
    if (address !== pageAddress()) history.replaceState(history.state, '', address);
  };
  return {
    replace(address) {
      held = address;
      if (asked) return;
      asked = true;
      whenIdle(() => {
        asked = false;
        flush();
      });
    },
    push(state, address) {
      flush();
      history.pushState(state, '', address);
    },
    flush,
    shown: () => held ?? pageAddress(),
    drop() {
      held = null;
    },
  };
}
