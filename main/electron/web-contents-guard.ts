import type { App, WebContents } from 'electron';
import { decideNavigation, decideWindowOpen } from './navigation-policy';
import type { NavigationDecision } from './navigation-policy';

export interface GuardActions {
  /** Shows the URL and opens it in the OS browser only if the user agrees. */
  openExternal(url: string, contents: WebContents): void;
  /** Saves the URL through Electron's download handling (a save dialog). */
  download(url: string, contents: WebContents): void;
}

/**
 * Applies the navigation rules to every web contents the app ever creates (the window, a
 * DevTools page in development, anything a future feature adds), so no new surface starts out
 * unguarded. Must be installed before the first window is created.
 */
export function installWebContentsGuard(app: Pick<App, 'on'>, actions: GuardActions): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, actions));
}

export function guardWebContents(contents: WebContents, actions: GuardActions): void {
  const act = (decision: NavigationDecision, url: string): void => {
    if (decision === 'external') actions.openExternal(url, contents);
    else if (decision === 'download') actions.download(url, contents);
  };

  contents.setWindowOpenHandler(({ url }) => {
    act(decideWindowOpen(url), url);
    return { action: 'deny' };
  });
  // Fires for every frame (top frame first, before will-navigate): the one place that acts.
  contents.on('will-frame-navigate', (event) => {
    const decision = decideNavigation(event.url, event.isMainFrame);
    if (decision === 'allow') return;
    event.preventDefault();
    act(decision, event.url);
  });
  // Only reached when will-frame-navigate allowed it; kept so the top-frame rule holds even if
  // an Electron version stops sending will-frame-navigate for the top frame.
  contents.on('will-navigate', (event) => {
    if (decideNavigation(event.url, true) !== 'allow') event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (decideNavigation(event.url, event.isMainFrame) !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
