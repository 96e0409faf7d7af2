import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { StorageDialogContext } from '../../hooks/storage-dialog-context';
import { StorageProfileDialog } from './StorageProfileDialog';

/** Offers one storage profile dialog to the whole app (source menu, raw data tab). */
export function StorageDialogHost({ children }: { children: ReactNode }) {
  const [source, setSource] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const control = useMemo(() => ({ open: setSource, version }), [version]);
  return (
    <StorageDialogContext.Provider value={control}>
      {children}
      {source !== null && (
        <StorageProfileDialog
          key={source}
          source={source}
          onClose={() => setSource(null)}
          onChanged={() => setVersion((n) => n + 1)}
        />
      )}
    </StorageDialogContext.Provider>
  );
}
