import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { Readable } from 'node:stream';
import { isWithin } from './contained-path';
import { fileCalls } from './file-calls';
import type { ReadHandle } from './file-calls';

/**
 * Only regular files are ever opened. A FIFO in a run folder blocks open() (and one of libuv's
 * four I/O threads with it) until someone writes to it, and a link to /dev/zero or /dev/urandom
 * never ends: either stalls a sync and every other request behind it. So the kind is checked
 * by stat before opening (opening some devices has side effects), the open is non-blocking in
 * case the file was swapped meanwhile, and the open file is checked again.
 */

/** Thrown for a file that is not read: its kind, or its size over the cap. */
export class FileRefusedError extends Error {
  readonly code: 'ENOTREG' | 'ETOOBIG' | 'EOUTSIDE';

  constructor(code: 'ENOTREG' | 'ETOOBIG' | 'EOUTSIDE', message: string) {
    super(message);
    this.name = 'FileRefusedError';
    this.code = code;
  }
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** What a non-regular file is, in words a user knows. */
export function fileKind(info: Stats): string {
  if (info.isFile()) return 'a file';
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refuseKind(label: string, info: Stats): FileRefusedError {
  return new FileRefusedError(
    'ENOTREG',
    `${label} is ${fileKind(info)}, not a regular file; it is not read`,
  );
}

export function formatCap(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

/**
 * Where an open file really is, from the kernel (Linux); null where /proc is not there. A
 * check of the path before opening leaves a moment in which a folder on the way can be
 * swapped for a link; this closes it.
 */
async function openedPath(handle: ReadHandle): Promise<string | null> {
  try {
    return await fileCalls().readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return null;
  }
}

/** How a caller that already listed the file's folder may skip a step of the checks. */
export interface OpenHints {
  /**
   * The folder listing (readdir's file type, which does not follow links) said "regular
   * file" a moment ago: the stat before opening is skipped. The listing is as old as that stat
   * would be, and the non-blocking open and the check of the open file still refuse anything
   * else, so no FIFO or device is read.
   */
  listedRegular?: boolean;
}

/** An open regular file and its size when opened. */
export interface OpenedRegularFile {
  handle: ReadHandle;
  size: number;
}

/**
 * Opens a regular file for reading; throws FileRefusedError for anything else, and the usual
 * fs errors (ENOENT, EACCES) as they are. `label` names the file in messages ("config.json").
 * With `within` (real folder paths), a file that turns out to lie outside them once opened is
 * refused too.
 */
export async function openRegularFile(
  path: string,
  label = path,
  within?: readonly string[],
): Promise<ReadHandle> {
  return (await openRegularFileSized(path, label, within)).handle;
}

/** openRegularFile, also giving the size the open file had (callers need not stat again). */
export async function openRegularFileSized(
  path: string,
  label = path,
  within?: readonly string[],
  hints: OpenHints = {},
): Promise<OpenedRegularFile> {
  const calls = fileCalls();
  if (hints.listedRegular !== true) {
    const before = await calls.stat(path);
    if (!before.isFile()) throw refuseKind(label, before);
  }
  const handle = await calls.open(path, OPEN_FLAGS);
  try {
    const after = await handle.stat();
    if (!after.isFile()) throw refuseKind(label, after);
    if (within !== undefined) {
      const real = await openedPath(handle);
      if (real !== null && !within.some((root) => isWithin(root, real))) {
        throw new FileRefusedError('EOUTSIDE', `${label} moved outside its folder while opened`);
      }
    }
    return { handle, size: after.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The whole of a regular file of at most `maxBytes`; bigger files are refused, not cut. */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  label = path,
  hints: OpenHints = {},
): Promise<Buffer> {
  const { handle, size } = await openRegularFileSized(path, label, undefined, hints);
  try {
    const tooBig = (): FileRefusedError =>
      new FileRefusedError(
        'ETOOBIG',
        `${label} is larger than ${formatCap(maxBytes)}, more than a Sacred run writes; it is not read`,
      );
    if (size > maxBytes) throw tooBig();
    // One byte more than the cap tells a file that grew while being read from one that fits.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes, size) + 1);
    let filled = 0;
    while (filled < buf.length) {
      const want = buf.length - filled;
      const { bytesRead } = await handle.read(buf, filled, want, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      // Fewer bytes than asked, and all the size the open file had: that is its end (a file
      // growing since would have filled the extra byte). Saves asking again to read nothing.
      if (bytesRead < want && filled === size) break;
    }
    if (filled > maxBytes) throw tooBig();
    return buf.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

const STREAM_CHUNK = 256 * 1024;

/**
 * A regular file (or the inclusive byte range of one) as a stream, opened only when read:
 * artifacts and raw data are streamed to the doors, however big. A file that turned into
 * something else since it was listed makes the stream fail instead of blocking.
 */
export function regularFileStream(
  path: string,
  range?: { start?: number; end?: number },
  within?: readonly string[],
): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    const handle = await openRegularFile(path, path, within);
    try {
      let position = range?.start ?? 0;
      const end = range?.end ?? Infinity;
      while (position <= end) {
        const want = Math.min(STREAM_CHUNK, end - position + 1);
        const buf = Buffer.allocUnsafe(want);
        const { bytesRead } = await handle.read(buf, 0, want, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
