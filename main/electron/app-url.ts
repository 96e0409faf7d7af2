import { electronProtocols } from '../../shared/client-api';

/** The only origin our UI is served from; Node's URL gives custom schemes an origin of "null". */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${electronProtocols.app}:` &&
    parsed.host.toLowerCase() === 'ui'
  );
}

/** Any URL our artifact protocol serves (artifacts, raw data, run zips). */
export function isArtifactUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && parsed.protocol === `${electronProtocols.artifact}:`;
}

/**
 * A file to save rather than show: an artifact or raw data link with ?download=1, or a run's
 * "Download all (zip)". The window hands these to Electron's download handling (save dialog).
 */
export function isArtifactDownloadUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${electronProtocols.artifact}:` &&
    (parsed.searchParams.get('download') === '1' || parsed.host.toLowerCase() === 'zip')
  );
}

/**
 * Links the OS browser may open: the web, nothing that launches local programs, and nothing
 * with a user name or password in it (the confirmation would show it, and a page could use it
 * to dress a link up as another host: https://github.com@evil.example/).
 */
export function isExternalWebUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
