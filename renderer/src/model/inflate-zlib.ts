/** What inflating gave: the bytes, or a sentence saying why there are none. */
export type Inflated = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/**
 * Inflates zlib data (RFC 1950, what Python's zlib.compress writes) with the browser's
 * DecompressionStream, since the renderer has no node:zlib. Stops reading as soon as the output
 * passes `maxBytes`, so a small corrupt or hostile input cannot fill the memory.
 */
export async function inflateZlib(compressed: Uint8Array, maxBytes: number): Promise<Inflated> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  try {
    const input = new Blob([compressed as Uint8Array<ArrayBuffer>]).stream();
    reader = input.pipeThrough(new DecompressionStream('deflate')).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return {
          ok: false,
          message: `the values take more than ${megabytes(maxBytes)} once inflated; not shown here`,
        };
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader?.cancel().catch(() => undefined);
    const detail = error instanceof Error && error.message !== '' ? ` (${error.message})` : '';
    return { ok: false, message: `corrupt: the values are not valid zlib data${detail}` };
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, bytes };
}
