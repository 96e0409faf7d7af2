/**
 * Tags as Omniboard keeps them (`omniboard.tags`: a list of strings, in the order they were
 * added): what the chip editors add, remove and suggest. Tags are compared exactly, as
 * Omniboard does ("Best" and "best" are two tags); only surrounding blanks are dropped.
 */

/** The longest tag the contract accepts (shared/contract/writes-methods.ts). */
export const MAX_TAG_LENGTH = 256;

/** A typed tag as it will be stored: trimmed, inner runs of blanks as one space; null if empty. */
export function cleanTag(typed: string): string | null {
  const tag = typed.trim().replace(/\s+/gu, ' ');
  return tag === '' ? null : tag;
}

/** Why a typed tag cannot be added, or null when it can. */
export function tagProblem(typed: string, present: readonly string[]): string | null {
  const tag = cleanTag(typed);
  if (tag === null) return 'Type a tag first.';
  if (tag.length > MAX_TAG_LENGTH) return `A tag can be at most ${MAX_TAG_LENGTH} characters.`;
  if (present.includes(tag)) return `“${tag}” is already there.`;
  return null;
}

/** The list with the tag added at the end (unchanged when it is there already). */
export function withTag(tags: readonly string[], tag: string): string[] {
  return tags.includes(tag) ? [...tags] : [...tags, tag];
}

/** The list without the tag. */
export function withoutTag(tags: readonly string[], tag: string): string[] {
  return tags.filter((t) => t !== tag);
}

export interface TagCount {
  tag: string;
  runs: number;
}

/**
 * What the autocomplete offers for the typed text: the source's tags not yet on the run(s),
 * those starting with the text before those merely containing it (case-insensitive), each
 * group keeping the given order (most used first, as listTags answers). Nothing typed: the
 * most used ones.
 */
export function tagSuggestions(
  known: readonly TagCount[],
  typed: string,
  present: readonly string[],
  limit = 8,
): TagCount[] {
  const needle = typed.trim().toLowerCase();
  const taken = new Set(present);
  const starts: TagCount[] = [];
  const contains: TagCount[] = [];
  for (const entry of known) {
    if (taken.has(entry.tag)) continue;
    const hay = entry.tag.toLowerCase();
    if (hay.startsWith(needle)) starts.push(entry);
    else if (hay.includes(needle)) contains.push(entry);
  }
  return [...starts, ...contains].slice(0, limit);
}

/** Run ids grouped by source, in the order the sources first appear. */
export function idsBySource(
  runs: readonly { source: string; id: string }[],
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const run of runs) {
    const ids = groups.get(run.source);
    if (ids === undefined) groups.set(run.source, [run.id]);
    else ids.push(run.id);
  }
  return groups;
}

/** A tag list as text for a conflict or a pending edit: "a, b" or "no tags". */
export function tagsText(tags: readonly string[]): string {
  return tags.length === 0 ? 'no tags' : tags.join(', ');
}
