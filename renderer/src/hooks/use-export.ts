import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportResult } from '../../../shared/contract';
import type { ExportProgress } from '../../../shared/events';
import { newOperationId } from '../model/operation-id';
import { useApi } from './use-api';
import { useReportError } from './report-error-context';

export interface ExportState {
  /** What is being exported now, or null. */
  label: string | null;
  progress: ExportProgress | null;
}

/**
 * Runs one export at a time and follows its `exportProgress` events, which carry the
 * operation id this hook gave the call.
 */
export function useExport(): {
  state: ExportState;
  run: (
    label: string,
    call: (operationId: string) => Promise<ExportResult>,
  ) => Promise<ExportResult | null>;
} {
  const api = useApi();
  const reportError = useReportError();
  const [state, setState] = useState<ExportState>({ label: null, progress: null });
  const operation = useRef<string | null>(null);

  useEffect(
    () =>
      api.on('exportProgress', (event) => {
        if (event.operationId !== null && event.operationId === operation.current) {
          setState((current) => ({ ...current, progress: event }));
        }
      }),
    [api],
  );

  const run = useCallback(
    async (
      label: string,
      call: (operationId: string) => Promise<ExportResult>,
    ): Promise<ExportResult | null> => {
      if (operation.current !== null) return null;
      const id = newOperationId();
      operation.current = id;
      setState({ label, progress: null });
      try {
        return await call(id);
      } catch (error) {
        reportError(error);
        return null;
      } finally {
        operation.current = null;
        setState({ label: null, progress: null });
      }
    },
    [reportError],
  );

  return { state, run };
}
