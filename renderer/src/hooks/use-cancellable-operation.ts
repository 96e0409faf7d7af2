import { useEffect, useState } from 'react';
import { createOperationRunner } from '../model/operation-runner';
import type { OperationRunner } from '../model/operation-runner';
import { useApi } from './use-api';

/**
 * A cancellable call for a component (see createOperationRunner); leaving the screen cancels
 * what is still in flight, so closing the dialog never leaves a connection attempt behind.
 */
export function useCancellableOperation(): Pick<OperationRunner, 'run' | 'cancel'> & {
  busy: boolean;
} {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [runner] = useState(() =>
    createOperationRunner((operationId) => api.cancelOperation({ operationId }), setBusy),
  );
  useEffect(() => () => runner.cancel(), [runner]);
  return { busy, run: runner.run, cancel: runner.cancel };
}
