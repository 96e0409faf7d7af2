/**
 * A fresh id for a cancellable call (testConnection, listDatabases). randomUUID needs a secure
 * context; a custom protocol page might not count as one, so there is a fallback.
 */
export function newOperationId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
