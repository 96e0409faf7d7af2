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

/** An artifact download link: navigating there saves a file and leaves the page in place. */
export function isArtifactDownloadUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${electronProtocols.artifact}:` &&
    parsed.searchParams.get('download') === '1'
  );
}

/** Links the OS browser may open: the web, nothing that launches local programs. */
export function isExternalWebUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && (parsed.protocol === 'https:' || parsed.protocol === 'http:');
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
