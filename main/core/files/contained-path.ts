import { fileCalls } from './file-calls';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The one rule for files a run names (artifacts, source files, local raw data): run folders sit
 * on shared disks and lab databases have many writers, so a name is read only when its REAL
 * path (every symlink resolved) lies inside the source's folder or a folder the user trusts
 * for that source. The text of the name proves nothing: `a.png` may be a link to ~/.ssh/id_rsa.
 */

export type Containment =
  | { kind: 'inside'; realPath: string }
  | { kind: 'outside'; realPath: string }
  | { kind: 'missing' };

/** Whether `path` is `root` itself or lies below it (both absolute and normalized). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  if (rel === '') return true;
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** The real paths of the folders that exist; a trusted folder that is gone trusts nothing. */
export async function realFolders(folders: readonly string[]): Promise<string[]> {
  const real = await Promise.all(
    folders.map((folder) =>
      fileCalls()
        .realpath(resolve(folder))
        .catch(() => null),
    ),
  );
  return [...new Set(real.filter((path): path is string => path !== null))];
}

/**
 * Where `path` really is, and whether that lies inside one of `realRoots` (already real, see
 * realFolders). A path that does not exist (or a dangling link) is `missing`; other errors
 * (EACCES, ELOOP) count as outside, since nothing proves the file is where it should be.
 */
export async function checkContained(
  path: string,
  realRoots: readonly string[],
): Promise<Containment> {
  let real: string;
  try {
    real = await fileCalls().realpath(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'outside', realPath: resolve(path) };
  }
  return realRoots.some((root) => isWithin(root, real))
    ? { kind: 'inside', realPath: real }
    : { kind: 'outside', realPath: real };
}

/**
 * Text shared by every refusal, so that warnings written at sync can be found again when the
 * user trusts a folder (those runs are read again at the next sync).
 */
export const OUTSIDE_MARKER = 'outside the folders this source may read';

/**
 * What the user sees for a refused name: where it points and how to trust that folder.
 * `what` is e.g. `artifact "plot.png"`.
 */
export function outsideMessage(what: string, realPath: string, source: string | null): string {
  const folder = dirname(realPath);
  const how =
    source === null
      ? `trust the folder ${folder} for this source`
      : `trust the folder ${folder} (source menu → "Trusted folders…", or ` +
        `altar-viewer sources set ${source} --trust ${shellQuote(folder)})`;
  return `${what} points to ${realPath}, ${OUTSIDE_MARKER}; it is not read. To read it, ${how}.`;
}

/** A path as one shell word, so the suggested command can be pasted as is. */
function shellQuote(path: string): string {
  return /^[\w./-]+$/u.test(path) ? path : `'${path.replace(/'/gu, "'\\''")}'`;
}
