import { stripPassword } from '../core/mongo/connection-uri';
import { redactSecrets } from '../core/mongo/redact';
import { PASSWORD_ENV } from './cli-errors';
import type { CliIo } from './cli-io';
import { S3_SECRET_ENV } from './storage-secret-fallback';

/**
 * The passwords this run was handed (ALTAR_MONGO_PASSWORD, ALTAR_S3_SECRET, a
 * `user:password@` in a URL argument). The core already keeps them out of its messages; this
 * is the second lock for what the CLI itself echoes, such as an argument it did not expect.
 */
function knownSecrets(argv: readonly string[], env: CliIo['env']): string[] {
  const secrets: string[] = [];
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') secrets.push(fromEnv);
  const s3Secret = env[S3_SECRET_ENV];
  if (s3Secret !== undefined && s3Secret !== '') secrets.push(s3Secret);
  for (const arg of argv) {
    const mongo = arg.search(/mongodb(?:\+srv)?:\/\//iu);
    if (mongo >= 0) {
      try {
        const { password } = stripPassword(arg.slice(mongo));
        if (password !== null) secrets.push(password);
      } catch {
        // Unparsable: the URI pattern in redactSecrets still masks its user:password@ part.
      }
      continue;
    }
    // Any other URL with a password, such as an S3 endpoint typed as http://KEY:SECRET@host.
    const start = arg.search(/[a-z][a-z0-9+.-]*:\/\//iu);
    if (start < 0) continue;
    try {
      const { password } = new URL(arg.slice(start));
      if (password !== '') secrets.push(password, decodeURIComponent(password));
    } catch {
      // Unparsable: the URL pattern in redactSecrets masks its user:password@ part.
    }
  }
  return secrets;
}

export function withoutSecrets(text: string, argv: readonly string[], env: CliIo['env']): string {
  return redactSecrets(text, knownSecrets(argv, env));
}
