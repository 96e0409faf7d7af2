import { open } from 'node:fs/promises';

export interface CoutTail {
  text: string;
  truncated: boolean;
  totalBytes: number;
}

function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** End of the data without a trailing multi-byte character whose bytes have not all arrived. */
function completeUtf8End(buf: Buffer, from: number, end: number): number {
  for (let i = end - 1; i >= Math.max(from, end - 4); i--) {
    const byte = buf[i] as number;
    if (isContinuationByte(byte)) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return end - i < needed ? i : end;
  }
  return end;
}

/**
 * The last `maxBytes` of cout.txt as text. The file can be hundreds of MB and still growing,
 * so only the tail is read, at an offset. A cut inside a multi-byte character drops that
 * character rather than showing a replacement glyph. A missing file is empty output.
 */
export async function readCoutTail(path: string, maxBytes: number): Promise<CoutTail> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT') return { text: '', truncated: false, totalBytes: 0 };
    throw error;
  }
  try {
    const totalBytes = (await handle.stat()).size;
    const want = Math.max(0, Math.min(totalBytes, Math.floor(maxBytes)));
    const start = totalBytes - want;
    const buf = Buffer.allocUnsafe(want);
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await handle.read(buf, filled, want - filled, start + filled);
      if (bytesRead === 0) break; // shrank while reading (rewritten by Sacred < 0.7.5)
      filled += bytesRead;
    }
    let from = 0;
    if (start > 0) {
      // At most three continuation bytes can follow the lead byte that was cut off.
      while (from < Math.min(3, filled) && isContinuationByte(buf[from] as number)) from++;
    }
    // Sacred may be appending right now: a character cut at the end is left for the next read.
    const to = completeUtf8End(buf, from, filled);
    return {
      text: buf.toString('utf8', from, to),
      truncated: start > 0,
      totalBytes,
    };
  } finally {
    await handle.close();
  }
}
