import type { ConnectionProfile } from '../../../shared/contract';
import { redactUri, userOf } from '../../core/mongo/connection-uri';
import { PASSWORD_ENV } from '../cli-errors';
import { renderTable } from './text-table';

/** The CLI keeps passwords in memory, so "none yet" is the normal state, not an error. */
export function passwordState(profile: ConnectionProfile): string {
  if (profile.hasPassword) {
    return profile.passwordStorage === 'keystore' ? 'in OS keystore' : 'in memory';
  }
  return userOfOrNull(profile.uri) === null ? 'not needed' : `asked (${PASSWORD_ENV} or prompt)`;
}

export function renderProfilesTable(profiles: readonly ConnectionProfile[], width: number): string {
  return renderTable(
    [
      { header: 'NAME', max: 32 },
      { header: 'URI', max: 100 },
      { header: 'PASSWORD', max: 40 },
    ],
    profiles.map((profile) => [profile.name, redactUri(profile.uri), passwordState(profile)]),
    width,
  );
}

function userOfOrNull(uri: string): string | null {
  try {
    return userOf(uri);
  } catch {
    return null;
  }
}
