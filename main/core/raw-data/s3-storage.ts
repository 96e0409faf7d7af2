import type * as ClientS3 from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as Presigner from '@aws-sdk/s3-request-presigner';
import { AltarError } from '../../../shared/errors';
import { classifyS3Error, s3ErrorCodes } from './classify-s3-error';

/**
 * The AWS SDK, imported on the first S3 call: loading it takes ~100 ms of every CLI command
 * and `serve` start, and most labs never configure a storage profile.
 */
type S3Sdk = [typeof ClientS3, typeof Presigner];
let sdk: Promise<S3Sdk> | null = null;
function loadSdk(): Promise<S3Sdk> {
  sdk ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]);
  return sdk;
}

const PRECISE_AUTH_CODES = new Set(['SignatureDoesNotMatch', 'InvalidAccessKeyId']);

/** What it takes to talk to one S3/MinIO server; the secret comes from the secret store. */
export interface S3Target {
  endpoint: string;
  region: string;
  pathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Presigned links are for a click now, not for sharing: a short expiry limits a leak. */
export const LINK_EXPIRY_SECONDS = 15 * 60;
export const DEFAULT_S3_TIMEOUT_MS = 10_000;

/**
 * The endpoint as typed, for a message, unless it may hold a user name or password (anything
 * before an '@'): the key pair belongs in its own fields, and a message must never echo it.
 */
function shownEndpoint(endpoint: string): string {
  return endpoint.includes('@') ? '' : `"${endpoint}" `;
}

/** An endpoint as the S3 client wants it: scheme, host and port only. Throws INVALID_ARGUMENT. */
export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `The storage endpoint ${shownEndpoint(endpoint)}is not a URL such as https://minio.lab:9000.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `The storage endpoint must start with http:// or https:// (got "${url.protocol}").`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new AltarError(
      'INVALID_ARGUMENT',
      'Put the access key in its own field, not in the storage endpoint URL.',
    );
  }
  return `${url.protocol}//${url.host}`;
}

/**
 * One S3 client per call: the credentials are given explicitly so the SDK never falls back to
 * AWS environment variables or ~/.aws files, and checksums only when required because MinIO
 * and older servers do not all know the newer checksum headers.
 */
export async function clientFor(
  target: S3Target,
  timeoutMs: number,
  attempts = 1,
): Promise<S3Client> {
  const [{ S3Client }] = await loadSdk();
  // The SDK warns on Node < 22 about its own future releases: advice for us, noise for a CLI
  // user (Electron already runs a newer Node).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: target.pathStyle,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    maxAttempts: attempts,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
}

async function withClient<T>(
  target: S3Target,
  timeoutMs: number,
  what: { bucket?: string; key?: string },
  work: (client: S3Client) => Promise<T>,
): Promise<T> {
  const client = await clientFor(target, timeoutMs);
  try {
    return await work(client);
  } catch (error) {
    throw classifyS3Error(error, {
      endpoint: target.endpoint,
      ...what,
      secret: target.secretAccessKey,
    });
  } finally {
    client.destroy();
  }
}

/** HeadBucket on `bucket`, or ListBuckets without one: both need valid credentials. */
export async function checkStorage(
  target: S3Target,
  bucket: string | null,
  timeoutMs = DEFAULT_S3_TIMEOUT_MS,
): Promise<{ buckets: string[] | null; roundTripMs: number }> {
  const started = performance.now();
  const [{ HeadBucketCommand, ListBucketsCommand }] = await loadSdk();
  const list = async (client: S3Client): Promise<string[]> => {
    const listed = await client.send(new ListBucketsCommand({}));
    return (listed.Buckets ?? []).flatMap((b) => (b.Name === undefined ? [] : [b.Name]));
  };
  if (bucket === null) {
    const buckets = await withClient(target, timeoutMs, {}, list);
    return { buckets, roundTripMs: Math.round((performance.now() - started) * 10) / 10 };
  }
  try {
    await withClient(target, timeoutMs, { bucket }, (client) =>
      client.send(new HeadBucketCommand({ Bucket: bucket })),
    );
  } catch (error) {
    // A refused HEAD has no body to say why; a listing does (wrong secret, unknown key).
    if (!(error instanceof AltarError) || error.code !== 'AUTH_FAILED') throw error;
    const client = await clientFor(target, timeoutMs);
    const reason = await list(client).then(
      () => null,
      (listError: unknown) =>
        s3ErrorCodes(listError).find((code) => PRECISE_AUTH_CODES.has(code)) ?? null,
    );
    client.destroy();
    if (reason !== null) {
      throw classifyS3Error({ name: reason }, { endpoint: target.endpoint, bucket });
    }
    throw error;
  }
  const buckets = null;
  return { buckets, roundTripMs: Math.round((performance.now() - started) * 10) / 10 };
}

export interface ObjectHead {
  size: number;
  contentType: string | null;
}

export async function headObject(
  target: S3Target,
  bucket: string,
  key: string,
  timeoutMs = DEFAULT_S3_TIMEOUT_MS,
): Promise<ObjectHead> {
  const [{ HeadObjectCommand }] = await loadSdk();
  return withClient(target, timeoutMs, { bucket, key }, async (client) => {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? null };
  });
}

/** A presigned GET of the object; with `download`, the server answers as an attachment. */
export async function presignGet(
  target: S3Target,
  bucket: string,
  key: string,
  options: { download?: boolean; fileName?: string; expiresIn?: number } = {},
): Promise<string> {
  const [{ GetObjectCommand }, { getSignedUrl }] = await loadSdk();
  return withClient(target, DEFAULT_S3_TIMEOUT_MS, { bucket, key }, (client) =>
    getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(options.download === true
          ? { ResponseContentDisposition: attachment(options.fileName ?? key) }
          : {}),
      }),
      { expiresIn: options.expiresIn ?? LINK_EXPIRY_SECONDS },
    ),
  );
}

function attachment(name: string): string {
  const base = name.split('/').pop() ?? name;
  const ascii = base.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}
