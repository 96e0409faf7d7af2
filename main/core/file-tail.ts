import { open } from 'node:fs/promises';

/** The last `maxBytes` bytes of UTF-8 text, starting on a character boundary. */
export function utf8Tail(text: string, maxBytes: number): { text: string; bytes: number } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength <= maxBytes) return { text, bytes: bytes.byteLength };
  return { text: decodeFromBoundary(bytes.subarray(bytes.byteLength - maxBytes)), bytes: maxBytes };
}

/** Reads at most `maxBytes` from the end of a file (cout.txt can be hundreds of MB). */
export async function readFileTail(
  path: string,
  maxBytes: number,
): Promise<{ text: string; totalBytes: number; truncated: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, size - length);
    const chunk = buffer.subarray(0, bytesRead);
    const text = length < size ? decodeFromBoundary(chunk) : chunk.toString('utf8');
    return { text, totalBytes: size, truncated: length < size };
  } finally {
    await handle.close();
  }
}

/** Reads at most `maxBytes` from the start of a file. */
export async function readFileHead(
  path: string,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    let chunk = buffer.subarray(0, bytesRead);
    if (length < size) chunk = chunk.subarray(0, lastBoundary(chunk));
    return { text: chunk.toString('utf8'), truncated: length < size };
  } finally {
    await handle.close();
  }
}

function decodeFromBoundary(bytes: Buffer): string {
  let start = 0;
  // Skip UTF-8 continuation bytes (10xxxxxx) left over from a character cut in half.
  while (start < bytes.length && start < 4 && ((bytes[start] as number) & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}

/** Length of the prefix that ends on a character boundary. */
function lastBoundary(bytes: Buffer): number {
  const end = bytes.length;
  for (let back = 1; back <= 4 && end - back >= 0; back++) {
    const byte = bytes[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    // A lead byte: keep it only if its whole sequence fits.
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed <= back ? end : end - back;
  }
  return end;
}
