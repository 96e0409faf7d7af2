const MASK = '****';

/**
 * `scheme://user:password@` in any URL (MongoDB, an S3 endpoint, a proxy). An unescaped
 * password may hold '@', '/' or '#', so the mask runs to the last '@' before a space: it may
 * hide a little more of an odd URL, never less of a password.
 */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):\S*@/giu;

/** Masks the password of every URL in a text that is about to be shown, sent or logged. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_PASSWORD, `$1:${MASK}@`);
}
