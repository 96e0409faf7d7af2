import { deflateRawSync } from 'node:zlib';

/**
 * Captured output as stored in `runs.captured_out` (raw deflate; any window size inflates with
 * inflateRawSync's default). Why not plain deflateRawSync(text): most outputs are a few KB, and
 * zlib's default 32 KB window and 128 KB hash table cost far more to set up than to compress
 * 2 KB (a quarter of a folder sync's cache writes at 2k runs went there); a window no bigger
 * than the output gives the same bytes. Level 1, not 6: over the outputs of a generated 2k-run
 * folder (37 KB on average) it compressed 2.4× faster, to 7.7 KB per run instead of 5.8 KB.
 */
export function deflateCapturedOutput(output: Buffer): Buffer {
  // 2^bits ≥ the output, within zlib's allowed 9..15 for raw deflate.
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(output.byteLength + 1))));
  return deflateRawSync(output, {
    windowBits,
    memLevel: Math.min(8, Math.max(1, windowBits - 6)),
    level: 1,
  });
}

/** Deflated output a read worker computed for a tail (not a property, as in utf8-text-tail.ts). */
const deflatedOfTail = new WeakMap<object, Buffer>();

/**
 * Records that `deflated` is deflateCapturedOutput of the tail's UTF-8 bytes: the folder sync's
 * read worker compresses the output off the core's thread (a tenth of the writes' CPU).
 */
export function rememberDeflated(tail: object, deflated: Buffer): void {
  deflatedOfTail.set(tail, deflated);
}

/** The stored form of the tail's bytes `output`: what the worker computed, else computed now. */
export function deflatedOutputOf(tail: object, output: Buffer): Buffer {
  return deflatedOfTail.get(tail) ?? deflateCapturedOutput(output);
}
