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
