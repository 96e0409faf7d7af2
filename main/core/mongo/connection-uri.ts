import type { ConnectionString } from 'mongodb-connection-string-url';
import { connectionStringParser } from './connection-string-parser';
import type { ConnectionFields } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import { mongoUriText } from '../../../shared/mongo-uri-text';
import { redactSecrets } from './redact';

// Anything that would end the host part of a URI or smuggle credentials into it.
const FORBIDDEN_IN_HOST = /[\s/?#@,]/u;

/** Parses a MongoDB URI; a bad one gives INVALID_ARGUMENT with a message free of its password. */
export function parseMongoUri(uri: string): ConnectionString {
  try {
    const parsed = new (connectionStringParser())(uri);
    for (const host of parsed.hosts) {
      const port = /:(\d+)$/u.exec(host)?.[1];
      if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
        throw new Error(`port ${port} of ${host.replace(/:\d+$/u, '')} is not between 1 and 65535`);
      }
    }
    return parsed;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AltarError(
      'INVALID_ARGUMENT',
      `Invalid MongoDB URI ${redactUri(uri)}: ${redactSecrets(reason, [rawPassword(uri)])}`,
    );
  }
}

/** Builds the URI a form describes. The URI stays the single source of truth of a profile. */
export function fieldsToUri(fields: ConnectionFields): string {
  const hosts = fields.hosts.map((host) => host.trim());
  for (const host of hosts) {
    if (host === '' || FORBIDDEN_IN_HOST.test(host)) {
      throw new AltarError(
        'INVALID_ARGUMENT',
        `Invalid host "${host}": expected host or host:port.`,
      );
    }
  }
  if (fields.srv === true) {
    if (hosts.length !== 1) {
      throw new AltarError(
        'INVALID_ARGUMENT',
        'A mongodb+srv:// connection names exactly one host (the DNS name of the cluster).',
      );
    }
    if (/:\d+$/u.test(hosts[0] ?? '') && !(hosts[0] ?? '').endsWith(']')) {
      throw new AltarError(
        'INVALID_ARGUMENT',
        'A mongodb+srv:// host takes no port: the port comes from the DNS SRV record.',
      );
    }
  }
  const uri = mongoUriText({ ...fields, hosts });
  // Let the parser judge the whole (e.g. a port out of range) and normalise it.
  return parseMongoUri(uri).toString();
}

/** The form fields of a URI; options the form does not show are only kept in the URI itself. */
export function uriToFields(uri: string): ConnectionFields {
  const parsed = parseMongoUri(uri);
  const params = parsed.searchParams;
  const fields: ConnectionFields = { hosts: [...parsed.hosts] };
  if (parsed.isSRV) fields.srv = true;
  if (parsed.username !== '') fields.user = decodeURIComponent(parsed.username);
  const authSource = params.get('authSource');
  if (authSource !== null && authSource !== '') fields.authSource = authSource;
  const tls = params.get('tls') ?? params.get('ssl');
  if (tls !== null) fields.tls = tls.toLowerCase() === 'true';
  const caFile = params.get('tlsCAFile');
  if (caFile !== null && caFile !== '') fields.tlsCAFile = caFile;
  if (params.get('tlsAllowInvalidHostnames')?.toLowerCase() === 'true') {
    fields.tlsAllowInvalidHostnames = true;
  }
  const replicaSet = params.get('replicaSet');
  if (replicaSet !== null && replicaSet !== '') fields.replicaSet = replicaSet;
  const direct = params.get('directConnection');
  if (direct !== null) fields.directConnection = direct.toLowerCase() === 'true';
  const database = databaseOf(parsed);
  if (database !== null) fields.database = database;
  return fields;
}

/** Moves the password out of a URI: profiles store the URI without it, the secret store the rest. */
export function stripPassword(uri: string): { uri: string; password: string | null } {
  const parsed = parseMongoUri(uri);
  if (parsed.password === '') {
    // "user:@host" has an empty password: drop the stray colon as well.
    return { uri: parsed.toString(), password: null };
  }
  const password = safeDecode(parsed.password);
  parsed.password = '';
  return { uri: parsed.toString(), password };
}

/** The URI to show: `user:****@host` when it holds a password, unchanged otherwise. */
export function redactUri(uri: string): string {
  try {
    const parsed = new (connectionStringParser())(uri);
    if (parsed.password !== '') parsed.password = '****';
    return parsed.toString();
  } catch {
    return redactSecrets(uri, [rawPassword(uri)]);
  }
}

/** The user name of a URI (decoded), or null. */
export function userOf(uri: string): string | null {
  const parsed = parseMongoUri(uri);
  return parsed.username === '' ? null : safeDecode(parsed.username);
}

/** The database authentication happens against: authSource, else the URI's database, else admin. */
export function authSourceOf(uri: string): string {
  const parsed = parseMongoUri(uri);
  const authSource = parsed.searchParams.get('authSource');
  if (authSource !== null && authSource !== '') return authSource;
  return databaseOf(parsed) ?? 'admin';
}

/** The URI's default database (its path), or null. */
export function defaultDatabaseOf(uri: string): string | null {
  return databaseOf(parseMongoUri(uri));
}

/** "host:port" of each server the URI names (the SRV name for mongodb+srv). */
export function hostsOf(uri: string): string[] {
  const parsed = parseMongoUri(uri);
  return parsed.hosts.map((host) => (parsed.isSRV || /:\d+$/u.test(host) ? host : `${host}:27017`));
}

function databaseOf(parsed: ConnectionString): string | null {
  const path = parsed.pathname.replace(/^\//u, '');
  return path === '' ? null : safeDecode(path);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The password of a URI the parser rejected, so that it can still be masked in the message.
 * An unescaped password may hold '@', '/' or '#', so it runs up to the last '@'.
 */
function rawPassword(uri: string): string | null {
  const match = /^[a-z+]+:\/\/[^:/?#@\s]*:(\S*)@/iu.exec(uri);
  return match?.[1] === undefined || match[1] === '' ? null : match[1];
}
