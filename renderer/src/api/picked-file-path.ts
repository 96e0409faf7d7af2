/**
 * The full path of a file the user picked in an <input type="file">, or null where none can
 * be known: a browser never tells a page where a file lives, only the desktop app's preload
 * can (Electron's webUtils).
 */
export function pickedFilePath(file: File): string | null {
  const path = window.altar?.pathForFile?.(file) ?? '';
  return path === '' ? null : path;
}

/** Whether pickedFilePath can answer here (the desktop app). */
export function canPickFilePaths(): boolean {
  return typeof window.altar?.pathForFile === 'function';
}
