import { isMongoDriverError } from './mongo-driver';
import { AltarError, isAltarError } from '../../../shared/errors';
import { redactSecrets } from './redact';

/** What the message needs to name: the servers, the user and the timeout that applied. */
export interface MongoErrorContext {
  /** "host:port" of the servers the connection names. */
  hosts: string[];
  user: string | null;
  authSource: string;
  /** Server selection / connect timeout of the attempt. */
  timeoutMs: number;
  /** Timeout of a single operation on an open connection. */
  socketTimeoutMs?: number;
  tlsCAFile?: string | null;
  /** TLS is on for this connection (tls=true, or mongodb+srv:// by default). */
  tls?: boolean;
  /** Masked out of every message (the password, in every form). */
  secrets: ReadonlyArray<string | null | undefined>;
}

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const HOST_NOT_FOUND_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENODATA',
  'ESERVFAIL',
  'EAI_NONAME',
]);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

interface Found {
  error: unknown;
  /** "host:port" of the server whose description held the error, when known. */
  server: string | null;
}

/**
 * Turns whatever the driver threw into an AltarError with a specific message, masked of every
 * secret. The driver wraps the interesting error (ECONNREFUSED, a TLS alert) inside a
 * MongoServerSelectionError's `cause` or its topology's server descriptions, so those are
 * searched before the generic wrapper is judged.
 */
export function classifyMongoError(error: unknown, context: MongoErrorContext): AltarError {
  const redact = (text: string): string => redactSecrets(text, context.secrets);
  if (isAltarError(error)) return new AltarError(error.code, redact(error.message));
  const chain = flatten(error);
  const hosts = context.hosts.join(', ') || 'the server';
  const where = (found: Found): string => found.server ?? addressOf(found.error) ?? hosts;

  const auth = chain.find((found) => isAuthFailure(found.error));
  if (auth !== undefined) {
    const user = context.user === null ? 'no user' : `user "${context.user}"`;
    return new AltarError(
      'AUTH_FAILED',
      redact(
        `Authentication failed for ${user} (authSource ${context.authSource}): ` +
          'wrong user name or password',
      ),
    );
  }

  const forbidden = chain.find((found) => serverCode(found.error) === 13);
  if (forbidden !== undefined) {
    return new AltarError('FORBIDDEN', redact(forbiddenMessage(forbidden.error, context.user)));
  }

  const refused = chain.find((found) => systemCode(found.error) === 'ECONNREFUSED');
  if (refused !== undefined) {
    return new AltarError(
      'CONNECTION_FAILED',
      redact(`Connection refused by ${where(refused)} (is the server running and the port right?)`),
    );
  }

  const notFound = chain.find((found) => HOST_NOT_FOUND_CODES.has(systemCode(found.error) ?? ''));
  if (notFound !== undefined) {
    const hostname = stringProperty(notFound.error, 'hostname') ?? hostOnly(where(notFound));
    // mongodb+srv:// looks up the SRV record first; name the host the user typed.
    const srv = /^_mongodb\._tcp\.(.+)$/u.exec(hostname);
    const message =
      srv === null
        ? `Host not found: ${hostname}`
        : `Host not found: ${srv[1] ?? hostname} (no DNS SRV record ${hostname})`;
    return new AltarError('CONNECTION_FAILED', redact(message));
  }

  // The driver's wrapper repeats the message; the TLS error it wraps has the code that says why.
  const tls =
    chain.find((found) => CERTIFICATE_CODES.has(systemCode(found.error) ?? '')) ??
    chain.find((found) => isTlsFailure(found.error));
  if (tls !== undefined) {
    return new AltarError(
      'CONNECTION_FAILED',
      redact(`TLS handshake with ${where(tls)} failed: ${tlsReason(tls.error, context)}`),
    );
  }

  const missingFile = chain.find((found) => systemCode(found.error) === 'ENOENT');
  if (missingFile !== undefined) {
    const path = stringProperty(missingFile.error, 'path') ?? context.tlsCAFile ?? 'a file';
    return new AltarError(
      'CONNECTION_FAILED',
      redact(`Cannot read ${path} (the TLS CA file of this connection): no such file`),
    );
  }

  const unreachable = chain.find((found) => UNREACHABLE_CODES.has(systemCode(found.error) ?? ''));
  if (unreachable !== undefined) {
    return new AltarError(
      'CONNECTION_FAILED',
      redact(`Host unreachable: ${where(unreachable)} (check the network or VPN)`),
    );
  }

  const reset = chain.find((found) => RESET_CODES.has(systemCode(found.error) ?? ''));
  if (reset !== undefined && context.tls === true) {
    return new AltarError(
      'CONNECTION_FAILED',
      redact(
        `TLS handshake with ${where(reset)} failed: the server closed the connection ` +
          '(does it expect TLS? If not, turn TLS off)',
      ),
    );
  }
  if (reset !== undefined) {
    return new AltarError(
      'CONNECTION_FAILED',
      redact(
        `The connection to ${where(reset)} was closed by the other side ` +
          '(is it a MongoDB server, with the TLS setting it expects?)',
      ),
    );
  }

  const socketTimeout = chain.find(
    (found) =>
      isMongoDriverError(found.error, 'MongoNetworkTimeoutError') ||
      isMongoDriverError(found.error, 'MongoOperationTimeoutError') ||
      systemCode(found.error) === 'ETIMEDOUT',
  );
  if (socketTimeout !== undefined) {
    const ms = isMongoDriverError(socketTimeout.error, 'MongoOperationTimeoutError')
      ? context.timeoutMs
      : (context.socketTimeoutMs ?? context.timeoutMs);
    return new AltarError(
      'TIMEOUT',
      redact(`No answer from ${where(socketTimeout)} within ${seconds(ms)}`),
    );
  }

  if (isMongoDriverError(error, 'MongoServerSelectionError')) {
    // A server that does not speak TLS may wait for more bytes of a "message" forever.
    const hint = context.tls === true ? ' (TLS is on: does the server expect TLS?)' : '';
    return new AltarError(
      'TIMEOUT',
      redact(`No answer from ${hosts} within ${seconds(context.timeoutMs)}${hint}`),
    );
  }

  if (
    isMongoDriverError(error, 'MongoTopologyClosedError') ||
    isMongoDriverError(error, 'MongoClientClosedError')
  ) {
    return new AltarError('CANCELLED', 'The connection was closed before the operation finished.');
  }

  if (isMongoDriverError(error, 'MongoParseError') || isMongoDriverError(error, 'MongoAPIError')) {
    return new AltarError(
      'INVALID_ARGUMENT',
      redact(`Invalid connection settings: ${messageOf(error)}`),
    );
  }

  const network = chain.find((found) => isMongoDriverError(found.error, 'MongoNetworkError'));
  if (network !== undefined) {
    return new AltarError(
      'CONNECTION_FAILED',
      redact(`Connection to ${where(network)} failed: ${messageOf(network.error)}`),
    );
  }

  if (isMongoDriverError(error, 'MongoServerError')) {
    const code = error.codeName ?? String(error.code ?? '');
    return new AltarError(
      'INTERNAL',
      redact(`MongoDB refused the request${code === '' ? '' : ` (${code})`}: ${error.message}`),
    );
  }

  return new AltarError('INTERNAL', redact(messageOf(error)));
}

/** The error, its causes and the errors of the servers of a failed server selection. */
function flatten(root: unknown): Found[] {
  const result: Found[] = [];
  const seen = new Set<unknown>();
  const visit = (error: unknown, server: string | null, depth: number): void => {
    if (error === null || error === undefined || seen.has(error) || depth > 8) return;
    seen.add(error);
    result.push({ error, server });
    if (typeof error !== 'object') return;
    if ('cause' in error) visit(error.cause, server, depth + 1);
    const servers = isMongoDriverError(error, 'MongoServerSelectionError')
      ? error.reason?.servers
      : undefined;
    if (servers instanceof Map) {
      for (const [address, description] of servers) {
        const serverError: unknown =
          typeof description === 'object' && description !== null && 'error' in description
            ? description.error
            : null;
        visit(serverError, String(address), depth + 1);
      }
    }
  };
  visit(root, null, 0);
  return result;
}

function isAuthFailure(error: unknown): boolean {
  if (!isMongoDriverError(error, 'MongoServerError')) return false;
  return (
    error.code === 18 ||
    error.codeName === 'AuthenticationFailed' ||
    /authentication failed/iu.test(error.message)
  );
}

function isTlsFailure(error: unknown): boolean {
  const code = systemCode(error) ?? '';
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return true;
  if (CERTIFICATE_CODES.has(code)) return true;
  const message = messageOf(error);
  return /wrong version number|SSL routines|certificate|self[- ]signed|handshake/iu.test(message);
}

/** Certificate checks that fail because no trusted CA signed the server's certificate. */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

function tlsReason(error: unknown, context: MongoErrorContext): string {
  const code = systemCode(error) ?? '';
  if (UNTRUSTED_CODES.has(code)) {
    // A lab's own CA is the usual cause: the fix is naming its file, or the right one.
    const caFile = context.tlsCAFile ?? null;
    return caFile === null
      ? "the server's certificate is not signed by a CA this computer trusts " +
          "(name the lab's CA file in the connection's TLS settings)"
      : `the server's certificate is not signed by the CA in ${caFile} (is it this server's CA?)`;
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return (
      "the server's certificate has expired (its administrator must renew it; " +
      "or is this computer's clock wrong?)"
    );
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return "the server's certificate is not valid yet (is this computer's clock wrong?)";
  }
  const message = messageOf(error);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return (
      `${message} (connect by a name the certificate lists, or accept a certificate issued ` +
      'for another host name in the TLS settings: tlsAllowInvalidHostnames)'
    );
  }
  // OpenSSL: "<id>:error:<code>:SSL routines:<function>:<reason>:<file>:<line>:"
  const openssl = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/iu.exec(message);
  const reason = openssl?.[1] ?? message.split('\n')[0] ?? message;
  if (/wrong version number|packet length too long|unknown protocol/iu.test(reason)) {
    return `${reason} (the server does not speak TLS: turn TLS off, or check the port)`;
  }
  return reason;
}

function forbiddenMessage(error: unknown, user: string | null): string {
  const who = user === null ? 'The user' : `The user "${user}"`;
  const message = messageOf(error);
  const match = /not authorized on (\S+) to execute command \{\s*"?(\w+)/iu.exec(message);
  if (match !== null) {
    return `${who} may not run ${match[2] ?? 'this command'} on database "${match[1] ?? ''}"`;
  }
  return `${who} may not do this: ${message}`;
}

function serverCode(error: unknown): number | null {
  if (isMongoDriverError(error, 'MongoServerError') && typeof error.code === 'number')
    return error.code;
  return null;
}

function systemCode(error: unknown): string | null {
  return stringProperty(error, 'code');
}

function stringProperty(error: unknown, key: string): string | null {
  if (typeof error !== 'object' || error === null || !(key in error)) return null;
  const value: unknown = (error as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
}

function addressOf(error: unknown): string | null {
  const address = stringProperty(error, 'address');
  if (address === null) return null;
  const port: unknown =
    typeof error === 'object' && error !== null && 'port' in error ? error.port : null;
  return typeof port === 'number' ? `${address}:${port}` : address;
}

function hostOnly(hostPort: string): string {
  return hostPort.replace(/:\d+$/u, '');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  const value = ms / 1000;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} s`;
}
