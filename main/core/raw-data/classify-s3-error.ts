import { AltarError } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import { redactSecrets } from '../mongo/redact';

export interface S3ErrorContext {
  endpoint: string;
  bucket?: string;
  key?: string;
  /** Masked out of every message, whatever the SDK put in it. */
  secret?: string | null;
}

const AUTH_CODES: Record<string, string> = {
  InvalidAccessKeyId: 'the access key id is unknown to the server',
  SignatureDoesNotMatch: 'the secret access key does not match the access key id',
  AccessDenied: 'access denied for this access key',
  Forbidden: 'access denied: the access key or secret is wrong, or may not read this bucket',
  InvalidToken: 'the credentials are invalid',
  ExpiredToken: 'the credentials have expired',
  AuthorizationHeaderMalformed: 'the request was signed for another region',
  RequestTimeTooSkewed: "this computer's clock is too far from the server's",
};

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'the connection was closed',
  EPROTO: 'TLS handshake failed (is the endpoint http:// rather than https://?)',
  ERR_SSL_WRONG_VERSION_NUMBER:
    'TLS handshake failed (is the endpoint http:// rather than https://?)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is not trusted (self-signed chain)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate could not be verified',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate is for another host name',
};

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'TimeoutError',
  'RequestTimeout',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Every `code`/`name` along an error's cause chain (and inside an AggregateError). */
export function s3ErrorCodes(error: unknown): string[] {
  return codesOf(error);
}

function codesOf(error: unknown, depth = 0): string[] {
  if (depth > 5 || error === null || typeof error !== 'object') return [];
  const record = error as {
    code?: unknown;
    name?: unknown;
    Code?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  const codes: string[] = [];
  for (const value of [record.code, record.Code, record.name]) {
    if (typeof value === 'string') codes.push(value);
  }
  codes.push(...codesOf(record.cause, depth + 1));
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) codes.push(...codesOf(inner, depth + 1));
  }
  return codes;
}

function httpStatusOf(error: unknown): number | null {
  if (error === null || typeof error !== 'object') return null;
  const meta = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : null;
}

/**
 * An S3 SDK or network failure as the user should read it: which server, what went wrong, in
 * one of the contract's codes (CONNECTION_FAILED, AUTH_FAILED, NOT_FOUND, TIMEOUT).
 */
export function classifyS3Error(error: unknown, context: S3ErrorContext): AltarError {
  if (error instanceof AltarError) return error;
  const codes = codesOf(error);
  const status = httpStatusOf(error);
  const where = context.endpoint;
  const fail = (code: ErrorCode, message: string): AltarError =>
    new AltarError(code, redactSecrets(message, [context.secret]));

  const auth = codes.find((code) => AUTH_CODES[code] !== undefined);
  if (auth !== undefined) {
    return fail(
      'AUTH_FAILED',
      `The storage server ${where} refused the credentials: ${AUTH_CODES[auth]} (${auth}).`,
    );
  }
  if (
    codes.includes('NoSuchBucket') ||
    (status === 404 && context.key === undefined && context.bucket !== undefined)
  ) {
    return fail('NOT_FOUND', `Bucket "${context.bucket ?? '?'}" does not exist on ${where}.`);
  }
  if (codes.includes('NoSuchKey') || codes.includes('NotFound') || status === 404) {
    const object = [context.bucket, context.key].filter((part) => part !== undefined).join('/');
    return fail('NOT_FOUND', `The object "${object}" does not exist on ${where}.`);
  }
  if (status === 403) {
    return fail(
      'AUTH_FAILED',
      `The storage server ${where} refused the credentials: access denied (403): the access key or secret is wrong, or may not read this bucket.`,
    );
  }
  const connection = codes.find((code) => CONNECTION_CODES[code] !== undefined);
  if (connection !== undefined) {
    return fail(
      'CONNECTION_FAILED',
      `Cannot reach the storage server at ${where}: ${CONNECTION_CODES[connection]}.`,
    );
  }
  if (codes.some((code) => TIMEOUT_CODES.has(code))) {
    return fail('TIMEOUT', `The storage server at ${where} did not answer in time.`);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (status !== null) {
    return fail(
      'CONNECTION_FAILED',
      `The storage server at ${where} answered ${status}: ${message}`,
    );
  }
  return fail('CONNECTION_FAILED', `Cannot use the storage server at ${where}: ${message}`);
}
