import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  BackupProgressEvent,
  BackupSummary,
} from '../../../../shared/contract/backup-methods';
import { errorCode, errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';

export type BackupOperationState =
  | { kind: 'idle' }
  | { kind: 'running'; progress: BackupProgressEvent | null; cancelling: boolean }
  | { kind: 'done'; summaries: BackupSummary[] }
  | { kind: 'cancelled'; summaries: BackupSummary[]; message: string }
  | { kind: 'failed'; summaries: BackupSummary[]; message: string };

export interface BackupOperation {
  state: BackupOperationState;
  /** Runs the calls one after the other, each with its own operation id, until one fails. */
  start: (calls: ((operationId: string) => Promise<BackupSummary>)[]) => Promise<void>;
  cancel: () => void;
}

let counter = 0;
function newOperationId(): string {
  counter += 1;
  return `backup-${Date.now().toString(36)}-${counter}`;
}

/**
 * One backup, restore or copy from the window: its progress events (those carrying its
 * operation id), cancel, and how it ended with the core's summaries.
 */
export function useBackupOperation(): BackupOperation {
  const api = useApi();
  const [state, setState] = useState<BackupOperationState>({ kind: 'idle' });
  const current = useRef<string | null>(null);
  const cancelled = useRef(false);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    const off = api.on('backupProgress', (event) => {
      if (!mounted.current || event.operationId === null || event.operationId !== current.current)
        return;
      setState((previous) =>
        previous.kind === 'running' ? { ...previous, progress: event } : previous,
      );
    });
    return () => {
      mounted.current = false;
      off();
      // Closing the window's dialog does not leave work running unseen.
      if (current.current !== null) {
        void api.cancelBackup({ operationId: current.current }).catch(() => undefined);
      }
    };
  }, [api]);

  const start = useCallback(async (calls: ((operationId: string) => Promise<BackupSummary>)[]) => {
    cancelled.current = false;
    setState({ kind: 'running', progress: null, cancelling: false });
    const summaries: BackupSummary[] = [];
    for (const call of calls) {
      if (cancelled.current) break;
      const operationId = newOperationId();
      current.current = operationId;
      try {
        summaries.push(await call(operationId));
      } catch (error) {
        current.current = null;
        if (!mounted.current) return;
        const message = errorMessage(error);
        setState(
          errorCode(error) === 'CANCELLED'
            ? { kind: 'cancelled', summaries, message }
            : { kind: 'failed', summaries, message },
        );
        return;
      }
    }
    current.current = null;
    if (!mounted.current) return;
    setState(
      cancelled.current
        ? { kind: 'cancelled', summaries, message: 'Cancelled.' }
        : { kind: 'done', summaries },
    );
  }, []);

  const cancel = useCallback(() => {
    cancelled.current = true;
    setState((previous) =>
      previous.kind === 'running' ? { ...previous, cancelling: true } : previous,
    );
    const operationId = current.current;
    if (operationId !== null) void api.cancelBackup({ operationId }).catch(() => undefined);
  }, [api]);

  return { state, start, cancel };
}
