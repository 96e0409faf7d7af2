import { useCallback, useState } from 'react';
import type { SourceWrites } from '../../../shared/contract/writes-methods';
import { useApi } from './use-api';

export interface SourceWritesToggle {
  busy: boolean;
  /** The core's answer to the last request, and whether edits were asked on. */
  answer: { result: SourceWrites; asked: boolean } | null;
  /** The request itself failed (offline server, unknown source). */
  error: unknown;
  set: (enabled: boolean) => void;
  dismiss: () => void;
}

/**
 * Turns a source's edits on or off. The core asks the server what the user may do, so the
 * answer can be a refusal ("this user can only read lab") that stays on screen until dismissed.
 */
export function useSourceWritesToggle(source: string): SourceWritesToggle {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<SourceWritesToggle['answer']>(null);
  const [error, setError] = useState<unknown>(null);
  const set = useCallback(
    (enabled: boolean) => {
      setBusy(true);
      setError(null);
      setAnswer(null);
      // The core announces the change (sourcesChanged): the sidebar shows the new state.
      api.setSourceWrites({ source, enabled }).then(
        (result) => {
          setAnswer({ result, asked: enabled });
          setBusy(false);
        },
        (failure: unknown) => {
          setError(failure);
          setBusy(false);
        },
      );
    },
    [api, source],
  );
  const dismiss = useCallback(() => {
    setAnswer(null);
    setError(null);
  }, []);
  return { busy, answer, error, set, dismiss };
}
