import type { ParsedRun } from './parsed-run';
import { lazyTextTail, utf8OfTail } from '../utf8-text-tail';

/**
 * A ParsedRun as it crosses from the read worker to the core's thread: the captured output as
 * its UTF-8 bytes (a lazy tail's getter does not survive a structured clone, and the cache
 * stores the bytes anyway), and the buffers that are moved rather than copied.
 */
export interface WireRun {
  run: Omit<ParsedRun, 'capturedOutput'>;
  output: { bytes: Uint8Array; truncated: boolean; totalBytes: number };
}

/** The run to post, and the buffers to transfer with it (each whole and its own). */
export function toWireRun(run: ParsedRun): { wire: WireRun; transfer: ArrayBuffer[] } {
  const { capturedOutput, ...rest } = run;
  const bytes = utf8OfTail(capturedOutput);
  const wire: WireRun = {
    run: rest,
    output: { bytes, truncated: capturedOutput.truncated, totalBytes: capturedOutput.totalBytes },
  };
  const transfer = new Set<ArrayBuffer>();
  const own = (view: ArrayBufferView): void => {
    // A view of part of a buffer (Node's pool of small Buffers) is copied, never moved.
    const buffer = view.buffer;
    if (
      buffer instanceof ArrayBuffer &&
      view.byteOffset === 0 &&
      view.byteLength === buffer.byteLength
    )
      transfer.add(buffer);
  };
  own(bytes);
  for (const metric of run.metrics) {
    own(metric.steps);
    own(metric.values);
    own(metric.timestamps);
  }
  return { wire, transfer: [...transfer] };
}

/** The ParsedRun again, on the receiving side. */
export function fromWireRun(wire: WireRun): ParsedRun {
  const { bytes, truncated, totalBytes } = wire.output;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { ...wire.run, capturedOutput: lazyTextTail(buffer, truncated, totalBytes) };
}
