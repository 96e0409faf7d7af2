import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream';
import type { Envelope } from '../../shared/client-api';
import { httpRoutes, tokenCookieName } from '../../shared/client-api';
import { AltarError } from '../../shared/errors';
import { apiEventNames } from '../../shared/api-names';
import { isRoutePath } from '../../shared/routes';
import { decodeWire, encodeWire } from '../../shared/wire-codec';
import { FRAME_CONTENT_TYPE, encodeWireFrame } from '../../shared/wire-frame';
import type { ArtifactStream, CoreService } from '../core/core-service';
import { artifactHeaders, parseRange } from './artifact-response';
import { resolveRunZip, zipHeaders } from './artifact-zip';
import { dispatchCall, errorEnvelope, loggable } from './dispatch';
import { apiReplyStatus } from './http-status';
import { resolveArtifact } from './resolve-artifact';
import { resolveRawData } from './resolve-raw-data';
import { contentTypeFor, rendererContentSecurityPolicy, resolveStaticPath } from './static-files';

export interface HttpHostOptions {
  /** Loopback only ("127.0.0.1", "localhost" or "::1"); anything else is refused. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer (index.html + assets/). */
  rendererDir: string;
  /** Fixed access token (tests); a random one otherwise. */
  token?: string;
  /** Clock for the expiry of one-time codes (tests); Date.now otherwise. */
  now?: () => number;
}

export interface HttpHost {
  /** The URL to open, carrying the token: http://127.0.0.1:PORT/?token=... */
  url: string;
  port: number;
  token: string;
  /**
   * A URL for a browser that is about to be started: it carries a one-time code instead of
   * the token, because a command line (`xdg-open URL`) is readable by every local user. The
   * server trades the code for the token cookie once, within LAUNCH_CODE_TTL_MS.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

/** How long a launch code stays valid: enough for a browser to start, short for a thief. */
export const LAUNCH_CODE_TTL_MS = 60_000;

const maxBodyBytes = 1024 * 1024;
const heartbeatMs = 15_000;

const commonHeaders = {
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
} as const;

const notBuiltPage =
  '<!doctype html><meta charset="utf-8"><title>Altar Viewer</title>' +
  '<p>UI not built: run <code>npm run build</code>, then start the server again.</p>\n';

const loopbackBindings: Record<string, { bind: string; urlHost: string }> = {
  '127.0.0.1': { bind: '127.0.0.1', urlHost: '127.0.0.1' },
  // Bound as the IPv4 literal so the printed URL and the Host check agree whatever localhost resolves to.
  localhost: { bind: '127.0.0.1', urlHost: '127.0.0.1' },
  '::1': { bind: '::1', urlHost: '[::1]' },
  '[::1]': { bind: '::1', urlHost: '[::1]' },
};

/**
 * The browser door: serves the renderer, the API, events and artifacts on a loopback port.
 * Other users of a lab machine can reach loopback ports too, and any web page can make the
 * browser send requests there, hence the token on every request and the Host/Origin checks.
 */
export async function startHttpHost(
  core: CoreService,
  options: HttpHostOptions,
): Promise<HttpHost> {
  const requestedHost = options.host ?? '127.0.0.1';
  const binding = loopbackBindings[requestedHost];
  if (!binding) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `refusing to listen on "${requestedHost}": the HTTP server only binds a loopback address ` +
        '(127.0.0.1); to use it from another machine, forward the port with ssh -L',
    );
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (!/^[\w-]{16,}$/u.test(token)) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      'the access token must be at least 16 characters of [A-Za-z0-9_-]',
    );
  }
  const tokenDigest = digest(token);
  const now = options.now ?? Date.now;
  /** Unused launch codes, by the hex digest of the code, with their expiry. */
  const launchCodes = new Map<string, number>();
  const redeemLaunchCode = (code: string): boolean => {
    for (const [key, expiry] of launchCodes) if (expiry <= now()) launchCodes.delete(key);
    const key = digest(code).toString('hex');
    const valid = launchCodes.has(key);
    launchCodes.delete(key);
    return valid;
  };
  const rendererDir = path.resolve(options.rendererDir);
  const openStreams = new Set<ServerResponse>();

  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let cookieName = tokenCookieName(0);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('altar-viewer: HTTP request failed', loggable(error));
      if (!res.headersSent) sendEnvelope(res, 500, errorEnvelope('INTERNAL', 'internal error'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(commonHeaders)) res.setHeader(name, value);

    const hostHeader = req.headers.host?.toLowerCase();
    if (!hostHeader || !allowedHosts.has(hostHeader)) {
      sendEnvelope(res, 403, errorEnvelope('FORBIDDEN', 'unexpected Host header'));
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) {
      sendEnvelope(
        res,
        403,
        errorEnvelope('FORBIDDEN', 'requests from other origins are not allowed'),
      );
      return;
    }

    // Prefixing keeps a request line like "//etc/passwd" a path instead of a host name.
    const target = req.url ?? '/';
    let url: URL;
    try {
      url = new URL(target.startsWith('/') ? `http://127.0.0.1${target}` : target);
    } catch {
      sendText(res, 400, 'bad request');
      return;
    }
    const queryToken = url.searchParams.get('token');
    const queryTokenValid = tokenMatches(queryToken, tokenDigest);
    const launchCode = url.searchParams.get('code');
    // Every screen's address is the page (a copied link to a run signs in like "/").
    const isPage = req.method === 'GET' && isRoutePath(url.pathname);
    if (launchCode !== null && isPage) {
      // Checked before anything else so that a used code is spent whoever presents it.
      const redeemed = redeemLaunchCode(launchCode);
      if (redeemed || cookieTokens(req, cookieName).some((t) => tokenMatches(t, tokenDigest))) {
        if (redeemed) {
          res.setHeader('Set-Cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`);
        }
        url.searchParams.delete('code');
        sendRefreshPage(res, pageAddress(url));
        return;
      }
      sendEnvelope(
        res,
        401,
        errorEnvelope(
          'UNAUTHORIZED',
          'this sign-in link has expired or was already used: open the URL printed by ' +
            '"altar-viewer serve" (it carries the access token)',
        ),
      );
      return;
    }
    if (
      !queryTokenValid &&
      !cookieTokens(req, cookieName).some((t) => tokenMatches(t, tokenDigest)) &&
      !bearerValid(req)
    ) {
      sendEnvelope(
        res,
        401,
        errorEnvelope(
          'UNAUTHORIZED',
          'missing or wrong access token: open the URL printed by "altar-viewer serve"',
        ),
      );
      return;
    }
    if (queryTokenValid) {
      res.setHeader('Set-Cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      if (isPage) {
        // The token must not linger in the address bar, history or bookmarks.
        url.searchParams.delete('token');
        res.writeHead(302, {
          Location: pageAddress(url),
          'Cache-Control': 'no-store',
          'Content-Length': '0',
        });
        res.end();
        return;
      }
    }

    const pathname = url.pathname;
    if (pathname.startsWith(httpRoutes.api)) {
      await handleApi(req, res, pathname.slice(httpRoutes.api.length));
    } else if (pathname === httpRoutes.events) {
      handleEvents(req, res);
    } else if (pathname.startsWith(httpRoutes.artifactsZip)) {
      await handleRunZip(req, res, pathname.slice(httpRoutes.artifactsZip.length));
    } else if (pathname.startsWith(httpRoutes.rawData)) {
      await handleRawData(req, res, pathname.slice(httpRoutes.rawData.length), url.searchParams);
    } else if (pathname.startsWith(httpRoutes.artifacts)) {
      await handleArtifact(req, res, pathname.slice(httpRoutes.artifacts.length), url.searchParams);
    } else {
      await handleStatic(req, res, pathname);
    }
  }

  function bearerValid(req: IncomingMessage): boolean {
    const match = /^Bearer\s+(\S+)\s*$/iu.exec(req.headers.authorization ?? '');
    return match !== null && tokenMatches(match[1], tokenDigest);
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    encodedMethod: string,
  ): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendEnvelope(res, 405, errorEnvelope('INVALID_ARGUMENT', 'API calls must use POST'));
      return;
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      sendEnvelope(
        res,
        415,
        errorEnvelope('INVALID_ARGUMENT', 'API calls must send application/json'),
      );
      return;
    }
    let method: string;
    try {
      method = decodeURIComponent(encodedMethod);
    } catch {
      method = encodedMethod;
    }
    const body = await readBody(req, res);
    if (body === null) return;
    let args: unknown;
    try {
      args = decodeWire(body);
    } catch {
      sendEnvelope(res, 400, errorEnvelope('INVALID_ARGUMENT', 'request body is not valid JSON'));
      return;
    }
    const outcome = await dispatchCall(core, method, args);
    if (acceptsFrame(req)) sendFramedEnvelope(res, apiReplyStatus(outcome), outcome.envelope);
    else sendEnvelope(res, apiReplyStatus(outcome), outcome.envelope);
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      sendEnvelope(res, 405, errorEnvelope('INVALID_ARGUMENT', 'events are read with GET'));
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    const unsubscribes = apiEventNames.map((name) =>
      core.on(name, (payload) => {
        res.write(`event: ${name}\ndata: ${encodeWire(payload)}\n\n`);
      }),
    );
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    openStreams.add(res);
    let cleaned = false;
    const cleanup = (): void => {
      if (cleaned) return;
      cleaned = true;
      clearInterval(heartbeat);
      for (const unsubscribe of unsubscribes) unsubscribe();
      openStreams.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  async function handleArtifact(
    req: IncomingMessage,
    res: ServerResponse,
    encodedId: string,
    query: URLSearchParams,
  ): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendEnvelope(res, 405, errorEnvelope('INVALID_ARGUMENT', 'artifacts are read with GET'));
      return;
    }
    const resolved = await resolveArtifact(core, encodedId);
    if (!resolved.ok) {
      sendEnvelope(res, resolved.status, { ok: false, error: resolved.payload });
      return;
    }
    sendStream(req, res, resolved.artifact, query.get('download') === '1');
  }

  /** Raw data of Altar runs: through this door so the page's CSP never lists S3 hosts. */
  async function handleRawData(
    req: IncomingMessage,
    res: ServerResponse,
    encodedPath: string,
    query: URLSearchParams,
  ): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendEnvelope(res, 405, errorEnvelope('INVALID_ARGUMENT', 'raw data is read with GET'));
      return;
    }
    const resolved = await resolveRawData(core, encodedPath);
    if (!resolved.ok) {
      sendEnvelope(res, resolved.status, { ok: false, error: resolved.payload });
      return;
    }
    sendStream(req, res, resolved.artifact, query.get('download') === '1');
  }

  /** An artifact or raw data file, whole or one Range, with the sandboxing headers. */
  function sendStream(
    req: IncomingMessage,
    res: ServerResponse,
    artifact: ArtifactStream,
    download: boolean,
  ): void {
    const requested = parseRange(req.headers.range, artifact.size);
    if (requested.kind === 'unsatisfiable') {
      res.writeHead(416, { 'Content-Range': `bytes */${artifact.size}`, 'Content-Length': '0' });
      res.end();
      return;
    }
    const range = requested.kind === 'partial' ? requested.range : null;
    const headers = artifactHeaders(artifact, download, range);
    // The renderer may preview an artifact in an iframe of its own page (CSP frame-src 'self').
    headers['X-Frame-Options'] = 'SAMEORIGIN';
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = artifact.open(range ?? undefined);
    pipeline(stream, res, (error) => {
      if (error && !res.destroyed) res.destroy();
    });
  }

  async function handleRunZip(
    req: IncomingMessage,
    res: ServerResponse,
    encodedPath: string,
  ): Promise<void> {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      sendEnvelope(res, 405, errorEnvelope('INVALID_ARGUMENT', 'zips are read with GET'));
      return;
    }
    const resolved = await resolveRunZip(core, encodedPath);
    if (!resolved.ok) {
      sendEnvelope(res, resolved.status, errorEnvelope('NOT_FOUND', resolved.message));
      return;
    }
    res.writeHead(200, zipHeaders(resolved.fileName));
    pipeline(resolved.open(), res, (error) => {
      if (error && !res.destroyed) res.destroy();
    });
  }

  async function handleStatic(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendEnvelope(res, 405, errorEnvelope('INVALID_ARGUMENT', 'only GET is supported here'));
      return;
    }
    // A screen's address is the page itself; any other path stays a checked file path.
    const filePath = isRoutePath(pathname)
      ? path.join(rendererDir, 'index.html')
      : resolveStaticPath(rendererDir, pathname);
    if (!filePath) {
      sendText(res, 404, 'not found');
      return;
    }
    const target = filePath;
    const size = await fileSize(target);
    if (size === null) {
      if (path.basename(target) === 'index.html' && path.dirname(target) === rendererDir) {
        res.writeHead(503, {
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          'Content-Security-Policy': rendererContentSecurityPolicy(),
        });
        res.end(req.method === 'HEAD' ? undefined : notBuiltPage);
      } else {
        sendText(res, 404, 'not found');
      }
      return;
    }
    const contentType = contentTypeFor(target);
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'Content-Length': String(size),
      'Cache-Control': pathname.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    };
    if (contentType.startsWith('text/html'))
      headers['Content-Security-Policy'] = rendererContentSecurityPolicy();
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    pipeline(createReadStream(target), res, (error) => {
      if (error && !res.destroyed) res.destroy();
    });
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new AltarError(
          'SOURCE_UNAVAILABLE',
          `cannot listen on ${binding.urlHost}: ${error.message}`,
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, binding.bind, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  allowedOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));
  cookieName = tokenCookieName(port);

  let closing: Promise<void> | null = null;
  return {
    url: `http://${binding.urlHost}:${port}/?token=${token}`,
    port,
    token,
    launchUrl() {
      const code = randomBytes(32).toString('base64url');
      launchCodes.set(digest(code).toString('hex'), now() + LAUNCH_CODE_TTL_MS);
      return `http://${binding.urlHost}:${port}/?code=${code}`;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const stream of openStreams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Hashing first gives equal lengths, so the comparison takes the same time for any guess. */
function tokenMatches(candidate: string | null | undefined, expected: Buffer): boolean {
  if (!candidate) return false;
  return timingSafeEqual(digest(candidate), expected);
}

function cookieTokens(req: IncomingMessage, cookieName: string): string[] {
  const header = req.headers.cookie;
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === cookieName) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/** Resolves with the body text, or null after answering 413 for a body over the limit. */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = (): void => {
    sendEnvelope(res, 413, errorEnvelope('INVALID_ARGUMENT', 'request body is larger than 1 MB'));
  };
  if (declared > maxBodyBytes) {
    tooLarge();
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > maxBodyBytes) {
        done = true;
        tooLarge();
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!done) reject(error);
    });
  });
}

async function fileSize(filePath: string): Promise<number | null> {
  try {
    const info = await stat(filePath);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

/** The page's client asks for binary replies (shared/wire-frame.ts); scripts get JSON. */
function acceptsFrame(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((part) => part.split(';')[0]?.trim() === FRAME_CONTENT_TYPE);
}

/** A reply holding Float64Arrays as a frame of their bytes; any other reply as JSON. */
function sendFramedEnvelope(
  res: ServerResponse,
  status: number,
  envelope: Envelope<unknown>,
): void {
  const encoded = encodeWireFrame(envelope);
  const body = 'frame' in encoded ? encoded.frame : encoded.json;
  res.writeHead(status, {
    'Content-Type': 'frame' in encoded ? FRAME_CONTENT_TYPE : 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    Vary: 'Accept',
  });
  res.end(body);
}

function sendEnvelope(res: ServerResponse, status: number, envelope: Envelope<unknown>): void {
  const body = encodeWire(envelope);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/**
 * After a launch code: a page that reloads the app at its clean address. Not a 302: a browser
 * may have come here from a local launcher page (file://), and a redirect in a chain started
 * by another site would not send the SameSite=Strict cookie; the page's own navigation does.
 */
/**
 * The same screen without the sign-in parameters: path and query as the request had them
 * (the path is a route, so it is our own; "//host" cannot come out of a parsed pathname).
 */
function pageAddress(url: URL): string {
  const query = url.searchParams.toString();
  const path = url.pathname === '/index.html' ? '/' : `/${url.pathname.replace(/^\/+/u, '')}`;
  return query ? `${path}?${query}` : path;
}

function sendRefreshPage(res: ServerResponse, address: string): void {
  const target = address.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);
  const body =
    '<!doctype html><meta charset="utf-8">' +
    `<meta http-equiv="refresh" content="0;url=${target}">` +
    `<title>Altar Viewer</title><p><a href="${target}">Open Altar Viewer</a></p>\n`;
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(`${text}\n`);
}
