import { BackupProgressView } from './BackupProgressView';
import { BackupSummaryView } from './BackupSummaryView';
import type { BackupOperation } from './use-backup-operation';

/** A started backup, restore or copy: progress with Cancel, then how it ended. */
export function BackupOutcome({
  operation,
  onClose,
}: {
  operation: BackupOperation;
  onClose: () => void;
}) {
  const { state } = operation;
  if (state.kind === 'idle') return null;
  if (state.kind === 'running') {
    return (
      <BackupProgressView
        progress={state.progress}
        cancelling={state.cancelling}
        onCancel={operation.cancel}
      />
    );
  }
  return (
    <>
      {state.kind !== 'done' && (
        <p
          className={state.kind === 'failed' ? 'danger-text' : 'muted'}
          role="alert"
          data-testid="backup-ended"
        >
          {state.message}
        </p>
      )}
      {state.summaries.length > 0 && <BackupSummaryView summaries={state.summaries} />}
      <div className="dialog-actions">
        <button type="button" className="primary" data-testid="backup-close" onClick={onClose}>
          Close
        </button>
      </div>
    </>
  );
}
