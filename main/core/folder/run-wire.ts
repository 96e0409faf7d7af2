import { deflateCapturedOutput, rememberDeflated } from '../cache/captured-output-deflate';
import type { ParsedRun } from './parsed-run';
import { lazyTextTail, utf8OfTail } from '../utf8-text-tail';

/**
 * A ParsedRun as it crosses from the read worker to the core's thread: the captured output as
 * its UTF-8 bytes (a lazy tail's getter does not survive a structured clone, and the cache
 * stores the bytes anyway), and the buffers that are moved rather than copied.
 */
export interface WireRun {
  run: Omit<ParsedRun, 'capturedOutput'>;
  /** `deflated`: the bytes as the cache stores them, compressed in the worker. */
  output: { bytes: Uint8Array; deflated: Uint8Array; truncated: boolean; totalBytes: number };
}

/** The run to post, and the buffers to transfer with it (each whole and its own). */
export function toWireRun(run: ParsedRun): { wire: WireRun; transfer: ArrayBuffer[] } {
  const { capturedOutput, ...rest } = run;
  // Valid UTF-8 either way, so on the other side utf8OfTail gives these very bytes back.
  const bytes = utf8OfTail(capturedOutput);
  const deflated = deflateCapturedOutput(bytes);
  const wire: WireRun = {
    run: rest,
    output: {
      bytes,
      deflated,
      truncated: capturedOutput.truncated,
      totalBytes: capturedOutput.totalBytes,
    },
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
  own(deflated);
  for (const metric of run.metrics) {
    own(metric.steps);
    own(metric.values);
    own(metric.timestamps);
  }
  return { wire, transfer: [...transfer] };
}

/** The ParsedRun again, on the receiving side. */
export function fromWireRun(wire: WireRun): ParsedRun {
  const { bytes, deflated, truncated, totalBytes } = wire.output;
  const asBuffer = (view: Uint8Array): Buffer =>
    Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const capturedOutput = lazyTextTail(asBuffer(bytes), truncated, totalBytes);
  rememberDeflated(capturedOutput, asBuffer(deflated));
  return { ...wire.run, capturedOutput };
}
