import { createContext, useContext } from 'react';

/**
 * The sources whose writes the user turned on (SourceInfo.writable), for the tag and notes
 * editors deep in the table and the run page: a read-only source shows no edit affordance.
 */
export const WritableSourcesContext = createContext<ReadonlySet<string>>(new Set());

export function useSourceWritable(source: string): boolean {
  return useContext(WritableSourcesContext).has(source);
}

export function useWritableSources(): ReadonlySet<string> {
  return useContext(WritableSourcesContext);
}
