import { createContext, useContext } from 'react';

/** One run's tags as the table shows them, and where its cell is (the editor opens there). */
export interface TagEditRequest {
  source: string;
  id: string;
  /** null when the table does not hold them (no Tags column): the editor reads the run. */
  tags: readonly string[] | null;
  anchor: DOMRect;
}

/**
 * Opens the run table's tag editor for a row (null: the table has none). The table owns one
 * editor, outside the virtualized rows, so scrolling a row away does not close it mid-typing.
 */
export const TagEditContext = createContext<((request: TagEditRequest) => void) | null>(null);

export function useTagEditRequest(): ((request: TagEditRequest) => void) | null {
  return useContext(TagEditContext);
}
