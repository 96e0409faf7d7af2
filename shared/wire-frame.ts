/**
 * A binary reply of the HTTP door, for replies that carry Float64Arrays (a plot's points): the
 * same value as shared/wire-codec.ts sends, but the arrays travel as their raw bytes after a
 * JSON header instead of base64 inside the JSON. A 20-run zoom's reply was ~940 KB of JSON,
 * base64-encoded by the host and parsed with a reviver and decoded again in the page while the
 * refined plot waited (issue 13); now the page reads the header (~3 KB) and takes views of the
 * bytes as they came. A page asks for it with FRAME_CONTENT_TYPE in `Accept`; a reply without
 * arrays, and every reply to a caller that did not ask, stays JSON.
 *
 * Layout: "AVF1", the header's byte length (uint32, little-endian), the header (UTF-8 JSON of
 * the value with each Float64Array replaced by {"$f64at": [byte offset, length]}, offsets
 * counted from the start of the data), zero bytes up to a multiple of 8, then the data: each
 * array's bytes, back to back. The arrays are in the host's byte order; the door serves
 * loopback only, so host and page share a machine.
 */
export const FRAME_CONTENT_TYPE = 'application/octet-stream';

const MAGIC = [0x41, 0x56, 0x46, 0x31]; // "AVF1"
const REF_TAG = '$f64at';
const PREFIX_BYTES = 8;

/** The value as a frame; when it holds no Float64Array, its JSON (as encodeWire writes it). */
export function encodeWireFrame(value: unknown): { frame: Uint8Array } | { json: string } {
  const arrays: Float64Array[] = [];
  let dataBytes = 0;
  const header = JSON.stringify(value, (_key, v: unknown) => {
    if (!(v instanceof Float64Array)) return v;
    arrays.push(v);
    const ref = { [REF_TAG]: [dataBytes, v.length] };
    dataBytes += v.byteLength;
    return ref;
  });
  if (arrays.length === 0) return { json: header };
  const headerBytes = new TextEncoder().encode(header);
  const dataStart = Math.ceil((PREFIX_BYTES + headerBytes.byteLength) / 8) * 8;
  const frame = new Uint8Array(dataStart + dataBytes);
  frame.set(MAGIC, 0);
  new DataView(frame.buffer).setUint32(4, headerBytes.byteLength, true);
  frame.set(headerBytes, PREFIX_BYTES);
  let at = dataStart;
  for (const array of arrays) {
    frame.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += array.byteLength;
  }
  return { frame };
}

/** Why a frame could not be read: the page then reports an unreadable reply. */
export class WireFrameError extends Error {}

/**
 * The value a frame holds; its Float64Arrays are views of `buffer` (no copy). Throws
 * WireFrameError for anything that is not a whole, well-formed frame.
 */
export function decodeWireFrame(buffer: ArrayBuffer): unknown {
  const bytes = new Uint8Array(buffer);
  if (bytes.byteLength < PREFIX_BYTES || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new WireFrameError('not a reply frame');
  }
  const headerLength = new DataView(buffer).getUint32(4, true);
  if (PREFIX_BYTES + headerLength > bytes.byteLength) throw new WireFrameError('cut header');
  const dataStart = Math.ceil((PREFIX_BYTES + headerLength) / 8) * 8;
  const dataBytes = bytes.byteLength - dataStart;
  const text = new TextDecoder('utf-8', { fatal: true }).decode(
    bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength),
  );
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const ref = (v as Record<string, unknown>)[REF_TAG];
    if (ref === undefined || Object.keys(v).length !== 1) return v;
    if (!Array.isArray(ref) || ref.length !== 2) throw new WireFrameError('bad array reference');
    const [offset, length] = ref as unknown[];
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      (offset as number) < 0 ||
      (length as number) < 0 ||
      (offset as number) % 8 !== 0 ||
      (offset as number) + (length as number) * 8 > dataBytes
    ) {
      throw new WireFrameError('array outside the frame');
    }
    return new Float64Array(buffer, dataStart + (offset as number), length as number);
  });
}
