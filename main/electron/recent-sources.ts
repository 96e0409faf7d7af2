/** How many sources File → Open Recent lists. */
export const MAX_RECENT_SOURCES = 8;

/** The recent list after the user opened `name`: it first, no duplicate, at most the maximum. */
export function withRecentSource(recent: readonly string[], name: string): string[] {
  return [name, ...recent.filter((other) => other !== name)].slice(0, MAX_RECENT_SOURCES);
}

/** The recent list without sources that are gone (removed in the window or by the CLI). */
export function existingRecentSources(
  recent: readonly string[],
  sources: readonly string[],
): string[] {
  const present = new Set(sources);
  return recent.filter((name) => present.has(name));
}
