/**
 * The desktop app's folder picker (the preload's `pickFolder`), for a folder to write a backup
 * to or restore one from. The browser door has none: a page never learns where a folder is, so
 * the path is typed there.
 */
export function canPickFolders(): boolean {
  return typeof window.altar?.pickFolder === 'function';
}

/** The folder the user chose, or null when they closed the picker. */
export async function pickFolder(title: string): Promise<string | null> {
  const picked = await window.altar?.pickFolder?.(title);
  return typeof picked === 'string' && picked !== '' ? picked : null;
}
