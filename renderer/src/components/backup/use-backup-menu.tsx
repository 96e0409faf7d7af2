import { useState } from 'react';
import type { ReactNode } from 'react';
import { BackupDialog } from './BackupDialog';
import { RestoreDialog } from './RestoreDialog';

/**
 * "Back up…" and "Restore…" for a source's ⋯ menu: the items (shown while the menu is open)
 * and the dialogs (which stay open after the menu closes).
 */
export function useBackupMenu(
  source: string,
  writable: boolean,
): { items: (closeMenu: () => void) => ReactNode; dialogs: ReactNode } {
  const [open, setOpen] = useState<'backup' | 'restore' | null>(null);
  const items = (closeMenu: () => void): ReactNode => (
    <>
      <button
        type="button"
        role="menuitem"
        data-testid="source-backup"
        title="Write this source's runs as a mongodump folder (mongorestore reads it)"
        onClick={() => {
          closeMenu();
          setOpen('backup');
        }}
      >
        Back up…
      </button>
      <button
        type="button"
        role="menuitem"
        data-testid="source-restore"
        title={
          writable
            ? 'Restore a backup folder (ours or mongodump’s) into this source'
            : 'Read-only source: turn on “Allow edits” to restore into it'
        }
        onClick={() => {
          closeMenu();
          setOpen('restore');
        }}
      >
        Restore…{writable ? '' : ' (read-only)'}
      </button>
    </>
  );
  const close = (): void => setOpen(null);
  const dialogs = (
    <>
      {open === 'backup' && <BackupDialog source={source} onClose={close} />}
      {open === 'restore' && <RestoreDialog source={source} writable={writable} onClose={close} />}
    </>
  );
  return { items, dialogs };
}
