import { useCallback, useEffect, useState } from 'react';
import type { PendingEdit } from '../../../shared/contract/writes-methods';
import { useApi } from './use-api';

export interface PendingEdits {
  edits: readonly PendingEdit[];
  /** Ask again (after resolving one). */
  refresh: () => void;
}

/**
 * The edits of a MongoDB source that wait for its server (pending, or in conflict), kept
 * current as syncs run (a sync applies them or finds a conflict). Folder sources write at once
 * and have none: nothing is asked for them.
 */
export function usePendingEdits(source: string, enabled: boolean): PendingEdits {
  const api = useApi();
  const [edits, setEdits] = useState<readonly PendingEdit[]>([]);
  const [nonce, setNonce] = useState(0);
  const refresh = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => {
    if (!enabled) {
      setEdits([]);
      return undefined;
    }
    let current = true;
    const load = (): void => {
      api.listPendingEdits({ source }).then(
        (result) => current && setEdits(result.edits),
        () => {
          // Shown again at the next change; the banner is for what the user asked.
        },
      );
    };
    load();
    const offRuns = api.on('runsChanged', (event) => {
      if (event.source === source) load();
    });
    const offSources = api.on('sourcesChanged', load);
    return () => {
      current = false;
      offRuns();
      offSources();
    };
  }, [api, source, enabled, nonce]);

  return { edits, refresh };
}
