import { fileCalls } from '../files/file-calls';
import { emptyParsedRun } from './empty-parsed-run';
import type { ParsedRun, RunDirEntry } from './parsed-run';
import { readRunDir } from './read-run-dir';
import type { ReadRunDirOptions } from './read-run-dir';

/**
 * The reader reports bad content inside the run. A throw is either the directory going away
 * mid-sync (null: nothing to list, the next scan drops it) or something the reader did not
 * foresee: the run is then listed unreadable with that reason, never left out silently.
 */
export async function readOrExplain(
  folder: string,
  entry: RunDirEntry,
  options: ReadRunDirOptions,
): Promise<ParsedRun | null> {
  try {
    return await readRunDir(folder, entry, options);
  } catch (error) {
    try {
      if (!(await fileCalls().stat(entry.dir)).isDirectory()) return null;
    } catch {
      return null;
    }
    const parsed = emptyParsedRun(entry.id, 'UNREADABLE');
    const detail = error instanceof Error ? error.message : String(error);
    parsed.unreadable = `the run folder could not be read (${detail})`;
    return parsed;
  }
}
