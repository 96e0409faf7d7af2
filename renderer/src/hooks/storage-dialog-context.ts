import { createContext, useContext } from 'react';

export interface StorageDialogControl {
  /** Opens the storage profile dialog of a source. */
  open(source: string): void;
  /** Bumped after every save or removal, so views showing raw data ask the core again. */
  version: number;
}

/** The app's one storage profile dialog; null where none is offered (tests, older shells). */
export const StorageDialogContext = createContext<StorageDialogControl | null>(null);

export function useStorageDialog(): StorageDialogControl | null {
  return useContext(StorageDialogContext);
}
