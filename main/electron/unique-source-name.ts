const maxBase = 56;

/**
 * A source name for a folder the user picked: its basename made valid for SourceNameSchema
 * ([\w.-], at most 64 characters) and unique among the existing names ("runs", "runs-2", ...).
 */
export function uniqueSourceName(folderBasename: string, taken: readonly string[]): string {
  const cleaned = folderBasename
    .replace(/[^\w.-]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/gu, '')
    .slice(0, maxBase);
  const base = cleaned || 'runs';
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
