/**
 * Where a local raw data folder recorded on another computer may be on this one. `local_path`
 * is often `D:\acq\2023\run1` or `\\labserver\share\2023`: meaningless here as a whole, but its
 * last segments usually survive under whatever folder the share is mounted at.
 */

/** The folder segments of a POSIX, Windows or UNC path, without drive letter, "." and "..". */
export function pathSegments(path: string): string[] {
  return path
    .split(/[\\/]+/u)
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .filter((segment, index) => !(index === 0 && /^[a-z]:$/iu.test(segment)));
}

/** Whether a path was written on Windows (drive letter, UNC or backslashes). */
export function isWindowsPath(path: string): boolean {
  return /^[a-z]:/iu.test(path) || path.includes('\\');
}

/** `<local_path>/<fileName>` as the recording computer would spell it. */
export function expectedLocalPath(localPath: string, fileName: string): string {
  if (localPath === '') return fileName;
  const separator = isWindowsPath(localPath) ? '\\' : '/';
  const base = localPath.replace(/[\\/]+$/u, '');
  return `${base}${separator}${fileName}`;
}

/**
 * Segment lists to try under each local root, longest first: `D:\acq\2023\run1` gives
 * [acq, 2023, run1], [2023, run1], [run1], then [] (the root itself).
 */
export function pathTails(localPath: string): string[][] {
  const segments = pathSegments(localPath);
  const tails: string[][] = [];
  for (let start = 0; start <= segments.length; start++) tails.push(segments.slice(start));
  return tails;
}
