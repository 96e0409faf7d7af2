import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AltarError } from '../../../shared/errors';
import { classifyS3Error } from '../raw-data/classify-s3-error';
import type { S3Target } from '../raw-data/s3-storage';
import { checkStorage, clientFor } from '../raw-data/s3-storage';
import type { FileDigest } from './arrived-check';
import { copyMatches, fileDigest, objectMatches } from './arrived-check';
import { frenchSize } from './french-size';
import type { PlannedFile } from './send-plan';
import { stemOf, typeOf } from './stored-name';

/** Parts of 8 MiB, two at a time: large videos go up in parts, memory stays small. */
export const PART_BYTES = 8 * 1024 * 1024;
const UPLOAD_TIMEOUT_MS = 120_000;

export type ByteProgress = (bytes: number) => void;

/** Where raw data goes: a MinIO/S3 bucket, or a local (network) root folder. */
export type RawDestination =
  { kind: 'minio'; target: S3Target; bucket: string } | { kind: 'local'; root: string };

/** An entry of info.dataFiles.raw_data as the old sender writes it. */
export type RawEntry = Record<string, string>;

/** What a stored raw file leaves behind, to record it, or to remove it on cancel. */
export interface StoredRaw {
  key: string;
  entry: RawEntry;
  remove(): Promise<void>;
}

/** Where raw data goes, without the credentials: enough to name what will be recorded. */
export type RawPlace = { kind: 'minio'; bucket: string } | { kind: 'local'; root: string };

/** The info.dataFiles.raw_data entry of a file stored at `place`. */
export function rawEntry(file: PlannedFile, place: RawPlace): RawEntry {
  const stem = stemOf(file.fileName);
  const common = {
    type: typeOf(file.fileName),
    fileName: file.storedName,
    size: frenchSize(file.size),
  };
  return place.kind === 'minio'
    ? { ...common, bucket: place.bucket, minio_folder: stem }
    : { ...common, local_path: `${place.root}/${stem}` };
}

/** Checks the destination before any byte goes: the bucket must exist (it is never created). */
export async function checkRawDestination(destination: RawDestination): Promise<void> {
  if (destination.kind === 'minio') await checkStorage(destination.target, destination.bucket);
  else await mkdir(destination.root, { recursive: true });
}

/**
 * Stores one raw file: `<bucket>/<stem>/<stored name>` or `<root>/<stem>/<stored name>` (always
 * one level: the old sender nested a folder per extra file).
 */
export async function storeRaw(
  file: PlannedFile,
  destination: RawDestination,
  onBytes: ByteProgress,
  signal: AbortSignal,
): Promise<StoredRaw> {
  const stem = stemOf(file.fileName);
  const entry = rawEntry(file, destination);
  if (destination.kind === 'local') {
    const folder = join(destination.root, stem);
    const target = join(folder, file.storedName);
    await copyFile(file.path, folder, target, onBytes, signal);
    return {
      key: file.key,
      entry,
      remove: () => rm(target, { force: true }),
    };
  }
  const key = `${stem}/${file.storedName}`;
  await uploadObject(destination.target, destination.bucket, key, file.path, onBytes, signal);
  return {
    key: file.key,
    entry,
    remove: () => deleteObject(destination.target, destination.bucket, key),
  };
}

/**
 * A resume: whether `file` has arrived already at its place (same key or path, same size and
 * MD5; arrived-check.ts). An object that cannot be looked at counts as not arrived: uploading
 * it again under the same key replaces it, and reports the error if the server is the problem.
 */
export async function rawArrived(
  file: PlannedFile,
  destination: RawDestination,
  digest?: FileDigest,
): Promise<boolean> {
  const wanted = digest ?? (await fileDigest(file.path, PART_BYTES));
  const stem = stemOf(file.fileName);
  if (destination.kind === 'local') {
    return copyMatches(join(destination.root, stem, file.storedName), wanted, PART_BYTES);
  }
  const [{ HeadObjectCommand }, client] = await Promise.all([
    import('@aws-sdk/client-s3'),
    clientFor(destination.target, UPLOAD_TIMEOUT_MS, 3),
  ]);
  try {
    const head = await client.send(
      new HeadObjectCommand({ Bucket: destination.bucket, Key: `${stem}/${file.storedName}` }),
    );
    return objectMatches(wanted, { size: head.ContentLength, etag: head.ETag });
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

async function copyFile(
  source: string,
  folder: string,
  target: string,
  onBytes: ByteProgress,
  signal: AbortSignal,
): Promise<void> {
  await mkdir(folder, { recursive: true });
  // A copy interrupted half-way must not look like the file: written aside, renamed when whole.
  const partial = `${target}.part`;
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      onBytes(bytes);
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(source), count, createWriteStream(partial), { signal });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    if (signal.aborted) throw new AltarError('CANCELLED', 'The send was cancelled.');
    throw error;
  }
}

async function uploadObject(
  target: S3Target,
  bucket: string,
  key: string,
  path: string,
  onBytes: ByteProgress,
  signal: AbortSignal,
): Promise<void> {
  const [{ Upload }, client] = await Promise.all([
    import('@aws-sdk/lib-storage'),
    clientFor(target, UPLOAD_TIMEOUT_MS, 3),
  ]);
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  signal.addEventListener('abort', stop, { once: true });
  try {
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: createReadStream(path) },
      partSize: PART_BYTES,
      queueSize: 2,
      leavePartsOnError: false,
      abortController: abort,
    });
    upload.on('httpUploadProgress', (progress) => onBytes(progress.loaded ?? 0));
    await upload.done();
  } catch (error) {
    if (signal.aborted) throw new AltarError('CANCELLED', 'The send was cancelled.');
    throw classifyS3Error(error, {
      endpoint: target.endpoint,
      bucket,
      key,
      secret: target.secretAccessKey,
    });
  } finally {
    signal.removeEventListener('abort', stop);
    client.destroy();
  }
}

async function deleteObject(target: S3Target, bucket: string, key: string): Promise<void> {
  const [{ DeleteObjectCommand }, client] = await Promise.all([
    import('@aws-sdk/client-s3'),
    clientFor(target, UPLOAD_TIMEOUT_MS, 3),
  ]);
  try {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  } finally {
    client.destroy();
  }
}
