import type { CoreOptions } from '../core/core-service';
import { hostsOf, userOf } from '../core/mongo/connection-uri';
import { PASSWORD_ENV } from './cli-errors';
import type { CliIo } from './cli-io';
import { promptHidden } from './password-prompt';

type PasswordFallback = NonNullable<CoreOptions['passwordFallback']>;

/**
 * The CLI keeps passwords in memory only, so every run that connects asks again:
 * ALTAR_MONGO_PASSWORD first, then a prompt when stdin is a terminal, else null (the core
 * then fails with PASSWORD_REQUIRED). An answer is reused for the same profile within the run.
 */
export function cliPasswordFallback(io: CliIo): PasswordFallback {
  const answers = new Map<string, Promise<string | null>>();
  return (profile) => {
    const fromEnv = io.env[PASSWORD_ENV];
    if (fromEnv !== undefined && fromEnv !== '') return Promise.resolve(fromEnv);
    const stdin = io.stdin;
    if (stdin?.isTTY !== true) return Promise.resolve(null);
    let answer = answers.get(profile.id);
    if (answer === undefined) {
      answer = promptHidden(`Password for ${promptLabel(profile)}: `, stdin, io.stderr).then(
        (text) => (text === null || text === '' ? null : text),
      );
      answers.set(profile.id, answer);
    }
    return answer;
  };
}

function promptLabel(profile: { name: string; uri: string }): string {
  try {
    const user = userOf(profile.uri);
    const hosts = hostsOf(profile.uri).join(',');
    return user === null ? hosts : `${user}@${hosts}`;
  } catch {
    return `"${profile.name}"`;
  }
}
