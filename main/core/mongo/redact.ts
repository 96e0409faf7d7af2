const MASK = '****';

// Whatever a driver or parser prints, a URI with credentials must not survive in a message.
// An unescaped password may hold '@', '/' or '#': mask up to the last '@' of the URI.
const URI_CREDENTIALS = /(mongodb(?:\+srv)?:\/\/[^:/?#@\s]*):\S*@/giu;

/**
 * Removes every known secret (as typed, and in the percent-encoded forms a URI would hold it)
 * and any `user:password@` part of a MongoDB URI from a text that is about to leave the mongo
 * layer: error messages, log lines, anything a user or a file may see.
 */
export function redactSecrets(
  text: string,
  secrets: ReadonlyArray<string | null | undefined>,
): string {
  let result = text.replace(URI_CREDENTIALS, `$1:${MASK}@`);
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === null || secret === undefined || secret === '') continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(encodeURI(secret));
  }
  // Longest first, so that a secret containing another one is masked whole.
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.split(form).join(MASK);
  }
  return result;
}
