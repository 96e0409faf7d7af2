import { useState } from 'react';
import type { SendFolderListing } from '../../../../shared/contract/send-files-methods';
import { canPickFolders, pickFolder } from '../../api/picked-folder';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useLatestAnswer } from '../../hooks/use-latest-answer';
import { childPath } from '../../model/send-folder-paths';

interface Props {
  source: string;
  /** The folder being looked at ('' before the user named one). */
  browsePath: string;
  onBrowsePath: (path: string) => void;
  folders: readonly string[];
  onFolders: (folders: string[]) => void;
}

/**
 * Step 1: one folder, or several sibling folders ticked inside their parent. The path is typed
 * (the browser door cannot know where a folder lives); the desktop app also offers the OS's
 * folder dialog.
 */
export function SendFoldersStep({ source, browsePath, onBrowsePath, folders, onFolders }: Props) {
  const api = useApi();
  const [typed, setTyped] = useState(browsePath);
  const [pickError, setPickError] = useState<string | null>(null);
  const listing = useLatestAnswer<SendFolderListing>(browsePath === '' ? null : browsePath, () =>
    api.listSendFolder({ source, path: browsePath }),
  );

  const open = (path: string): void => {
    setTyped(path);
    setPickError(null);
    onBrowsePath(path);
  };

  const listed = listing.state === 'done' ? listing.data : null;
  const children = listed?.folders.map((name) => childPath(listed.path, name)) ?? [];
  const ticked = new Set(folders);
  /** Ticking here keeps only siblings: folders chosen in another parent are dropped. */
  const toggle = (folder: string, on: boolean): void => {
    const kept = folders.filter((chosen) => children.includes(chosen) && chosen !== folder);
    onFolders(on ? [...kept, folder].sort() : kept);
  };

  return (
    <div className="send-step send-folders-step">
      <p className="muted">
        Choose one folder of results (one run), or open the folder that holds several and tick them
        (one run each).
      </p>
      <div className="file-path-input">
        <input
          data-testid="send-folder-path"
          aria-label="Folder path"
          autoFocus
          value={typed}
          placeholder="/home/me/lab/2023-04-17_Experiment1"
          spellCheck={false}
          onChange={(event) => setTyped(event.target.value)}
          onKeyDown={(event) => {
            // Enter opens a newly typed path; once it is open, Enter goes on to the next step.
            if (event.key === 'Enter' && typed.trim() !== '' && typed.trim() !== browsePath) {
              event.preventDefault();
              event.stopPropagation();
              open(typed.trim());
            }
          }}
        />
        <button
          type="button"
          data-testid="send-folder-open"
          disabled={typed.trim() === ''}
          onClick={() => open(typed.trim())}
        >
          Open
        </button>
        {canPickFolders() && (
          <button
            type="button"
            onClick={() => {
              pickFolder('A folder of results, or the folder that holds several').then(
                (folder) => {
                  if (folder !== null) open(folder);
                },
                (error: unknown) => setPickError(errorMessage(error)),
              );
            }}
          >
            Choose folder…
          </button>
        )}
      </div>
      {pickError !== null && <div className="form-error">{pickError}</div>}
      {listing.state === 'loading' && <p className="muted">Reading the folder…</p>}
      {listing.state === 'error' && (
        <div className="form-error" role="alert" data-testid="send-folder-error">
          {errorMessage(listing.error)}
        </div>
      )}
      {listed !== null && (
        <div className="send-folder-listing" data-testid="send-folder-listing">
          <div className="send-folder-here">
            {listed.parent !== null && (
              <button
                type="button"
                className="small"
                title="The folder above"
                onClick={() => open(listed.parent ?? '')}
              >
                ↑ Up
              </button>
            )}
            <code>{listed.path}</code>
            <span className="muted">
              {listed.folders.length} folder{listed.folders.length === 1 ? '' : 's'},{' '}
              {listed.files.length} file{listed.files.length === 1 ? '' : 's'}
            </span>
            <button
              type="button"
              className={`small${ticked.has(listed.path) && folders.length === 1 ? ' active' : ''}`}
              data-testid="send-this-folder"
              disabled={listed.files.length === 0 && listed.folders.length === 0}
              onClick={() => onFolders([listed.path])}
            >
              Send this folder (one run)
            </button>
          </div>
          {children.length > 0 && (
            <>
              <div className="send-folder-bulk">
                <button type="button" className="small" onClick={() => onFolders(children)}>
                  Tick all
                </button>
                <button type="button" className="small" onClick={() => onFolders([])}>
                  Tick none
                </button>
              </div>
              <ul className="send-folder-children">
                {listed.folders.map((name, index) => {
                  const folder = children[index] as string;
                  return (
                    <li key={name}>
                      <label>
                        <input
                          type="checkbox"
                          data-testid="send-child-folder"
                          data-folder={name}
                          checked={ticked.has(folder)}
                          onChange={(event) => toggle(folder, event.target.checked)}
                        />{' '}
                        {name}
                      </label>
                      <button
                        type="button"
                        className="link-button"
                        title={`Open ${name}`}
                        onClick={() => open(folder)}
                      >
                        open
                      </button>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </div>
      )}
      <p data-testid="send-folders-chosen" className="send-chosen">
        {folders.length === 0
          ? 'No folder chosen yet.'
          : `${folders.length} folder${folders.length === 1 ? '' : 's'} chosen: one run each.`}
      </p>
    </div>
  );
}
