import { useEffect, useState } from 'react';
import type { RunDetail, RunKey } from '../../../shared/contract';
import { useApi } from './use-api';
import { useLoader } from './use-loader';
import type { Loaded } from './use-loader';

/**
 * A run's details, loaded like useLoader, then kept current: when the core says the run
 * changed (`runsChanged`: a sync, or the live refresh of a running run) it is fetched again
 * quietly, without a loading state, so the open tab and its scroll position stay put.
 */
export function useLiveRun(runKey: RunKey, reloadToken: number): Loaded<RunDetail> {
  const api = useApi();
  const key = `${runKey.source}\u0000${runKey.id}\u0000${reloadToken}`;
  const loaded = useLoader(() => api.getRun(runKey), [api, runKey.source, runKey.id, reloadToken]);
  const [fresh, setFresh] = useState<{ key: string; data: RunDetail } | null>(null);

  useEffect(() => {
    let current = true;
    const off = api.on('runsChanged', (event) => {
      if (event.source !== runKey.source) return;
      if (event.runIds !== null && !event.runIds.includes(runKey.id)) return;
      api.getRun(runKey).then(
        (data) => {
          if (current) setFresh({ key, data });
        },
        () => {
          // Gone or unreadable now: what is shown stays until the user reloads.
        },
      );
    });
    return () => {
      current = false;
      off();
    };
    // runKey is read through its parts, as in the loader above.
  }, [api, key, runKey.source, runKey.id]);

  if (loaded.state === 'done' && fresh !== null && fresh.key === key) {
    return { state: 'done', data: fresh.data };
  }
  return loaded;
}
