import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EJSON } from 'bson';
import type { Document } from 'bson';
import type { JsonValue } from '../../../shared/contract';
import { rawDataOfInfo } from '../../../shared/raw-data-files';
import { classifyS3Error } from '../raw-data/classify-s3-error';
import { clientFor } from '../raw-data/s3-storage';
import type { S3Target } from '../raw-data/s3-storage';
import type { BackupMeter } from './backup-meter';
import { collectionsOfRole, documentsOf } from './mongo-doc-set';
import type { DocCollection, SacredDocSet } from './sacred-doc-set';

/** Where raw data goes in a backup folder: `DIR/raw_data/<bucket>/<key>`, beside the dump. */
export const RAW_DATA_FOLDER = 'raw_data';
const S3_TIMEOUT_MS = 120_000;
/** Parts of 8 MiB, two at a time, as sending runs uploads (large videos stay out of memory). */
const PART_BYTES = 8 * 1024 * 1024;

export interface RawObject {
  bucket: string;
  key: string;
}

export interface RawDataPlan {
  /** Objects found on the storage, with their sizes. */
  objects: (RawObject & { size: number })[];
  bytes: number;
  /** Objects the runs name that the storage does not have (or would not show), one line each. */
  missing: string[];
}

const objectId = (object: RawObject): string => `${object.bucket}/${object.key}`;

function infoOf(run: Document): { [key: string]: JsonValue } | null {
  const info: unknown = run.info;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) return null;
  // Relaxed Extended JSON turns BSON's wrappers into plain JSON values the reader takes.
  return JSON.parse(EJSON.stringify(info, { relaxed: true })) as { [key: string]: JsonValue };
}

/** The MinIO objects the runs of a doc set name in `info.dataFiles.raw_data.minio`, once each. */
export async function rawObjectsOf(set: SacredDocSet): Promise<RawObject[]> {
  const found = new Map<string, RawObject>();
  for await (const run of documentsOf(collectionsOfRole(set, 'runs'))) {
    const info = infoOf(run);
    for (const entry of info === null ? [] : (rawDataOfInfo(info) ?? [])) {
      if (entry.kind !== 'minio' || entry.bucket === null || entry.key === null) continue;
      const object = { bucket: entry.bucket, key: entry.key };
      found.set(objectId(object), object);
    }
  }
  return [...found.values()];
}

function isMissing(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = (error as { name?: unknown }).name;
  return status === 404 || name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchBucket';
}

/** Sizes of the objects on the storage (HEAD each); a missing object is listed, not fatal. */
export async function planRawData(
  target: S3Target,
  objects: readonly RawObject[],
  signal?: AbortSignal,
): Promise<RawDataPlan> {
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const client = await clientFor(target, S3_TIMEOUT_MS, 3);
  const plan: RawDataPlan = { objects: [], bytes: 0, missing: [] };
  try {
    for (const object of objects) {
      signal?.throwIfAborted();
      try {
        const head = await client.send(
          new HeadObjectCommand({ Bucket: object.bucket, Key: object.key }),
        );
        const size = head.ContentLength ?? 0;
        plan.objects.push({ ...object, size });
        plan.bytes += size;
      } catch (error) {
        if (!isMissing(error)) throw s3Failure(error, target, object);
        plan.missing.push(`raw data ${objectId(object)} (not on the storage)`);
      }
    }
  } finally {
    client.destroy();
  }
  return plan;
}

function s3Failure(error: unknown, target: S3Target, object: Partial<RawObject>): Error {
  return classifyS3Error(error, {
    endpoint: target.endpoint,
    ...(object.bucket === undefined ? {} : { bucket: object.bucket }),
    ...(object.key === undefined ? {} : { key: object.key }),
    secret: target.secretAccessKey,
  });
}

/** The file of an object in a backup folder; null for a key that would leave the folder. */
export function rawDataPath(dir: string, object: RawObject): string | null {
  const base = resolve(dir, RAW_DATA_FOLDER);
  const path = resolve(base, object.bucket, ...object.key.split('/'));
  const inside = relative(base, path);
  if (inside === '' || inside.startsWith('..') || inside.split(sep).length < 2) return null;
  if (object.bucket.includes('/') || object.bucket.startsWith('.')) return null;
  return path;
}

function counting(meter: BackupMeter, onBytes: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      meter.addBytes(chunk.length);
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

/**
 * Writes the planned objects under `DIR/raw_data/<bucket>/<key>`, each aside and renamed when
 * whole; a file already there with the object's size is kept (a resumed backup).
 */
export async function downloadRawData(
  target: S3Target,
  plan: RawDataPlan,
  dir: string,
  meter: BackupMeter,
): Promise<{ files: number; omitted: string[] }> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const client = await clientFor(target, S3_TIMEOUT_MS, 3);
  const omitted: string[] = [];
  let files = 0;
  meter.report('raw-data', 0, plan.objects.length);
  try {
    for (const object of plan.objects) {
      const path = rawDataPath(dir, object);
      if (path === null) {
        omitted.push(`raw data ${objectId(object)} (a key that cannot be a file name)`);
        continue;
      }
      if ((await stat(path).catch(() => null))?.size === object.size) {
        meter.addBytes(object.size);
      } else {
        await mkdir(resolve(path, '..'), { recursive: true });
        const partial = `${path}.part`;
        try {
          const answer = await client.send(
            new GetObjectCommand({ Bucket: object.bucket, Key: object.key }),
            meter.signal === undefined ? {} : { abortSignal: meter.signal },
          );
          const body = answer.Body;
          if (!(body instanceof Readable)) throw new Error('the storage sent no content');
          await pipeline(
            body,
            counting(meter, () => undefined),
            createWriteStream(partial),
            meter.signal === undefined ? {} : { signal: meter.signal },
          );
          await rename(partial, path);
        } catch (error) {
          await rm(partial, { force: true });
          meter.check();
          if (isMissing(error)) {
            omitted.push(`raw data ${objectId(object)} (gone from the storage)`);
            continue;
          }
          throw s3Failure(error, target, object);
        }
      }
      files++;
      meter.report('raw-data', files, plan.objects.length);
    }
  } finally {
    client.destroy();
  }
  return { files, omitted };
}

/** The files of a backup's `raw_data` folder as the objects they were. */
export async function rawDataFiles(
  dir: string,
): Promise<(RawObject & { path: string; size: number })[]> {
  const base = join(dir, RAW_DATA_FOLDER);
  const buckets = await readdir(base, { withFileTypes: true }).catch(() => []);
  const files: (RawObject & { path: string; size: number })[] = [];
  for (const bucket of buckets) {
    if (!bucket.isDirectory()) continue;
    const root = join(base, bucket.name);
    for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || entry.name.endsWith('.part')) continue;
      const path = join(entry.parentPath, entry.name);
      const key = relative(root, path).split(sep).join('/');
      files.push({ bucket: bucket.name, key, path, size: (await stat(path)).size });
    }
  }
  return files;
}

/**
 * Uploads a backup's raw data files into `bucket` (each into the bucket it came from when
 * null). An object already there with the same size is kept, so a restore run again uploads
 * nothing twice. Returns the objects now on the storage, as `<old bucket>/<key>` → new bucket.
 */
export async function uploadRawData(
  target: S3Target,
  dir: string,
  bucket: string | null,
  meter: BackupMeter,
): Promise<{ moved: Map<string, string>; files: number }> {
  const [{ HeadObjectCommand }, { Upload }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/lib-storage'),
  ]);
  const files = await rawDataFiles(dir);
  const client = await clientFor(target, S3_TIMEOUT_MS, 3);
  const moved = new Map<string, string>();
  meter.bytesTotal = (meter.bytesTotal ?? 0) + files.reduce((sum, file) => sum + file.size, 0);
  meter.report('raw-data', 0, files.length);
  let done = 0;
  try {
    for (const file of files) {
      const to = bucket ?? file.bucket;
      const held = await client
        .send(new HeadObjectCommand({ Bucket: to, Key: file.key }))
        .then((head) => head.ContentLength ?? null)
        .catch((error: unknown) => {
          if (isMissing(error)) return null;
          throw s3Failure(error, target, { bucket: to, key: file.key });
        });
      if (held === file.size) {
        meter.addBytes(file.size);
      } else {
        const abort = new AbortController();
        const stop = (): void => abort.abort();
        meter.signal?.addEventListener('abort', stop, { once: true });
        try {
          await new Upload({
            client,
            params: {
              Bucket: to,
              Key: file.key,
              Body: createReadStream(file.path).pipe(counting(meter, () => undefined)),
              ContentLength: file.size,
            },
            partSize: PART_BYTES,
            queueSize: 2,
            leavePartsOnError: false,
            abortController: abort,
          }).done();
        } catch (error) {
          meter.check();
          throw s3Failure(error, target, { bucket: to, key: file.key });
        } finally {
          meter.signal?.removeEventListener('abort', stop);
        }
      }
      moved.set(objectId(file), to);
      done++;
      meter.report('raw-data', done, files.length);
    }
  } finally {
    client.destroy();
  }
  return { moved, files: done };
}

/**
 * The doc set with its runs' raw data entries pointing at the buckets their objects were
 * restored to; entries whose object was not restored are left as they are.
 */
export function withRawDataBuckets(set: SacredDocSet, moved: Map<string, string>): SacredDocSet {
  if (moved.size === 0) return set;
  const rewrite = (collection: DocCollection): DocCollection => ({
    ...collection,
    docs: async function* () {
      for await (const run of documentsOf([collection])) {
        const minio = (run.info as Document | undefined)?.dataFiles?.raw_data?.minio as
          Document | undefined;
        const info = infoOf(run);
        const entries = info === null ? [] : (rawDataOfInfo(info) ?? []);
        for (const entry of entries) {
          if (entry.kind !== 'minio' || entry.bucket === null || entry.key === null) continue;
          const to = moved.get(`${entry.bucket}/${entry.key}`);
          const stored = minio?.[entry.stem] as Document | undefined;
          if (to !== undefined && stored !== undefined) stored.bucket = to;
        }
        yield run;
      }
    },
  });
  return {
    ...set,
    collections: set.collections.map((c) => (c.role === 'runs' ? rewrite(c) : c)),
  };
}
