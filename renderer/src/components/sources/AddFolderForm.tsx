import { useState } from 'react';
import type { FormEvent } from 'react';
import type { SourceInfo } from '../../../../shared/contract';
import { isAltarError } from '../../../../shared/errors';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { suggestSourceName } from '../../model/source-name';

interface Props {
  onAdded: (source: SourceInfo) => void;
  onCancel?: () => void;
}

/**
 * A browser cannot open a native folder picker that yields a path, so the path is typed; the
 * name follows the folder's basename until the user edits it.
 */
export function AddFolderForm({ onAdded, onCancel }: Props) {
  const api = useApi();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [nameEdited, setNameEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Set when the folder given is one run's folder: the folder of runs the core suggests instead.
  const [parentFolder, setParentFolder] = useState<string | null>(null);

  const shownName = nameEdited ? name : suggestSourceName(path);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (busy) return;
    if (path.trim() === '') {
      setError('Enter the path of a folder written by Sacred’s FileStorageObserver.');
      return;
    }
    await add(path.trim(), shownName);
  }

  async function add(folder: string, sourceName: string): Promise<void> {
    setBusy(true);
    setError(null);
    setParentFolder(null);
    try {
      const source = await api.addFolderSource({ name: sourceName, path: folder });
      onAdded(source);
    } catch (caught) {
      setError(errorMessage(caught));
      if (isAltarError(caught) && caught.parentFolder !== undefined) {
        setParentFolder(caught.parentFolder);
      }
    } finally {
      setBusy(false);
    }
  }

  /** Retries with the run's parent folder, showing it in the field so the user sees what was added. */
  function addParent(parent: string): void {
    if (busy) return;
    setPath(parent);
    void add(parent, nameEdited ? name : suggestSourceName(parent));
  }

  return (
    <form className="add-folder-form" onSubmit={(event) => void submit(event)}>
      <label className="field">
        <span>Folder path</span>
        <input
          data-testid="folder-path-input"
          autoFocus
          value={path}
          placeholder="/home/me/experiments/runs"
          spellCheck={false}
          onChange={(event) => {
            setPath(event.target.value);
            setParentFolder(null);
          }}
        />
      </label>
      <label className="field">
        <span>Name</span>
        <input
          data-testid="folder-name-input"
          value={shownName}
          placeholder="my_runs"
          spellCheck={false}
          onChange={(event) => {
            setNameEdited(true);
            setName(event.target.value);
          }}
        />
      </label>
      {error !== null && (
        <div className="form-error" role="alert">
          {error}
          {parentFolder !== null && (
            <button
              type="button"
              data-testid="folder-add-parent"
              disabled={busy}
              onClick={() => addParent(parentFolder)}
            >
              Add parent folder
            </button>
          )}
        </div>
      )}
      <div className="form-actions">
        {onCancel !== undefined && (
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" data-testid="folder-submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add folder'}
        </button>
      </div>
    </form>
  );
}
