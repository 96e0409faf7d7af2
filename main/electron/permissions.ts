import { isAppUrl, isArtifactUrl } from './app-url';

/**
 * The UI needs no camera, notifications or geolocation; a stray request gets "no". Fullscreen
 * is the one exception, for <video> artifacts and plots, and only for our own pages.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return permission === 'fullscreen' && (isAppUrl(requestingUrl) || isArtifactUrl(requestingUrl));
}
