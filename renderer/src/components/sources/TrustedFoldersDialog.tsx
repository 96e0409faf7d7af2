import { useEffect, useState } from 'react';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { Modal } from '../common/Modal';

interface Props {
  source: string;
  /** The source's trusted folders as last listed. */
  folders: readonly string[];
  onClose: () => void;
}

/**
 * The folders besides a source's own whose files its runs may name. A run that names a file
 * anywhere else (a link to ~/.ssh, an absolute path, `../`) is refused with a message saying
 * where the name points; trusting that folder here makes it readable.
 */
export function TrustedFoldersDialog({ source, folders: initial, onClose }: Props) {
  const api = useApi();
  const [folders, setFolders] = useState<readonly string[]>(initial);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The source list is reloaded after every change (here or in another window): follow it.
  useEffect(() => setFolders(initial), [initial]);

  const update = async (change: { add?: string[]; remove?: string[] }): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const info = await api.updateTrustedFolders({ source, ...change });
      setFolders(info.trustedFolders);
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      titleId="trusted-folders-title"
      onClose={onClose}
      className="trusted-folders-dialog"
      testId="trusted-folders-dialog"
      closeOnBackdrop={false}
    >
      <div className="dialog-title-row">
        <h2 id="trusted-folders-title">Trusted folders of “{source}”</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="muted">
        The viewer reads only files inside the source’s own folder. Runs may also name files
        elsewhere, e.g. sources kept next to the folder (Sacred’s copy_sources=False) or artifacts
        on another disk: trust the folder that holds them. Trust only folders whose files you would
        show to anyone who can write runs here.
      </p>
      {folders.length === 0 ? (
        <p className="muted" data-testid="trusted-folders-none">
          No folder is trusted besides the source’s own.
        </p>
      ) : (
        <ul className="storage-roots" data-testid="trusted-folders-list">
          {folders.map((folder) => (
            <li key={folder} data-testid="trusted-folder">
              <code>{folder}</code>
              <button
                type="button"
                className="small"
                disabled={busy}
                aria-label={`Stop trusting ${folder}`}
                data-testid="trusted-folder-remove"
                onClick={() => void update({ remove: [folder] })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="trusted-folder-add"
        onSubmit={(event) => {
          event.preventDefault();
          const folder = draft.trim();
          if (folder === '') return;
          void update({ add: [folder] }).then((ok) => ok && setDraft(''));
        }}
      >
        <input
          autoFocus
          value={draft}
          placeholder="/home/me/experiments"
          spellCheck={false}
          aria-label="Folder to trust"
          data-testid="trusted-folder-input"
          onChange={(event) => setDraft(event.target.value)}
        />
        <button
          type="submit"
          className="small"
          disabled={busy || draft.trim() === ''}
          data-testid="trusted-folder-add"
        >
          Trust
        </button>
      </form>
      {error !== null && (
        <div className="form-error" role="alert" data-testid="trusted-folders-error">
          {error}
        </div>
      )}
      <p className="muted">Runs that named files there are read again at the next sync.</p>
      <div className="form-actions">
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
