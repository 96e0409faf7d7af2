import { join } from 'node:path';
import type { CapturedOutput } from '../../shared/contract';
import { readFileFrom } from './file-tail';

/** A follow view asks for new text only; without a cap it still never gets more than this. */
export const FOLLOW_CAP_BYTES = 64 * 1024 * 1024;

export interface OutputFromByteRequest {
  fromByte: number;
  maxBytes?: number;
  /** A folder run's directory: its cout.txt is fresher than the cache while the run goes on. */
  dir: string | null;
  /** The whole output the source or cache can give (it may itself be only a tail). */
  readWhole: () => Promise<CapturedOutput>;
}

/**
 * The captured output after byte `fromByte`: the text covers bytes [totalBytes - its length,
 * totalBytes), `truncated` when that starts after `fromByte` (the part between is no longer
 * held, or was cut by maxBytes). When the output is now shorter than `fromByte` it was
 * rewritten: the text is empty and totalBytes tells the caller to read it again from the start.
 */
export async function capturedOutputFrom(request: OutputFromByteRequest): Promise<CapturedOutput> {
  const cap = request.maxBytes ?? FOLLOW_CAP_BYTES;
  if (request.dir !== null) {
    try {
      const read = await readFileFrom(join(request.dir, 'cout.txt'), request.fromByte, cap);
      return {
        text: read.text,
        truncated: read.start > request.fromByte,
        totalBytes: read.totalBytes,
      };
    } catch {
      // No cout.txt (yet) or the folder is gone: the cache's copy is the best there is.
    }
  }
  return sliceFromByte(await request.readWhole(), request.fromByte, cap);
}

/** The part of an output (whose text is the tail of totalBytes) after `fromByte`. */
export function sliceFromByte(
  output: CapturedOutput,
  fromByte: number,
  maxBytes: number,
): CapturedOutput {
  const bytes = Buffer.from(output.text, 'utf8');
  const firstHeld = output.totalBytes - bytes.byteLength;
  if (fromByte >= output.totalBytes) {
    return { text: '', truncated: false, totalBytes: output.totalBytes };
  }
  let start = Math.max(fromByte, firstHeld, output.totalBytes - maxBytes);
  let from = start - firstHeld;
  // Never start inside a character: skip the continuation bytes of one cut off.
  while (from < bytes.byteLength && ((bytes[from] as number) & 0xc0) === 0x80) {
    from++;
    start++;
  }
  return {
    text: bytes.toString('utf8', from),
    truncated: start > fromByte,
    totalBytes: output.totalBytes,
  };
}
