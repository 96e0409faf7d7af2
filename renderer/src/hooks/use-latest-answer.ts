import { useEffect, useState } from 'react';

export type Answer<T> =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'done'; data: T };

/**
 * Asks `load` again whenever `key` changes (after `delayMs`, so typing in a field asks once) and
 * keeps only the latest answer. Errors stay with the caller, which shows them where they
 * belong (a wizard step), not in the app's banner. A null `key` asks nothing.
 */
export function useLatestAnswer<T>(
  key: string | null,
  load: () => Promise<T>,
  delayMs = 0,
): Answer<T> {
  const [answer, setAnswer] = useState<Answer<T>>({ state: 'idle' });
  useEffect(() => {
    if (key === null) {
      setAnswer({ state: 'idle' });
      return undefined;
    }
    let current = true;
    setAnswer({ state: 'loading' });
    const timer = setTimeout(() => {
      load().then(
        (data) => current && setAnswer({ state: 'done', data }),
        (error: unknown) => current && setAnswer({ state: 'error', error }),
      );
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `key` names everything `load` reads.
  }, [key]);
  return answer;
}
