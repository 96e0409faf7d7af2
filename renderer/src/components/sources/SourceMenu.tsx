import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../hooks/use-api';
import { useReportError } from '../../hooks/report-error-context';
import { useArtifactDownload } from '../../hooks/use-artifact-download';
import { useStorageDialog } from '../../hooks/storage-dialog-context';
import { ArtifactDownloadStatus } from '../artifacts/ArtifactDownloadStatus';
import { TrustedFoldersDialog } from './TrustedFoldersDialog';
import { LabUsersDialog } from './LabUsersDialog';
import { TrashDialog } from '../delete-runs/TrashDialog';
import { SendRunsDialog } from '../send/SendRunsDialog';
import { WritesAnswer } from './WritesAnswer';
import { useSourceWritesToggle } from '../../hooks/use-source-writes-toggle';
import { useBackupMenu } from '../backup/use-backup-menu';

interface Props {
  source: string;
  /** Folder sources offer only what applies to them (trusted folders). */
  kind?: 'folder' | 'mongo';
  trustedFolders?: readonly string[];
  /** Whether the desktop app announces this source's runs that finish. */
  notifyFinishedRuns?: boolean;
  /** Whether the user turned edits (tags, notes) of this source on. */
  writable?: boolean;
}

/** The "⋯" menu of a source: actions that are not needed every day. */
export function SourceMenu({
  source,
  kind = 'mongo',
  trustedFolders = [],
  notifyFinishedRuns = false,
  writable = false,
}: Props) {
  const api = useApi();
  const reportError = useReportError();
  const [open, setOpen] = useState(false);
  const [trustOpen, setTrustOpen] = useState(false);
  const [trashOpen, setTrashOpen] = useState(false);
  const [usersOpen, setUsersOpen] = useState(false);
  const [sendOpen, setSendOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const download = useArtifactDownload(source);
  const storageDialog = useStorageDialog();
  const writes = useSourceWritesToggle(source);
  const backup = useBackupMenu(source, writable);

  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: MouseEvent): void => {
      if (menuRef.current !== null && !menuRef.current.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('mousedown', onPointer);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onPointer);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <>
      <div className="source-menu" ref={menuRef}>
        <button
          type="button"
          className="small"
          data-testid="source-menu-button"
          aria-haspopup="menu"
          aria-expanded={open}
          title="More actions"
          onClick={() => setOpen((value) => !value)}
        >
          ⋯
        </button>
        {open && (
          <div className="source-menu-items" role="menu">
            <button
              type="button"
              role="menuitemradio"
              aria-checked={!writable}
              data-testid="source-read-only"
              title="Tags and notes are shown but cannot be changed (the default)"
              disabled={writes.busy}
              onClick={() => {
                setOpen(false);
                if (writable) writes.set(false);
              }}
            >
              {writable ? '' : '✓ '}Read-only
            </button>
            <button
              type="button"
              role="menuitemradio"
              aria-checked={writable}
              data-testid="source-allow-edits"
              title="Allow editing tags and notes of this source's runs (asks the source whether this user may write)"
              disabled={writes.busy}
              onClick={() => {
                setOpen(false);
                if (!writable) writes.set(true);
              }}
            >
              {writable ? '✓ ' : ''}Allow edits (tags, notes)
            </button>
            <button
              type="button"
              role="menuitem"
              data-testid="source-send-runs"
              title="Folders of lab results (config, metrics, artifacts, raw data) become runs of this source"
              disabled={!writable}
              aria-describedby={writable ? undefined : `send-runs-reason-${source}`}
              onClick={() => {
                setOpen(false);
                setSendOpen(true);
              }}
            >
              Send runs…
              {!writable && (
                <span className="menu-item-reason" id={`send-runs-reason-${source}`}>
                  Read-only: choose “Allow edits” first
                </span>
              )}
            </button>
            {kind === 'mongo' && (
              <button
                type="button"
                role="menuitem"
                data-testid="source-offline-all"
                disabled={download.busy}
                onClick={() => {
                  setOpen(false);
                  void download.start();
                }}
              >
                Make all artifacts available offline
              </button>
            )}
            {kind === 'mongo' && storageDialog !== null && (
              <button
                type="button"
                role="menuitem"
                data-testid="source-storage-profile"
                onClick={() => {
                  setOpen(false);
                  storageDialog.open(source);
                }}
              >
                Raw data storage…
              </button>
            )}
            {kind === 'mongo' && (
              <button
                type="button"
                role="menuitem"
                data-testid="source-lab-users"
                title="Add lab members as readers or writers, change passwords (needs a user with userAdmin or root)"
                onClick={() => {
                  setOpen(false);
                  setUsersOpen(true);
                }}
              >
                Lab users…
              </button>
            )}
            {backup.items(() => setOpen(false))}
            <button
              type="button"
              role="menuitem"
              data-testid="source-trusted-folders"
              onClick={() => {
                setOpen(false);
                setTrustOpen(true);
              }}
            >
              Trusted folders…
            </button>
            {kind === 'folder' && (
              <button
                type="button"
                role="menuitem"
                data-testid="source-trash"
                onClick={() => {
                  setOpen(false);
                  setTrashOpen(true);
                }}
              >
                Deleted runs…
              </button>
            )}
            <button
              type="button"
              role="menuitemcheckbox"
              aria-checked={notifyFinishedRuns}
              data-testid="source-notify-finished"
              title="A desktop notification when a RUNNING run of this source completes or fails"
              onClick={() => {
                setOpen(false);
                // The core announces the change (sourcesChanged); the list shows the new state.
                api
                  .updateSourceSettings({ source, notifyFinishedRuns: !notifyFinishedRuns })
                  .catch(reportError);
              }}
            >
              {notifyFinishedRuns ? '✓ ' : ''}Notify when running runs finish
              {api.door === 'electron' ? '' : ' (desktop app)'}
            </button>
          </div>
        )}
      </div>
      <ArtifactDownloadStatus download={download} />
      <WritesAnswer toggle={writes} />
      {trashOpen && <TrashDialog source={source} onClose={() => setTrashOpen(false)} />}
      {usersOpen && <LabUsersDialog source={source} onClose={() => setUsersOpen(false)} />}
      {sendOpen && <SendRunsDialog source={source} onClose={() => setSendOpen(false)} />}
      {backup.dialogs}
      {trustOpen && (
        <TrustedFoldersDialog
          source={source}
          folders={trustedFolders}
          onClose={() => setTrustOpen(false)}
        />
      )}
    </>
  );
}
