/**
 * A source name suggested from a folder path: its last component, made to fit the contract's
 * name rule (letters, digits, "_", "-", "."; at most 64 characters).
 */
export function suggestSourceName(folderPath: string): string {
  const parts = folderPath
    .trim()
    .split(/[\\/]+/u)
    .filter((part) => part !== '');
  const base = parts[parts.length - 1] ?? '';
  return base
    .replace(/[^\w.-]+/gu, '_')
    .replace(/^_+|_+$/gu, '')
    .slice(0, 64);
}
