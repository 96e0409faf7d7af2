import { useEffect, useState } from 'react';
import { useReportError } from './report-error-context';

export type Loaded<T> =
  { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'done'; data: T };

/**
 * Runs `load` whenever `deps` change and keeps only the latest answer, so a slow reply for a
 * run the user already left never overwrites the current one. Failures also go to the banner.
 */
export function useLoader<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const reportError = useReportError();
  useEffect(() => {
    let current = true;
    setResult({ state: 'loading' });
    load().then(
      (data) => current && setResult({ state: 'done', data }),
      (error: unknown) => {
        if (!current) return;
        setResult({ state: 'error', error });
        reportError(error);
      },
    );
    return () => {
      current = false;
    };
    // Callers list what `load` reads in `deps`, like useEffect.
  }, deps);
  return result;
}
