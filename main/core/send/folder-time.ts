/**
 * The acquisition time a folder's name holds, as the old sender reads it
 * (`YYYY[-_/]MM[-_/]DD\D+HH[-_:]MM([-_:]SS)?`), formatted `YYYYMMDDTHHMMSS`; null when the
 * name holds none. The time is the lab's wall clock: no zone is applied.
 */
const FOLDER_TIME = /(\d{4})[-_/](\d{2})[-_/](\d{2})\D+(\d{2})[-_:](\d{2})(?:[-_:](\d{2}))?/u;

export function timeFromFolderName(name: string): string | null {
  const match = FOLDER_TIME.exec(name);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second] = match;
  return `${year}${month}${day}T${hour}${minute}${second ?? '00'}`;
}

/** The send time in the same format, local wall clock as the old sender's datetime.now(). */
export function stampOf(time: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${time.getFullYear()}${two(time.getMonth() + 1)}${two(time.getDate())}` +
    `T${two(time.getHours())}${two(time.getMinutes())}${two(time.getSeconds())}`
  );
}
