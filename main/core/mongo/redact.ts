import { maskUrlCredentials } from '../../../shared/url-credentials';

const MASK = '****';

// A secret this short also occurs inside ordinary words ("pw" in "wrong password"): masking
// every occurrence would garble the message around it. Such a secret is masked only where it
// stands as a token of its own, which is how a driver or a user would print it.
const SHORT_SECRET = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

function maskForm(text: string, form: string): string {
  if (form.length >= SHORT_SECRET) return text.split(form).join(MASK);
  const standalone = new RegExp(
    `(?<![\\p{L}\\p{N}_])${escapeRegExp(form)}(?![\\p{L}\\p{N}_])`,
    'gu',
  );
  return text.replace(standalone, MASK);
}

/**
 * Removes every known secret (as typed, and in the percent-encoded forms a URI would hold it)
 * and any `user:password@` part of a URL (MongoDB, S3 endpoints) from a text that is about to
 * leave the core: error messages, log lines, anything a user or a file may see.
 */
export function redactSecrets(
  text: string,
  secrets: ReadonlyArray<string | null | undefined>,
): string {
  // Whatever a driver or parser prints, a URL with credentials must not survive in a message.
  let result = maskUrlCredentials(text);
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === null || secret === undefined || secret === '') continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(encodeURI(secret));
  }
  // Longest first, so that a secret containing another one is masked whole.
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = maskForm(result, form);
  }
  return result;
}
