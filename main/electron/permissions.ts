import { isAppUrl, isArtifactUrl } from './app-url';

/**
 * The UI needs no camera, notifications or geolocation; a stray request gets "no". Fullscreen
 * is one exception, for <video> artifacts and plots, and only for our own pages; writing to
 * the clipboard (Copy link, copy a value) the other, for the app's own page only, never an
 * artifact. Desktop notifications come from the main process and need no page permission.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  if (permission === 'clipboard-sanitized-write') return isAppUrl(requestingUrl);
  return permission === 'fullscreen' && (isAppUrl(requestingUrl) || isArtifactUrl(requestingUrl));
}
