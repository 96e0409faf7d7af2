import type { SourceInfo } from '../../../../shared/contract';
import { AddFolderForm } from './AddFolderForm';
import { Modal } from '../common/Modal';

/** The add-folder form over the app, closed by Esc or a click outside. */
export function AddFolderDialog({
  onAdded,
  onClose,
}: {
  onAdded: (source: SourceInfo) => void;
  onClose: () => void;
}) {
  return (
    <Modal titleId="add-folder-title" onClose={onClose}>
      <h2 id="add-folder-title">Add a Sacred run folder</h2>
      <p className="muted">
        The folder a FileStorageObserver writes to: it holds one sub-folder per run.
      </p>
      <AddFolderForm onAdded={onAdded} onCancel={onClose} />
    </Modal>
  );
}
