import type { CoreOptions } from '../core/core-service';
import type { CliIo } from './cli-io';
import { promptHidden } from './password-prompt';

/** Where the CLI reads the S3 secret access key of a storage profile from. */
export const S3_SECRET_ENV = 'ALTAR_S3_SECRET';

type SecretFallback = NonNullable<CoreOptions['storageSecretFallback']>;

/**
 * Like MongoDB passwords, S3 secrets live in this process's memory only: ALTAR_S3_SECRET
 * first, then a hidden prompt when stdin is a terminal, else null. Asked once per source.
 */
export function cliStorageSecretFallback(io: CliIo): SecretFallback {
  const answers = new Map<string, Promise<string | null>>();
  return (source) => {
    const fromEnv = io.env[S3_SECRET_ENV];
    if (fromEnv !== undefined && fromEnv !== '') return Promise.resolve(fromEnv);
    const stdin = io.stdin;
    if (stdin?.isTTY !== true) return Promise.resolve(null);
    let answer = answers.get(source);
    if (answer === undefined) {
      answer = promptHidden(
        `Secret access key for the storage of "${source}": `,
        stdin,
        io.stderr,
      ).then((text) => (text === null || text === '' ? null : text));
      answers.set(source, answer);
    }
    return answer;
  };
}
