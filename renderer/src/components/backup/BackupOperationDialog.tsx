import type { ReactNode } from 'react';
import { Modal } from '../common/Modal';
import { BackupOutcome } from './BackupOutcome';
import type { BackupOperation } from './use-backup-operation';
import './backup.css';

/**
 * The frame Back up…, Restore… and Copy to… share: their form while nothing has started, then
 * the progress with Cancel and how it ended. It does not close while the work runs, so a click
 * beside it cannot hide a running backup.
 */
export function BackupOperationDialog({
  operation,
  titleId,
  title,
  testId,
  onClose,
  children,
}: {
  operation: BackupOperation;
  titleId: string;
  title: ReactNode;
  testId: string;
  onClose: () => void;
  /** The form, shown until the operation starts. */
  children: ReactNode;
}) {
  const running = operation.state.kind === 'running';
  return (
    <Modal
      titleId={titleId}
      onClose={running ? () => undefined : onClose}
      testId={testId}
      className="backup-dialog"
      closeOnBackdrop={false}
    >
      <h2 id={titleId}>{title}</h2>
      {operation.state.kind === 'idle' ? (
        children
      ) : (
        <BackupOutcome operation={operation} onClose={onClose} />
      )}
    </Modal>
  );
}
