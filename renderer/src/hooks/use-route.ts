import { useCallback, useEffect, useState } from 'react';
import type { Route } from '../../../shared/routes';
import { defaultTableRoute, formatRoute, parseRoute } from '../../../shared/routes';

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
    const onPop = (): void =>
      setState((current) => ({ route: currentRoute(), arrival: current.arrival + 1 }));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback<Navigate>((route, options) => {
    const address = formatRoute(route);
    setState((current) => ({ route, arrival: current.arrival }));
    if (address === currentAddress()) return;
    if (options?.replace === true) {
      window.history.replaceState(window.history.state, '', address);
    } else {
      const from = parseRoute(window.location.pathname, window.location.search);
      const entry: EntryState = { fromTable: from?.screen === 'table' };
      window.history.pushState(entry, '', address);
    }
  }, []);

  return [state, navigate];
}
