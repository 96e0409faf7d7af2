import { readdirSync } from 'node:fs';

/**
 * The run folders of `folder` in run id order. readdirSync's order is the filesystem's (ext4,
 * tmpfs and overlayfs differ), so a test that picked "the first run with X" in that order
 * picked another run on another machine.
 */
export function runFolders(folder: string): string[] {
  return readdirSync(folder).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
