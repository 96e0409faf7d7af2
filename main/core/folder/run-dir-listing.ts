import { fileCalls } from '../files/file-calls';
import { join } from 'node:path';
import { isWithin } from '../files/contained-path';
import type { OpenHints } from '../files/regular-file';

/**
 * What the folder listing says a name in a run directory is. readdir's file type does not
 * follow links: `file` is a regular file that is no link, `other` anything that needs the
 * full checks (a link, a directory, a FIFO, a device).
 */
export type ListedKind = 'missing' | 'file' | 'other';

/**
 * One readdir (with file types) and one realpath of a run directory: enough to tell, for every
 * name in it that is no link, where it really is (the run directory's real path, then the
 * name) and what kind it is, without a realpath and a stat per file. A sync of 20k runs did
 * about 50 file-system calls per run before; most of them asked this.
 */
export interface RunDirListing {
  /** The real path of the run directory (the directory may itself be a link). */
  realDir: string;
  kinds: ReadonlyMap<string, Exclude<ListedKind, 'missing'>>;
}

/** The listing of `runDir`, or null when it cannot be listed (the callers then check per file). */
export async function listRunDir(runDir: string): Promise<RunDirListing | null> {
  try {
    const calls = fileCalls();
    const [realDir, entries] = await Promise.all([
      calls.realpath(runDir),
      calls.readdirWithTypes(runDir),
    ]);
    const kinds = new Map<string, 'file' | 'other'>();
    for (const entry of entries) {
      kinds.set(entry.name, entry.isFile() && !entry.isSymbolicLink() ? 'file' : 'other');
    }
    return { realDir, kinds };
  } catch {
    return null;
  }
}

/** What the listing says `name` (a plain name, no separators) is; undefined: unknown. */
export function listedKind(listing: RunDirListing | null, name: string): ListedKind | undefined {
  if (listing === null) return undefined;
  return listing.kinds.get(name) ?? 'missing';
}

/**
 * The real path of a listed regular file, and whether it lies in one of `realRoots`: the same
 * answer realpath + checkContained give for a name that is no link. Undefined for names the
 * listing cannot answer for (links, other kinds, missing names): check those the full way.
 */
export function listedContainment(
  listing: RunDirListing | null,
  name: string,
  realRoots: readonly string[],
): { realPath: string; inside: boolean } | undefined {
  if (listedKind(listing, name) !== 'file' || listing === null) return undefined;
  const realPath = join(listing.realDir, name);
  return { realPath, inside: realRoots.some((root) => isWithin(root, realPath)) };
}

/** The open hints for a file the listing has seen (see OpenHints.listedRegular). */
export function hintsFor(kind: ListedKind | undefined): OpenHints {
  return { listedRegular: kind === 'file' };
}
