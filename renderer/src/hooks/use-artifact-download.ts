import { useCallback, useEffect, useRef, useState } from 'react';
import type { ArtifactDownloadSummary } from '../../../shared/contract';
import type { ArtifactDownloadProgress } from '../../../shared/events';
import { useApi } from './use-api';

export interface ArtifactDownload {
  busy: boolean;
  progress: ArtifactDownloadProgress | null;
  summary: ArtifactDownloadSummary | null;
  error: unknown;
  /** Runs makeArtifactsAvailableOffline for the source (all runs, or the given run ids). */
  start: (ids?: string[]) => Promise<ArtifactDownloadSummary | null>;
}

/** "Make available offline" for one source, with its progress events and outcome. */
export function useArtifactDownload(source: string): ArtifactDownload {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ArtifactDownloadProgress | null>(null);
  const [summary, setSummary] = useState<ArtifactDownloadSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    const off = api.on('artifactDownloadProgress', (event) => {
      if (event.source === source && mounted.current) setProgress(event);
    });
    return () => {
      mounted.current = false;
      off();
    };
  }, [api, source]);

  const start = useCallback(
    async (ids?: string[]) => {
      setBusy(true);
      setError(null);
      setSummary(null);
      setProgress(null);
      try {
        const result = await api.makeArtifactsAvailableOffline(
          ids === undefined ? { source } : { source, ids },
        );
        if (mounted.current) setSummary(result);
        return result;
      } catch (caught) {
        if (mounted.current) setError(caught);
        return null;
      } finally {
        if (mounted.current) setBusy(false);
      }
    },
    [api, source],
  );

  return { busy, progress, summary, error, start };
}
