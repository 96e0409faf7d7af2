import { hash7 } from './crockford-hash';
import { stampOf, timeFromFolderName } from './folder-time';

/** `HASH7-YYYYMMDDTHHMMSS`: what every stored file name of a folder starts with. */
export function storedPrefix(folderName: string, sendTime: Date): string {
  return `${hash7(folderName)}-${timeFromFolderName(folderName) ?? stampOf(sendTime)}`;
}

/** `HASH7-YYYYMMDDTHHMMSS-<file name>`: the name a file is stored under. */
export function storedName(prefix: string, fileName: string): string {
  return `${prefix}-${fileName}`;
}

/** The file's name before its first dot: the key of info.dataFiles and the MinIO folder. */
export function stemOf(fileName: string): string {
  const dot = fileName.indexOf('.');
  return dot <= 0 ? fileName : fileName.slice(0, dot);
}

/** The extension the old sender records as `type` (after the last dot, no dot). */
export function typeOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1);
}

/** The original file name of a stored name, or null when it is not one of ours. */
export function originalName(stored: string): { hash: string; name: string } | null {
  const match = /^([0-9A-Z]{1,7})-\d{8}T\d{6}-(.+)$/u.exec(stored);
  return match === null ? null : { hash: match[1] as string, name: match[2] as string };
}
