import { useCallback, useEffect, useState } from 'react';
import type { Route } from '../../../shared/routes';
import { defaultTableRoute, formatRoute, parseRoute } from '../../../shared/routes';
import { createAddressWrites } from '../model/address-writes';
import { browserIdleScheduler } from '../model/idle-steps';

export interface RouteState {
  route: Route;
  /** Bumped when the address changed from outside the app: Back, Forward, a deep link. */
  arrival: number;
}

export interface Navigate {
  (route: Route, options?: { replace?: boolean }): void;
}

/** history.state of an entry pushed from the run table: Back there is the way back. */
interface EntryState {
  fromTable: boolean;
}

function currentRoute(): Route {
  return parseRoute(window.location.pathname, window.location.search) ?? defaultTableRoute;
}

function currentAddress(): string {
  return `${window.location.pathname}${window.location.search}`;
}

// The idle scheduler holds while a reply is awaited: a sort's new address is written after
// its rows are on screen.
const addressWrites = createAddressWrites(window.history, currentAddress, (callback) =>
  browserIdleScheduler.whenIdle(() => callback()),
);

/** The address of the screen shown (a replace may not be in the address bar yet). */
export function shownAddress(): string {
  return addressWrites.shown();
}

/** Whether the entry before this one is the run table (so Back returns to it as it was). */
export function cameFromTable(): boolean {
  const state: unknown = window.history.state;
  return (
    typeof state === 'object' && state !== null && (state as Partial<EntryState>).fromTable === true
  );
}

/**
 * The screen the address bar names, kept in step with it both ways: navigate() writes a new
 * history entry (or replaces this one), and Back/Forward bring the screen they name.
 */
export function useRoute(): [RouteState, Navigate] {
  const [state, setState] = useState<RouteState>(() => ({ route: currentRoute(), arrival: 0 }));

  useEffect(() => {
    const onPop = (): void => {
      addressWrites.drop();
      setState((current) => ({ route: currentRoute(), arrival: current.arrival + 1 }));
    };
    const onHide = (): void => addressWrites.flush();
    window.addEventListener('popstate', onPop);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('pagehide', onHide);
    };
  }, []);

  const navigate = useCallback<Navigate>((route, options) => {
    const address = formatRoute(route);
    setState((current) => ({ route, arrival: current.arrival }));
    if (address === addressWrites.shown()) return;
    if (options?.replace === true) {
      addressWrites.replace(address);
    } else {
      addressWrites.flush();
      const from = parseRoute(window.location.pathname, window.location.search);
      const entry: EntryState = { fromTable: from?.screen === 'table' };
      addressWrites.push(entry, address);
    }
  }, []);

  return [state, navigate];
}
