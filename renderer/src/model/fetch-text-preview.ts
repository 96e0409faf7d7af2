import { artifactFetchError } from './artifact-fetch-error';

export interface TextPreview {
  text: string;
  /** The artifact is longer than what was read. */
  truncated: boolean;
}

/**
 * Reads at most `maxBytes` of a URL as UTF-8 and stops the download there, so previewing a
 * 2 GB log does not pull it whole.
 */
export async function fetchTextPreview(url: string, maxBytes: number): Promise<TextPreview> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw await artifactFetchError(response);
  const reader = response.body?.getReader();
  if (reader === undefined) {
    const text = await response.text();
    return { text: text.slice(0, maxBytes), truncated: text.length > maxBytes };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= maxBytes) {
      truncated = size > maxBytes || !(await reader.read()).done;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.min(chunk.length, bytes.length - offset));
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  return { text: new TextDecoder('utf-8', { fatal: false }).decode(bytes), truncated };
}
