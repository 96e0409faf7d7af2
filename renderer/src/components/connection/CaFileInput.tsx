import { useRef } from 'react';
import { canPickFilePaths, pickedFilePath } from '../../api/picked-file-path';

interface Props {
  value: string;
  onChange: (path: string) => void;
}

/**
 * The TLS CA file of a connection: a path, typed or (desktop app) chosen with "Browse…". Only
 * the path is kept in the profile; the driver reads the file when it connects.
 */
export function CaFileInput({ value, onChange }: Props) {
  const picker = useRef<HTMLInputElement>(null);
  const desktop = canPickFilePaths();
  return (
    <span className="file-path-input">
      <input
        data-testid="conn-ca-file-input"
        value={value}
        placeholder="/etc/ssl/lab-ca.pem"
        spellCheck={false}
        onChange={(event) => onChange(event.target.value)}
      />
      {desktop && (
        <>
          <button
            type="button"
            data-testid="conn-ca-file-browse"
            onClick={() => picker.current?.click()}
          >
            Browse…
          </button>
          <input
            ref={picker}
            type="file"
            hidden
            accept=".pem,.crt,.cer,.ca-bundle,application/x-pem-file"
            data-testid="conn-ca-file-picker"
            onChange={(event) => {
              const file = event.target.files?.[0];
              const path = file === undefined ? null : pickedFilePath(file);
              if (path !== null) onChange(path);
              // Picking the same file again must fire onChange again.
              event.target.value = '';
            }}
          />
        </>
      )}
    </span>
  );
}
