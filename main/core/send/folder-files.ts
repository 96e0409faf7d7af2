import { opendir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type Picomatch from 'picomatch';
import { packageOnFirstUse } from '../package-on-first-use';
import { BadInputFile } from './table-file';

const picomatch = packageOnFirstUse<typeof Picomatch>('picomatch');

/** Lab folders are small; a runaway (a whole disk given as a folder) stops here. */
export const MAX_FOLDER_FILES = 20_000;

/**
 * Every regular file under a folder, as "/"-separated paths relative to it, sorted. Walked one
 * folder at a time so that a folder far too large is refused without reading all of it.
 */
export async function listFolderFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop() as string;
    for await (const entry of await opendir(join(folder, relative))) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) files.push(path);
      if (files.length > MAX_FOLDER_FILES) {
        throw new BadInputFile(folder, `holds more than ${MAX_FOLDER_FILES} files`);
      }
    }
  }
  return files.sort();
}

/** The files a glob names (relative, "/"-separated; a plain name matches itself). */
export function matchGlob(files: readonly string[], glob: string): string[] {
  const isMatch = picomatch()(glob.split(sep).join('/'), { dot: false });
  return files.filter((file) => isMatch(file));
}
