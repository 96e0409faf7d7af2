import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface LauncherPage {
  /** The file:// URL to hand to the browser opener. */
  fileUrl: string;
  remove(): void;
}

/**
 * A local page that sends the browser on to `url`, readable by this user only. A command line
 * (`xdg-open URL`) is visible to every local user for as long as the opener runs, so the
 * opener is given this file's name instead; the address inside carries a one-time code that
 * expires within a minute (see HttpHost.launchUrl), never the token.
 */
export function writeLauncherPage(url: string): LauncherPage {
  // mkdtemp makes the folder 0700; the file is 0600 on top.
  const dir = mkdtempSync(path.join(tmpdir(), 'altar-viewer-open-'));
  const file = path.join(dir, 'open.html');
  const href = url.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);
  writeFileSync(
    file,
    '<!doctype html><meta charset="utf-8">' +
      `<meta http-equiv="refresh" content="0;url=${href}">` +
      `<title>Altar Viewer</title><p><a href="${href}">Open Altar Viewer</a></p>\n`,
    { mode: 0o600 },
  );
  return {
    fileUrl: pathToFileURL(file).href,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
