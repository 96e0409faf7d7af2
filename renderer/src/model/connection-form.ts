import type { ConnectionFields, ConnectionProfile } from '../../../shared/contract';
import { mongoUriText } from '../../../shared/mongo-uri-text';

export type ConnectionMode = 'uri' | 'fields';

/** What the connection form holds; strings as typed, turned into ConnectionFields on submit. */
export interface ConnectionFormFields {
  /** One "host:port" per line or comma-separated. */
  hosts: string;
  srv: boolean;
  user: string;
  authSource: string;
  tls: boolean;
  tlsCAFile: string;
  tlsAllowInvalidHostnames: boolean;
  replicaSet: string;
  directConnection: boolean;
  database: string;
}

export const emptyFormFields: ConnectionFormFields = {
  hosts: '',
  srv: false,
  user: '',
  authSource: '',
  tls: false,
  tlsCAFile: '',
  tlsAllowInvalidHostnames: false,
  replicaSet: '',
  directConnection: false,
  database: '',
};

/** The contract's limit on hosts per connection. */
const MAX_HOSTS = 50;

/** Splits the hosts box: newlines, commas and spaces all separate entries. */
export function parseHosts(text: string): string[] {
  return text
    .split(/[\s,]+/u)
    .map((host) => host.trim())
    .filter((host) => host !== '');
}

export function formFieldsFromProfile(fields: ConnectionFields): ConnectionFormFields {
  return {
    hosts: fields.hosts.join('\n'),
    srv: fields.srv ?? false,
    user: fields.user ?? '',
    authSource: fields.authSource ?? '',
    tls: fields.tls ?? false,
    tlsCAFile: fields.tlsCAFile ?? '',
    tlsAllowInvalidHostnames: fields.tlsAllowInvalidHostnames ?? false,
    replicaSet: fields.replicaSet ?? '',
    directConnection: fields.directConnection ?? false,
    database: fields.database ?? '',
  };
}

export type FieldsResult = { ok: true; fields: ConnectionFields } | { ok: false; error: string };

/**
 * The form as contract fields: blanks and unchecked boxes are left out, so the driver's own
 * defaults apply (an unchecked "direct connection" means "let the driver decide", not false).
 */
export function connectionFieldsFromForm(form: ConnectionFormFields): FieldsResult {
  const hosts = parseHosts(form.hosts);
  if (hosts.length === 0)
    return { ok: false, error: 'Enter at least one host, like localhost:27017.' };
  if (hosts.length > MAX_HOSTS) return { ok: false, error: `Enter at most ${MAX_HOSTS} hosts.` };
  if (form.srv && hosts.length > 1) {
    return { ok: false, error: 'An SRV connection takes exactly one host name (without a port).' };
  }
  const fields: ConnectionFields = { hosts };
  const text = (value: string): string | undefined => {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  };
  if (form.srv) fields.srv = true;
  const user = text(form.user);
  if (user !== undefined) fields.user = user;
  const authSource = text(form.authSource);
  if (authSource !== undefined) fields.authSource = authSource;
  if (form.tls) {
    fields.tls = true;
    const caFile = text(form.tlsCAFile);
    if (caFile !== undefined) fields.tlsCAFile = caFile;
    if (form.tlsAllowInvalidHostnames) fields.tlsAllowInvalidHostnames = true;
  }
  const replicaSet = text(form.replicaSet);
  if (replicaSet !== undefined) fields.replicaSet = replicaSet;
  if (form.directConnection) fields.directConnection = true;
  const database = text(form.database);
  if (database !== undefined) fields.database = database;
  return { ok: true, fields };
}

/**
 * A URI for fields typed in the form, so switching from Fields to URI shows what was typed.
 * Only built, never parsed: the core turns URIs into fields with the official URL library.
 */
export const uriFromFields = mongoUriText;

/**
 * A URI safe to show: the core never returns a password, but a URI typed by hand might hold
 * one, and a password must never reach the screen.
 */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z][\w+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/iu, '$1:****@');
}

export function passwordStateLabel(profile: Pick<ConnectionProfile, 'passwordStorage'>): string {
  switch (profile.passwordStorage) {
    case 'keystore':
      return 'saved in keystore';
    case 'memory':
      return 'in memory for this session';
    default:
      return 'no password';
  }
}

export function formatConnectionTest(result: {
  serverVersion: string;
  roundTripMs: number;
}): string {
  const ms = Number.isFinite(result.roundTripMs) ? Math.round(result.roundTripMs) : '?';
  return `Connected: MongoDB ${result.serverVersion}, ${ms} ms`;
}
