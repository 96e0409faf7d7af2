/**
 * Keeps only the leaves whose path (keys joined by ".", array indices included) or value
 * contains the query, case-insensitively, with the objects and arrays leading to them.
 * Returns undefined when nothing matches. Used by the config search box.
 */
export function filterTree(value: unknown, query: string, path = ''): unknown {
  const needle = query.trim().toLowerCase();
  if (needle === '') return value;
  if (isContainer(value)) {
    if (path !== '' && path.toLowerCase().includes(needle)) return value;
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((item, index) => [String(index), item])
      : Object.entries(value as Record<string, unknown>);
    const kept: [string, unknown][] = [];
    for (const [key, item] of entries) {
      const sub = filterTree(item, needle, path === '' ? key : `${path}.${key}`);
      if (sub !== undefined) kept.push([key, sub]);
    }
    if (kept.length === 0) return undefined;
    return Array.isArray(value) ? kept.map(([, item]) => item) : Object.fromEntries(kept);
  }
  const text = `${path} ${String(value)}`.toLowerCase();
  return text.includes(needle) ? value : undefined;
}

/** Arrays and plain objects are walked; anything else (a decoded-value wrapper) is a leaf. */
function isContainer(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
