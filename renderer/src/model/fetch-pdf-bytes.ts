import { artifactFetchError } from './artifact-fetch-error';

/** pdf.js needs the whole file in memory; past this the preview asks to download instead. */
export const MAX_PDF_PREVIEW_BYTES = 200 * 1024 * 1024;

export class PdfTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(
      `This PDF is larger than ${Math.round(limit / (1024 * 1024))} MB, too large to preview here. Download it to open it.`,
    );
    this.name = 'PdfTooLargeError';
  }
}

/**
 * The artifact's bytes, or the artifact error (offline, missing) the other previews show.
 * Stops reading past `maxBytes`, whether or not the server said the size up front.
 */
export async function fetchPdfBytes(
  url: string,
  maxBytes = MAX_PDF_PREVIEW_BYTES,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const response = await fetch(url, { credentials: 'same-origin', signal });
  if (!response.ok) throw await artifactFetchError(response);
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new PdfTooLargeError(maxBytes);
  }
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw new PdfTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
