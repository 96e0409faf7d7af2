import { isAppUrl, isArtifactDownloadUrl, isArtifactUrl, isExternalWebUrl } from './app-url';

/**
 * What a navigation or window.open becomes. `allow`: it happens in place. `download`: Electron's
 * download handling saves it (with a save dialog). `external`: the user is shown the URL and
 * may open it in the OS browser. `deny`: nothing happens.
 */
export type NavigationDecision = 'allow' | 'download' | 'external' | 'deny';

/**
 * The top frame stays on our UI; sub frames (the sandboxed HTML artifact preview) may show
 * artifacts and blank pages only. Everything else leaves the window, as a download or an
 * external link the user confirms.
 */
export function decideNavigation(url: string, isMainFrame: boolean): NavigationDecision {
  if (isArtifactDownloadUrl(url)) return 'download';
  if (isMainFrame ? isAppUrl(url) : isArtifactUrl(url) || isBlankPage(url)) return 'allow';
  return isExternalWebUrl(url) ? 'external' : 'deny';
}

/**
 * No page ever gets a second window: an artifact link opened "in a new tab" (the gallery, the
 * PDF preview) is saved instead, a web link goes to the OS browser after a confirmation.
 */
export function decideWindowOpen(url: string): Exclude<NavigationDecision, 'allow'> {
  if (isArtifactUrl(url)) return 'download';
  return isExternalWebUrl(url) ? 'external' : 'deny';
}

function isBlankPage(url: string): boolean {
  return url === 'about:blank' || url === 'about:srcdoc';
}
