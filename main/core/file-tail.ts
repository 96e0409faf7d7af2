import type { ReadHandle } from './files/file-calls';
import { openRegularFile, openRegularFileSized } from './files/regular-file';
import type { OpenHints } from './files/regular-file';
import { lazyTextTail } from './utf8-text-tail';

/** Text read from the end of a file, and how much of the file there is. */
export interface FileTail {
  text: string;
  truncated: boolean;
  totalBytes: number;
}

/** The last `maxBytes` bytes of UTF-8 text, starting on a character boundary. */
export function utf8Tail(text: string, maxBytes: number): { text: string; bytes: number } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength <= maxBytes) return { text, bytes: bytes.byteLength };
  const tail = bytes.subarray(bytes.byteLength - maxBytes);
  return { text: tail.toString('utf8', firstCharStart(tail)), bytes: maxBytes };
}

/**
 * The last `maxBytes` of a file as text. The file can be hundreds of MB (cout.txt) and still
 * growing, so only the tail is read, at an offset. A character cut at either end is dropped
 * rather than shown as a replacement glyph: at the start by the offset, at the end because
 * Sacred may be appending right now (it is left for the next read).
 */
export async function readFileTail(
  path: string,
  maxBytes: number,
  hints: OpenHints = {},
): Promise<FileTail> {
  // Only regular files: a FIFO or /dev/zero named cout.txt must not block or never end.
  const { handle, size: totalBytes } = await openRegularFileSized(path, path, undefined, hints);
  try {
    const want = Math.max(0, Math.min(totalBytes, Math.floor(maxBytes)));
    const start = totalBytes - want;
    const buf = await readAt(handle, start, want);
    const from = start > 0 ? firstCharStart(buf) : 0;
    // Decoded only when read: a sync stores the bytes as they are (utf8-text-tail.ts).
    return lazyTextTail(buf.subarray(from, completeCharsEnd(buf, from)), start > 0, totalBytes);
  } finally {
    await handle.close();
  }
}

/**
 * The bytes of a file after `fromByte` (at most the last `maxBytes` of them) as text: what a
 * follow view appends. `start` is where the text begins, which is past `fromByte` when the cap
 * cut some off. As in readFileTail, a character still being written is left for the next read,
 * and `totalBytes` then stops before it, so asking again from `totalBytes` picks it up whole.
 */
export async function readFileFrom(
  path: string,
  fromByte: number,
  maxBytes: number,
): Promise<{ text: string; start: number; totalBytes: number }> {
  const handle = await openRegularFile(path);
  try {
    const size = (await handle.stat()).size;
    if (fromByte >= size) return { text: '', start: size, totalBytes: size };
    const start = Math.max(fromByte, size - Math.max(0, Math.floor(maxBytes)));
    const buf = await readAt(handle, start, size - start);
    const from = start > fromByte ? firstCharStart(buf) : 0;
    const end = completeCharsEnd(buf, from);
    return { text: buf.toString('utf8', from, end), start: start + from, totalBytes: start + end };
  } finally {
    await handle.close();
  }
}

/**
 * Reads at most `maxBytes` from the start of a file, ending on a character boundary; with
 * `within`, only when the opened file really lies in one of those folders.
 */
export async function readFileHead(
  path: string,
  maxBytes: number,
  within?: readonly string[],
): Promise<{ text: string; truncated: boolean }> {
  const handle = await openRegularFile(path, path, within);
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    let buf = await readAt(handle, 0, length);
    if (length < size) buf = buf.subarray(0, completeCharsEnd(buf, 0));
    return { text: buf.toString('utf8'), truncated: length < size };
  } finally {
    await handle.close();
  }
}

/** Up to `length` bytes from `position`; fewer if the file shrank while reading. */
async function readAt(handle: ReadHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) break; // shrank while reading (rewritten by Sacred < 0.7.5)
    filled += bytesRead;
  }
  return buf.subarray(0, filled);
}

function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** Where the first whole character starts, past the rest of one cut off before the data. */
function firstCharStart(buf: Buffer): number {
  let from = 0;
  // At most three continuation bytes can follow the lead byte that was cut off.
  while (from < Math.min(3, buf.length) && isContinuationByte(buf[from] as number)) from++;
  return from;
}

/** End of the data without a trailing multi-byte character whose bytes are not all there. */
function completeCharsEnd(buf: Buffer, from: number): number {
  const end = buf.length;
  for (let i = end - 1; i >= Math.max(from, end - 4); i--) {
    const byte = buf[i] as number;
    if (isContinuationByte(byte)) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return end - i < needed ? i : end;
  }
  return end;
}
