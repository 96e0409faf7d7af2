/** Metric points live in the cache as raw Float64Array bytes: compact, NaN-safe, fast to load. */
export function float64ToBlob(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

export function blobToFloat64(blob: Buffer | Uint8Array): Float64Array {
  // SQLite hands back buffers that need not be 8-byte aligned, so copy instead of viewing.
  const out = new Float64Array(Math.floor(blob.byteLength / 8));
  new Uint8Array(out.buffer).set(blob.subarray(0, out.length * 8));
  return out;
}

/** Points per metric_chunks row: big enough to keep rows few, small enough to write in one go. */
export const METRIC_CHUNK_POINTS = 65_536;
