import { isExternalWebUrl } from './app-url';

export interface ExternalLinkDeps {
  /** Asks the user, naming the URL; resolves true when they chose to open it. */
  confirm(url: string): Promise<boolean>;
  /** Hands the URL to the OS browser. */
  open(url: string): Promise<void>;
  warn?: (message: string) => void;
}

/** Longer URLs are cut in the dialog (the full one still opens); a page can't flood it. */
export const SHOWN_URL_CHARS = 500;

/** The URL as the confirmation shows it. */
export function shownUrl(url: string): string {
  return url.length > SHOWN_URL_CHARS ? `${url.slice(0, SHOWN_URL_CHARS)}…` : url;
}

/**
 * External links open only after the user saw where they go. Only web URLs qualify, and one
 * question at a time: a page that fires window.open in a loop gets one dialog, not hundreds.
 */
export function createExternalLinkPrompt(deps: ExternalLinkDeps): (url: string) => Promise<void> {
  const warn = deps.warn ?? console.warn;
  let asking = false;
  return async (url) => {
    if (!isExternalWebUrl(url) || asking) return;
    asking = true;
    try {
      if (await deps.confirm(url)) await deps.open(url);
    } catch (error) {
      warn(`altar-viewer: could not open a link: ${error instanceof Error ? error.message : ''}`);
    } finally {
      asking = false;
    }
  };
}
