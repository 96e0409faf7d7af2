import type { Db, Document } from 'mongodb';
import { mongoDriver } from './mongo-driver';
import type { Readable } from 'node:stream';

/** Sacred 0.7+ writes every file to the `fs` bucket; 0.6 used `default`. */
export const SACRED_BUCKET = 'fs';
export const LEGACY_BUCKET = 'default';

/** What `<bucket>.files` says about one file; the content stays in the database. */
export interface GridFsFile {
  /** ObjectId hex of the `<bucket>.files` document. */
  id: string;
  bucket: string;
  filename: string | null;
  length: number | null;
  contentType: string | null;
  md5: string | null;
}

/** Where the cache says an artifact or source file lives: JSON in artifacts.locator. */
export interface GridFsLocator {
  bucket: string;
  id: string;
}

const FILES_PROJECTION = { _id: 1, filename: 1, length: 1, contentType: 1, md5: 1 };
/** Ids per `$in` query: keeps each command well under the 16 MiB limit. */
const LOOKUP_BATCH = 1000;

export function isObjectIdHex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/iu.test(value);
}

/** The locator stored in the cache, or null when it is missing or malformed. */
export function parseLocator(text: string | null): GridFsLocator | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { bucket, id } = value as { bucket?: unknown; id?: unknown };
    if (typeof bucket !== 'string' || bucket === '' || !isObjectIdHex(id)) return null;
    return { bucket, id };
  } catch {
    return null;
  }
}

/**
 * Sizes and content types of many files with one `$in` query per thousand ids: the sync
 * learns about every artifact of a batch of runs without touching a chunk.
 */
export async function lookupGridFsFiles(
  db: Db,
  bucket: string,
  ids: Iterable<string>,
): Promise<Map<string, GridFsFile>> {
  const unique = [...new Set([...ids].filter(isObjectIdHex).map((id) => id.toLowerCase()))];
  const found = new Map<string, GridFsFile>();
  for (let start = 0; start < unique.length; start += LOOKUP_BATCH) {
    const batch = unique
      .slice(start, start + LOOKUP_BATCH)
      .map((id) => new (mongoDriver().ObjectId)(id));
    const cursor = db
      .collection(`${bucket}.files`)
      .find({ _id: { $in: batch } }, { projection: FILES_PROJECTION });
    for await (const doc of cursor) {
      const file = toGridFsFile(bucket, doc);
      if (file !== null) found.set(file.id, file);
    }
  }
  return found;
}

/**
 * Files by exact filename (Sacred 0.6 sources are named by their absolute path and matched
 * by md5): one `$in` query per thousand names.
 */
export async function lookupGridFsByFilename(
  db: Db,
  bucket: string,
  filenames: Iterable<string>,
): Promise<Map<string, GridFsFile[]>> {
  const unique = [...new Set(filenames)];
  const found = new Map<string, GridFsFile[]>();
  for (let start = 0; start < unique.length; start += LOOKUP_BATCH) {
    const cursor = db
      .collection(`${bucket}.files`)
      .find(
        { filename: { $in: unique.slice(start, start + LOOKUP_BATCH) } },
        { projection: FILES_PROJECTION },
      );
    for await (const doc of cursor) {
      const file = toGridFsFile(bucket, doc);
      if (file === null || file.filename === null) continue;
      const list = found.get(file.filename);
      if (list === undefined) found.set(file.filename, [file]);
      else list.push(file);
    }
  }
  return found;
}

/** One file as stored now, or null when it is gone. */
export async function statGridFsFile(db: Db, locator: GridFsLocator): Promise<GridFsFile | null> {
  const files = await lookupGridFsFiles(db, locator.bucket, [locator.id]);
  return files.get(locator.id.toLowerCase()) ?? null;
}

/**
 * Streams a file's chunks as they arrive; `end` is inclusive like an HTTP Range. Nothing is
 * buffered beyond the driver's current chunk, so GB-sized artifacts are fine.
 */
export function openGridFsStream(
  db: Db,
  locator: GridFsLocator,
  range?: { start: number; end: number },
): Readable {
  const bucket = new (mongoDriver().GridFSBucket)(db, { bucketName: locator.bucket });
  const options = range === undefined ? {} : { start: range.start, end: range.end + 1 };
  return bucket.openDownloadStream(new (mongoDriver().ObjectId)(locator.id), options);
}

/**
 * The first `maxBytes` of a file as UTF-8 (for source files): reading stops there, the
 * rest of the file is never fetched.
 */
export async function readGridFsHead(
  db: Db,
  locator: GridFsLocator,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  const file = await statGridFsFile(db, locator);
  if (file === null) throw new GridFsFileMissing(locator);
  const length = file.length ?? 0;
  const want = Math.min(length, Math.max(0, Math.floor(maxBytes)));
  const parts: Buffer[] = [];
  if (want > 0) {
    const stream = openGridFsStream(db, locator, { start: 0, end: want - 1 });
    for await (const chunk of stream) parts.push(chunk as Buffer);
  }
  const head = Buffer.concat(parts).subarray(0, want);
  const truncated = length > want;
  // A cut in the middle of a multi-byte character would show as U+FFFD: drop that tail.
  const text = truncated ? head.subarray(0, utf8Boundary(head)).toString('utf8') : head.toString();
  return { text, truncated };
}

export class GridFsFileMissing extends Error {
  constructor(readonly locator: GridFsLocator) {
    super(`GridFS file ${locator.id} is missing from ${locator.bucket}.files`);
    this.name = 'GridFsFileMissing';
  }
}

function toGridFsFile(bucket: string, doc: Document): GridFsFile | null {
  const id: unknown = doc._id;
  if (!(id instanceof mongoDriver().ObjectId)) return null;
  return {
    id: id.toHexString(),
    bucket,
    filename: typeof doc.filename === 'string' ? doc.filename : null,
    length: toLength(doc.length),
    contentType: typeof doc.contentType === 'string' ? doc.contentType : null,
    md5: typeof doc.md5 === 'string' ? doc.md5 : null,
  };
}

function toLength(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && value !== null && 'toNumber' in value) {
    const n = (value as { toNumber(): unknown }).toNumber();
    return typeof n === 'number' ? n : null;
  }
  return null;
}

/** Length of the longest prefix of `bytes` that ends on a UTF-8 character boundary. */
function utf8Boundary(bytes: Buffer): number {
  // Back over continuation bytes (10xxxxxx) to the lead byte of the last character.
  let lead = bytes.length - 1;
  while (lead > bytes.length - 4 && lead >= 0 && ((bytes[lead] as number) & 0xc0) === 0x80) {
    lead--;
  }
  if (lead < 0) return bytes.length;
  const byte = bytes[lead] as number;
  const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return lead + need <= bytes.length ? bytes.length : lead;
}
