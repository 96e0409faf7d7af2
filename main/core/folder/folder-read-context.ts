import type { Stats } from 'node:fs';
import { checkContained, realFolders } from '../files/contained-path';
import { fileCalls } from '../files/file-calls';
import type { Containment } from '../files/contained-path';

/**
 * What one sync of a folder source works out once and every run reads: the real paths of the
 * folders the runs may name files in (one realpath each per sync, not per run), and the checks
 * of the files many runs name alike (`_sources/<stem>_<md5>.py`, `_resources/…`: the runs of
 * an experiment share them). A sync is a moment in time like a single run's read; what it
 * decided is checked again when a file is opened (main/core/files/named-file.ts).
 */
export class FolderReadContext {
  readonly realRoots: Promise<string[]>;
  private readonly stats = new Map<string, Promise<Stats | null>>();
  private readonly containments = new Map<string, Promise<Containment>>();

  constructor(allowedFolders: readonly string[]) {
    this.realRoots = realFolders(allowedFolders);
  }

  /** stat (links followed) of a shared file; null when nothing is there. */
  statOnce(path: string): Promise<Stats | null> {
    let known = this.stats.get(path);
    if (known === undefined) {
      known = fileCalls()
        .stat(path)
        .catch(() => null);
      this.stats.set(path, known);
    }
    return known;
  }

  /** checkContained of a shared file against the real roots. */
  containmentOnce(path: string): Promise<Containment> {
    let known = this.containments.get(path);
    if (known === undefined) {
      known = this.realRoots.then((roots) => checkContained(path, roots));
      this.containments.set(path, known);
    }
    return known;
  }
}
