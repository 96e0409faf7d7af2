import { useState } from 'react';
import { canPickFolders, pickFolder } from '../../api/picked-folder';

/**
 * A folder path: typed (the browser door cannot learn where a picked folder is), or chosen with
 * the desktop's folder picker in the desktop app.
 */
export function FolderField({
  label,
  value,
  onChange,
  testId,
  pickerTitle,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (path: string) => void;
  testId: string;
  pickerTitle: string;
  placeholder: string;
}) {
  const [picking, setPicking] = useState(false);
  return (
    <label className="field">
      <span>{label}</span>
      <span className="backup-folder-row">
        <input
          data-testid={testId}
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
        {canPickFolders() && (
          <button
            type="button"
            disabled={picking}
            data-testid={`${testId}-choose`}
            onClick={() => {
              setPicking(true);
              pickFolder(pickerTitle)
                .then((path) => {
                  if (path !== null) onChange(path);
                })
                .catch(() => undefined)
                .finally(() => setPicking(false));
            }}
          >
            Choose…
          </button>
        )}
      </span>
    </label>
  );
}
