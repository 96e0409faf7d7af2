/**
 * Folder paths of the core's computer as the wizard handles them: it cannot import node:path
 * and the core may run on Windows (the desktop app), so the separator is the one the path uses.
 */

function separatorOf(path: string): '/' | '\\' {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

/** `parent` joined with one folder name. */
export function childPath(parent: string, name: string): string {
  const separator = separatorOf(parent);
  return parent.endsWith(separator) ? `${parent}${name}` : `${parent}${separator}${name}`;
}

/** The last name of a path ("Experiment1" of "/lab/Experiment1/"). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/u).filter((part) => part !== '');
  return parts.at(-1) ?? path;
}

/**
 * The folder the user chose in a folder picker (`<input webkitdirectory>`), from one file of it:
 * its absolute path and its path relative to the folder's parent ("lab/sub/file.csv"). Null when
 * the two do not fit together (no absolute path is known, outside the desktop app).
 */
export function pickedFolderOf(filePath: string, relativePath: string): string | null {
  const depth = relativePath.split('/').filter((part) => part !== '').length;
  if (filePath === '' || depth < 2) return null;
  const separator = separatorOf(filePath);
  const parts = filePath.split(separator);
  if (parts.length <= depth - 1) return null;
  const folder = parts.slice(0, parts.length - (depth - 1)).join(separator);
  return folder === '' ? separator : folder;
}
