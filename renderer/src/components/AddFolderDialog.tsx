import { useEffect } from 'react';
import type { SourceInfo } from '../../../shared/contract';
import { AddFolderForm } from './AddFolderForm';

/** The add-folder form over the app, closed by Esc or a click outside. */
export function AddFolderDialog({
  onAdded,
  onClose,
}: {
  onAdded: (source: SourceInfo) => void;
  onClose: () => void;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="add-folder-title">
        <h2 id="add-folder-title">Add a Sacred run folder</h2>
        <p className="muted">
          The folder a FileStorageObserver writes to: it holds one sub-folder per run.
        </p>
        <AddFolderForm onAdded={onAdded} onCancel={onClose} />
      </div>
    </div>
  );
}
