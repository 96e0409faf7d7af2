import { useCallback } from 'react';
import type { RunEdit } from '../../../shared/contract/writes-methods';
import { idsBySource } from '../model/tag-list';
import { useApi } from './use-api';
import { useWritableSources } from './source-writes-context';

/** The contract's cap on run ids per setTags call. */
const MAX_IDS_PER_CALL = 10_000;

export interface BulkTagResult {
  /** Runs that carry the tag now (saved, or pending for an offline source). */
  edits: RunEdit[];
  /** Runs left out because their source is read-only, by source. */
  readOnly: Map<string, number>;
  /** Sources whose write failed, with the reason (a RUNNING folder run, a refused write). */
  failed: Map<string, string>;
}

/** The calls behind the tag editors: one run's add/remove, or one tag for many runs. */
export function useTagWrites(): {
  addTag: (source: string, id: string, tag: string) => Promise<RunEdit | undefined>;
  removeTag: (source: string, id: string, tag: string) => Promise<RunEdit | undefined>;
  addTagToRuns: (
    runs: readonly { source: string; id: string }[],
    tag: string,
  ) => Promise<BulkTagResult>;
} {
  const api = useApi();
  const writable = useWritableSources();

  const addTag = useCallback(
    async (source: string, id: string, tag: string) =>
      (await api.setTags({ source, ids: [id], add: [tag] })).runs[0],
    [api],
  );
  const removeTag = useCallback(
    async (source: string, id: string, tag: string) =>
      (await api.setTags({ source, ids: [id], remove: [tag] })).runs[0],
    [api],
  );
  const addTagToRuns = useCallback(
    async (runs: readonly { source: string; id: string }[], tag: string) => {
      const result: BulkTagResult = { edits: [], readOnly: new Map(), failed: new Map() };
      for (const [source, ids] of idsBySource(runs)) {
        if (!writable.has(source)) {
          result.readOnly.set(source, ids.length);
          continue;
        }
        try {
          for (let at = 0; at < ids.length; at += MAX_IDS_PER_CALL) {
            const chunk = ids.slice(at, at + MAX_IDS_PER_CALL);
            result.edits.push(...(await api.setTags({ source, ids: chunk, add: [tag] })).runs);
          }
        } catch (error) {
          result.failed.set(source, error instanceof Error ? error.message : String(error));
        }
      }
      return result;
    },
    [api, writable],
  );
  return { addTag, removeTag, addTagToRuns };
}
