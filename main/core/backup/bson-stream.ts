import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { AltarError } from '../../../shared/errors';

/** Refuses a length no BSON document can have (mongod's limit is 16 MiB, dumps may hold 16 MiB + slack). */
const MAX_DOCUMENT_BYTES = 48 * 1024 * 1024;

/**
 * The BSON documents of a mongodump `.bson` file (`.bson.gz` gunzipped), one Buffer each:
 * the file is documents back to back, each starting with its int32 length.
 */
export async function* bsonDocuments(path: string): AsyncGenerator<Uint8Array> {
  const file = createReadStream(path);
  const input: Readable = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  file.on('error', (error) => input.destroy(error));
  let pending: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  for await (const chunk of input as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= 4) {
      const size = pending.readInt32LE(offset);
      if (size < 5 || size > MAX_DOCUMENT_BYTES) {
        throw new AltarError(
          'INVALID_ARGUMENT',
          `The backup is damaged: ${path} is not a BSON dump: a document claims ${size} bytes.`,
        );
      }
      if (pending.length - offset < size) break;
      yield pending.subarray(offset, offset + size);
      offset += size;
    }
    pending = pending.subarray(offset);
  }
  if (pending.length > 0) {
    // A copy cut short (a full disk, an interrupted transfer): the user's to fix, not a bug.
    throw new AltarError(
      'INVALID_ARGUMENT',
      `The backup is damaged: ${path} ends in the middle of a document (${pending.length} bytes left).`,
    );
  }
}
