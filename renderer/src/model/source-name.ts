const NAME_MAX = 64;

/** Makes any text fit the contract's source name rule: letters, digits, "_", "-", "."; 64 at most. */
export function sanitizeSourceName(text: string): string {
  return text
    .trim()
    .replace(/[^\w.-]+/gu, '_')
    .replace(/^_+|_+$/gu, '')
    .slice(0, NAME_MAX);
}

/**
 * A source name suggested from a folder path: its last component, made to fit the contract's
 * name rule (letters, digits, "_", "-", "."; at most 64 characters).
 */
export function suggestSourceName(folderPath: string): string {
  const parts = folderPath
    .trim()
    .split(/[\\/]+/u)
    .filter((part) => part !== '');
  return sanitizeSourceName(parts[parts.length - 1] ?? '');
}

/**
 * `<profile>-<database>[-<prefix>]`, sanitized: one profile often serves several databases, and
 * one database several prefixes, so every part that tells them apart is kept.
 */
export function suggestMongoSourceName(
  profileName: string,
  database: string,
  prefix: string | null,
): string {
  const parts = [profileName, database, prefix ?? '']
    .map((part) => sanitizeSourceName(part))
    .filter((part) => part !== '');
  return sanitizeSourceName(parts.join('-'));
}
