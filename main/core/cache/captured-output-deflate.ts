import { deflateRawSync } from 'node:zlib';

/** Outputs up to this size are compressed at zlib's default level; bigger ones at level 1. */
const FAST_LEVEL_FROM_BYTES = 64 * 1024;

/**
 * Captured output as stored in `runs.captured_out` (raw deflate; any window size inflates with
 * inflateRawSync's default). Why not plain deflateRawSync(text): most outputs are a few KB, and
 * zlib's default 32 KB window and 128 KB hash table cost far more to set up than to compress
 * 2 KB (a quarter of a folder sync's cache writes at 2k runs went there). A window no bigger
 * than the output gives the same bytes. Big outputs (progress bars, MB of logs) take level 1:
 * ~4× faster than level 6 for ~25% more bytes, still several times smaller than the text.
 */
export function deflateCapturedOutput(output: Buffer): Buffer {
  // 2^bits ≥ the output, within zlib's allowed 9..15 for raw deflate.
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(output.byteLength + 1))));
  return deflateRawSync(output, {
    windowBits,
    memLevel: Math.min(8, Math.max(1, windowBits - 6)),
    ...(output.byteLength > FAST_LEVEL_FROM_BYTES ? { level: 1 } : {}),
  });
}
