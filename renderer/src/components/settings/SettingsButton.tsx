import { useState } from 'react';
import { SettingsDialog } from './SettingsDialog';

/** The gear at the bottom of the sidebar; opens the settings dialog. */
export function SettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="settings-button"
        data-testid="settings-button"
        title="Settings"
        onClick={() => setOpen(true)}
      >
        <span aria-hidden="true">⚙</span> Settings
      </button>
      {open && <SettingsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
