import { isUtf8 } from 'node:buffer';

/** Text read from a file, with how much of the file there is (the shape of file-tail.ts's FileTail). */
export interface TextTail {
  text: string;
  truncated: boolean;
  totalBytes: number;
}

/** The bytes each tail was decoded from, kept beside it (not a property: equality and copies ignore it). */
const bytesOfTail = new WeakMap<object, Buffer>();

/**
 * A tail whose text is decoded from `bytes` only when read. A folder sync stores captured
 * output as deflated UTF-8 and never shows it: decoding cout.txt to a string and encoding it
 * back was about a tenth of a first sync's CPU (issue 13's profile). The text, once asked for,
 * is exactly `bytes.toString('utf8')`.
 */
export function lazyTextTail(bytes: Buffer, truncated: boolean, totalBytes: number): TextTail {
  let text: string | null = null;
  const tail: TextTail = {
    get text(): string {
      text ??= bytes.toString('utf8');
      return text;
    },
    truncated,
    totalBytes,
  };
  bytesOfTail.set(tail, bytes);
  return tail;
}

/**
 * The UTF-8 bytes of the tail's text: the bytes it was read as when they are valid UTF-8 (they
 * are then exactly what encoding the text gives), else the text encoded. Bytes that are not
 * UTF-8 decode to U+FFFD, which encodes differently, so those take the long way.
 */
export function utf8OfTail(tail: { text: string }): Buffer {
  const bytes = bytesOfTail.get(tail);
  if (bytes !== undefined && isUtf8(bytes)) return bytes;
  return Buffer.from(tail.text, 'utf8');
}
