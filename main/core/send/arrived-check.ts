import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * What a resumed send calls "already arrived" (issue 16): a stored copy whose size AND MD5 are
 * those of the file in the folder now. Sizes alone would trust a truncated upload; a record in
 * the run alone would trust a copy someone changed. Checked per place a file is kept:
 * - a GridFS artifact: `length` and the `md5` field the sender writes on fs.files when the
 *   upload completes (a file without it was never finished, so it is not trusted);
 * - an S3/MinIO object: ContentLength, and the ETag, which is the object's MD5 for a single
 *   PUT, or MD5 of the parts' MD5s + "-N" for a multipart upload in our part size (MinIO, AWS),
 *   or the whole MD5 (s3rver); an ETag of any other form (server-side encryption) is not
 *   trusted and the file is uploaded again, under the same key;
 * - a local copy (raw data root, folder-source artifact): size, then the MD5 of both files.
 */
export interface FileDigest {
  size: number;
  /** Hex MD5 of the whole file. */
  md5: string;
  /** The ETag S3 gives a multipart upload of this file in parts of `partBytes`, or null. */
  multipartEtag: string | null;
}

/** Reads the file once: its size, MD5 and multipart ETag. */
export async function fileDigest(path: string, partBytes: number): Promise<FileDigest> {
  const whole = createHash('md5');
  const partDigests: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    size += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partBytes - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === partBytes) {
        partDigests.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0) partDigests.push(part.digest());
  const multipartEtag =
    partDigests.length > 1
      ? `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}`
      : null;
  return { size, md5: whole.digest('hex'), multipartEtag };
}

/** An S3 object (ContentLength, ETag with or without its quotes) holds exactly `digest`. */
export function objectMatches(
  digest: FileDigest,
  head: { size: number | undefined; etag: string | undefined },
): boolean {
  if (head.size !== digest.size || head.etag === undefined) return false;
  const etag = head.etag.replace(/^"|"$/gu, '').toLowerCase();
  return etag === digest.md5 || (digest.multipartEtag !== null && etag === digest.multipartEtag);
}

/** A local copy at `copy` holds exactly `digest` (false when there is none). */
export async function copyMatches(
  copy: string,
  digest: FileDigest,
  partBytes: number,
): Promise<boolean> {
  const info = await stat(copy).catch(() => null);
  if (info === null || !info.isFile() || info.size !== digest.size) return false;
  return (await fileDigest(copy, partBytes)).md5 === digest.md5;
}
