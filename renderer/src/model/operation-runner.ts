import { newOperationId } from './operation-id';

export type OperationOutcome<T> =
  | { status: 'done'; value: T }
  | { status: 'failed'; error: unknown }
  /** Cancelled or replaced by a newer call: ignore the answer. */
  | { status: 'stale' };

export interface OperationRunner {
  run<T>(call: (operationId: string) => Promise<T>): Promise<OperationOutcome<T>>;
  /** Asks the core to abort the call in flight, if any; its answer will come back stale. */
  cancel(): void;
  readonly busy: boolean;
}

/**
 * One cancellable call at a time (a connection test, a database listing): each run gets a fresh
 * operation id the core can abort, a new run cancels the previous one, and a late answer to a
 * cancelled call is reported as stale so it never overwrites what the user sees now.
 */
export function createOperationRunner(
  cancelOperation: (operationId: string) => Promise<unknown>,
  onBusyChange: (busy: boolean) => void = () => undefined,
  makeId: () => string = newOperationId,
): OperationRunner {
  let current: string | null = null;

  function cancel(): void {
    const operationId = current;
    if (operationId === null) return;
    current = null;
    onBusyChange(false);
    // The call may have finished meanwhile; then there is nothing to cancel and nothing to say.
    cancelOperation(operationId).catch(() => undefined);
  }

  async function run<T>(call: (operationId: string) => Promise<T>): Promise<OperationOutcome<T>> {
    cancel();
    const operationId = makeId();
    current = operationId;
    onBusyChange(true);
    try {
      const value = await call(operationId);
      return current === operationId ? { status: 'done', value } : { status: 'stale' };
    } catch (error) {
      return current === operationId ? { status: 'failed', error } : { status: 'stale' };
    } finally {
      if (current === operationId) {
        current = null;
        onBusyChange(false);
      }
    }
  }

  return {
    run,
    cancel,
    get busy() {
      return current !== null;
    },
  };
}
