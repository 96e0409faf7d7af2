// A fake S3/MinIO for tests: s3rver in a temp folder on a random loopback port. s3rver 3.7
// checks that an access key id exists but never verifies SigV4 signatures ("Signature
// version 4 calculation is unimplemented" in its authentication middleware), so a wrong
// secret would pass. The SigV4 check below runs in front of it and refuses, like MinIO does,
// a request (header-signed or presigned) whose signature was not made with the known secret.
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account.js';

/** Distinctive, so a test can look for the secret's bytes in files and outputs. */
export const S3_ACCESS_KEY = 'ALTARTESTKEY';
export const S3_SECRET = 'altar-s3-Secret-7f3e9c21d';

export interface S3TestServer {
  endpoint: string;
  port: number;
  /** Requests the SigV4 check refused (to tell a test that the check ran). */
  readonly refused: number;
  /**
   * From now on, a request for which `rule` returns a status is answered with that status (an
   * S3 InternalError) instead of being served: a server failing mid-upload, or a hook to kill
   * a client at a chosen request. null serves every request again.
   */
  intercept(rule: ((request: { method: string; url: string }) => number | null) | null): void;
  close(): Promise<void>;
}

export async function startS3TestServer(buckets: string[]): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'altar-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  // s3rver only knows its S3RVER key; ours must exist for its own access key id check.
  DUMMY_ACCOUNT.createKeyPair(S3_ACCESS_KEY, S3_SECRET);
  const state: {
    refused: number;
    rule: ((request: { method: string; url: string }) => number | null) | null;
  } = { refused: 0, rule: null };
  server.middleware.unshift(async (ctx, next) => {
    const problem = sigV4Problem(ctx.method, ctx.req.url ?? '/', ctx.req.headers, Date.now());
    if (problem === null) {
      await next();
      return;
    }
    state.refused++;
    ctx.status = 403;
    ctx.type = 'application/xml';
    ctx.body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${problem.code}</Code>` +
      `<Message>${problem.message}</Message></Error>`;
  });
  server.middleware.splice(1, 0, async (ctx, next) => {
    const status = state.rule?.({ method: ctx.method, url: ctx.req.url ?? '/' }) ?? null;
    if (status === null) {
      await next();
      return;
    }
    ctx.status = status;
    ctx.type = 'application/xml';
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>' +
      '<Message>The test server was told to fail this request.</Message></Error>';
  });
  const address = await server.run();
  const port = address.port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    get refused() {
      return state.refused;
    },
    intercept(rule) {
      state.rule = rule;
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

type Headers = Record<string, string | string[] | undefined>;

function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/gu,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function header(headers: Headers, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/**
 * Null when the request is signed with S3_SECRET, or is not a SigV4 request of S3_ACCESS_KEY
 * (s3rver then answers itself: InvalidAccessKeyId for an unknown key).
 */
export function sigV4Problem(
  method: string,
  rawUrl: string,
  headers: Headers,
  nowMs: number,
): { code: string; message: string } | null {
  const [path = '/', rawQuery = ''] = rawUrl.split('?', 2);
  const query: Array<[string, string]> = rawQuery
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      return [decodeURIComponent(key), decodeURIComponent(value.replace(/\+/gu, '%20'))];
    });
  const fromQuery = new Map(query);
  const authorization = header(headers, 'authorization');
  let credential: string;
  let signedHeaders: string[];
  let signature: string;
  let amzDate: string;
  let payloadHash: string;
  if (fromQuery.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    credential = fromQuery.get('X-Amz-Credential') ?? '';
    signedHeaders = (fromQuery.get('X-Amz-SignedHeaders') ?? '').split(';');
    signature = fromQuery.get('X-Amz-Signature') ?? '';
    amzDate = fromQuery.get('X-Amz-Date') ?? '';
    payloadHash = 'UNSIGNED-PAYLOAD';
    const expires = Number(fromQuery.get('X-Amz-Expires') ?? '0');
    if (parseAmzDate(amzDate) + expires * 1000 < nowMs) {
      return { code: 'AccessDenied', message: 'Request has expired' };
    }
  } else if (authorization.startsWith('AWS4-HMAC-SHA256 ')) {
    const parts = new Map(
      authorization
        .slice('AWS4-HMAC-SHA256 '.length)
        .split(',')
        .map((part) => {
          const [k = '', v = ''] = part.trim().split('=', 2);
          return [k, v] as [string, string];
        }),
    );
    credential = parts.get('Credential') ?? '';
    signedHeaders = (parts.get('SignedHeaders') ?? '').split(';');
    signature = parts.get('Signature') ?? '';
    amzDate = header(headers, 'x-amz-date');
    payloadHash = header(headers, 'x-amz-content-sha256') || 'UNSIGNED-PAYLOAD';
  } else {
    return null;
  }
  const [accessKey, ...scopeParts] = credential.split('/');
  if (accessKey !== S3_ACCESS_KEY) return null;
  const scope = scopeParts.join('/');
  const [date = '', region = '', service = ''] = scopeParts;
  const canonicalQuery = query
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [strictEncode(key), strictEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${header(headers, name).trim().replace(/\s+/gu, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    method,
    path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${S3_SECRET}`, date), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign).toString('hex');
  if (expected === signature) return null;
  return {
    code: 'SignatureDoesNotMatch',
    message: 'The request signature we calculated does not match the signature you provided.',
  };
}

function parseAmzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/u.exec(text);
  if (m === null) return 0;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
}
