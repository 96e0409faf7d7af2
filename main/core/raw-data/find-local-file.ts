import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { expectedLocalPath, isWindowsPath, pathTails } from './local-path-candidates';

export interface LocalSearchLimits {
  /** Subfolder levels searched below each starting folder. */
  depth: number;
  /** Folders listed in total, so a huge network share cannot hang the list. */
  maxDirectories: number;
}

export const DEFAULT_LOCAL_SEARCH: LocalSearchLimits = { depth: 4, maxDirectories: 2000 };

/**
 * Folder listings shared by the lookups of one run's files, so that twenty files missing from
 * the same big share cost one walk of it, not twenty.
 */
export type FolderListings = Map<string, Promise<Dirent[]>>;

function listFolder(dir: string, listings: FolderListings): Promise<Dirent[]> {
  let listing = listings.get(dir);
  if (listing === undefined) {
    listing = readdir(dir, { withFileTypes: true }).catch(() => []);
    listings.set(dir, listing);
  }
  return listing;
}

export type LocalLookup =
  { found: true; path: string } | { found: false; expected: string; searched: string[] };

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Finds `<localPath>/<fileName>` on this computer: the path itself when it is one here, then
 * the tails of the path under each local root (`D:\acq\2023\run1` → root/acq/2023/run1,
 * root/2023/run1, root/run1, root), then the subfolders of those folders, breadth first and
 * within `limits`. A file name differing only in case counts (Windows names are caseless).
 */
export async function findLocalFile(
  localPath: string | null,
  fileName: string,
  roots: readonly string[],
  limits: LocalSearchLimits = DEFAULT_LOCAL_SEARCH,
  listings: FolderListings = new Map(),
): Promise<LocalLookup> {
  const expected = localPath === null ? fileName : expectedLocalPath(localPath, fileName);
  const starts: string[] = [];
  if (localPath !== null && !isWindowsPath(localPath) && isAbsolute(localPath)) {
    starts.push(localPath);
  }
  for (const root of roots) {
    for (const tail of pathTails(localPath ?? '')) starts.push(join(root, ...tail));
  }
  const unique = [...new Set(starts)];
  const existing: string[] = [];
  for (const dir of unique) {
    if (!(await isDirectory(dir))) continue;
    existing.push(dir);
    const direct = join(dir, fileName);
    if (await isFile(direct)) return { found: true, path: direct };
  }

  const wanted = fileName.toLowerCase();
  const visited = new Set<string>();
  let budget = limits.maxDirectories;
  let capped = false;
  let level: string[] = existing;
  for (let depth = 0; depth <= limits.depth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (visited.has(dir)) continue;
      if (budget <= 0) {
        capped = true;
        break;
      }
      budget--;
      visited.add(dir);
      const entries = await listFolder(dir, listings);
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) next.push(path);
        else if (entry.name.toLowerCase() === wanted && (await isFile(path))) {
          return { found: true, path };
        }
      }
    }
    if (capped) break;
    level = next;
  }
  const searched = unique.map((dir) =>
    existing.includes(dir) ? `${dir} (and subfolders, ${limits.depth} levels)` : `${dir} (absent)`,
  );
  if (capped) searched.push(`(search stopped after ${limits.maxDirectories} folders)`);
  return { found: false, expected, searched };
}
