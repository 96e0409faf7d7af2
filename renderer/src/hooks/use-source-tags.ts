import { useEffect, useState } from 'react';
import type { TagCount } from '../model/tag-list';
import { useApi } from './use-api';

/** How many of a source's tags the autocomplete keeps at hand (most used first). */
const KNOWN_TAGS = 500;

/**
 * The tags already used in the given sources (Omniboard's distinct `omniboard.tags`), for the
 * autocomplete; asked once per editor. A failure leaves the list empty: typing a new tag works.
 */
export function useSourceTags(sources: readonly string[], enabled = true): TagCount[] {
  const api = useApi();
  const [tags, setTags] = useState<TagCount[]>([]);
  const key = JSON.stringify(sources);
  useEffect(() => {
    if (!enabled || sources.length === 0) return undefined;
    let current = true;
    api.listTags({ sources: [...sources], limit: KNOWN_TAGS }).then(
      (result) => current && setTags(result.tags),
      () => current && setTags([]),
    );
    return () => {
      current = false;
    };
    // key stands for sources
  }, [api, key, enabled]);
  return tags;
}
