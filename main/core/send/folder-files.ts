import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';

/** Lab folders are small; a runaway (a whole disk given as a folder) stops here. */
export const MAX_FOLDER_FILES = 20_000;

/** Every regular file under a folder, as "/"-separated paths relative to it, sorted. */
export async function listFolderFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    files.push(relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'));
    if (files.length > MAX_FOLDER_FILES) break;
  }
  return files.sort();
}

/** The files a glob names (relative, "/"-separated; a plain name matches itself). */
export function matchGlob(files: readonly string[], glob: string): string[] {
  const isMatch = picomatch(glob.split(sep).join('/'), { dot: false });
  return files.filter((file) => isMatch(file));
}
