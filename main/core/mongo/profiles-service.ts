import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { MongoClient } from 'mongodb';
import type {
  AltarApi,
  ConnectionFields,
  ConnectionProfile,
  MethodArgs,
} from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import { ProfileStore } from '../cache/profile-store';
import type { ProfileRow } from '../cache/profile-store';
import type { CoreOptions } from '../core-service';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { classifyMongoError } from './classify-mongo-error';
import {
  ConnectionPool,
  DEFAULT_TIMEOUT_MS,
  mongoErrorContext,
  openMongoClient,
  profileSecretKey,
} from './connection-pool';
import { fieldsToUri, redactUri, stripPassword, uriToFields, userOf } from './connection-uri';
import { discoverDatabases } from './discover-databases';
import { redactSecrets } from './redact';

export type ProfileMethods = Pick<
  AltarApi,
  | 'listProfiles'
  | 'saveProfile'
  | 'removeProfile'
  | 'testConnection'
  | 'listDatabases'
  | 'cancelOperation'
>;

export interface ProfilesService extends ProfileMethods {
  /** One MongoClient per profile, for the readers and sync of MongoDB sources. */
  readonly connections: ConnectionPool;
  /** The saved profiles (URIs without passwords). */
  readonly profiles: ProfileStore;
  /**
   * Runs a long call (e.g. addMongoSource's first connection) under an operation id, so that
   * cancelOperation can abort it: the work gets the signal and must throw CANCELLED on abort.
   */
  runOperation<T>(
    operationId: string | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T>;
  /** Aborts running operations and closes every client. */
  close(): Promise<void>;
}

export interface ProfilesServiceDeps {
  /** The cache; connection_profiles lives in its database (migration 2). */
  store: { readonly database: Database };
  secrets: SecretStore;
  passwordFallback?: CoreOptions['passwordFallback'];
  now?: () => number;
  defaultTimeoutMs?: number;
}

/**
 * Connection profiles: saved URIs (never with a password), their passwords in the secret
 * store (or, when the user does not want them remembered, in this process's memory), the test
 * and discovery of a connection, and the cancellation of those long calls.
 */
export function createProfilesService(deps: ProfilesServiceDeps): ProfilesService {
  const now = deps.now ?? Date.now;
  const profiles = new ProfileStore(deps.store.database);
  const persistent = deps.secrets;
  // Passwords the user did not ask to remember: usable until the app closes, never written.
  // Always its own store: a weak keystore's kind changes when the user opts in to writing.
  const session: SecretStore = new MemorySecretStore();
  const operations = new Map<string, AbortController>();
  let closed = false;

  const storedPassword = async (profileId: string): Promise<string | null> => {
    const key = profileSecretKey(profileId);
    return (await session.get(key)) ?? (await persistent.get(key));
  };

  const connections = new ConnectionPool({
    getProfile: (id) => profiles.get(id),
    storedPassword,
    passwordFallback: deps.passwordFallback,
    defaultTimeoutMs: deps.defaultTimeoutMs,
  });

  const requireProfile = (id: string): ProfileRow => {
    const profile = profiles.get(id);
    if (profile === null) {
      throw new AltarError('NOT_FOUND', `There is no connection profile with id "${id}".`);
    }
    return profile;
  };

  const toProfile = async (row: ProfileRow): Promise<ConnectionProfile> => {
    const key = profileSecretKey(row.id);
    const inSession = (await session.get(key)) !== null;
    const inStore = !inSession && (await persistent.get(key)) !== null;
    return {
      id: row.id,
      name: row.name,
      uri: row.uri,
      fields: uriToFields(row.uri),
      hasPassword: inSession || inStore,
      passwordStorage: inSession ? 'memory' : inStore ? persistent.kind : 'none',
    };
  };

  /** The password-free URI of a uri/fields pair, and the password a URI carried. */
  const target = (
    args: { uri?: string; fields?: ConnectionFields },
    fallbackUri: string | null,
    method: string,
  ): { uri: string; uriPassword: string | null } => {
    if (args.uri !== undefined && args.fields !== undefined) {
      throw new AltarError('INVALID_ARGUMENT', `${method}: give either uri or fields, not both.`);
    }
    if (args.uri !== undefined) {
      const stripped = stripPassword(args.uri);
      connections.rememberSecret(stripped.password);
      return { uri: stripped.uri, uriPassword: stripped.password };
    }
    if (args.fields !== undefined) return { uri: fieldsToUri(args.fields), uriPassword: null };
    if (fallbackUri !== null) return { uri: fallbackUri, uriPassword: null };
    throw new AltarError('INVALID_ARGUMENT', `${method}: give a uri or connection fields.`);
  };

  /** Runs a cancellable call; an operation id lets cancelOperation abort it. */
  const withOperation = async <T>(
    operationId: string | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    if (closed) throw new AltarError('CANCELLED', 'The Altar core has been closed.');
    const controller = new AbortController();
    if (operationId !== undefined) {
      if (operations.has(operationId)) {
        throw new AltarError(
          'INVALID_ARGUMENT',
          `Operation "${operationId}" is still running; use a new operation id.`,
        );
      }
      operations.set(operationId, controller);
    }
    try {
      return await work(controller.signal);
    } finally {
      if (operationId !== undefined && operations.get(operationId) === controller) {
        operations.delete(operationId);
      }
    }
  };

  /** Settles with the work, or with CANCELLED as soon as the signal fires. */
  const untilAborted = <T>(signal: AbortSignal, work: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onAbort = (): void =>
        reject(new AltarError('CANCELLED', 'The operation was cancelled.'));
      if (signal.aborted) {
        onAbort();
        work.catch(() => undefined);
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });

  const service: ProfilesService = {
    connections,
    profiles,
    runOperation: withOperation,

    async listProfiles() {
      return Promise.all(profiles.list().map(toProfile));
    },

    async saveProfile(args: MethodArgs<'saveProfile'>) {
      const existing = args.id === undefined ? null : requireProfile(args.id);
      const name = args.name.trim();
      const clash = profiles.findByName(name);
      if (clash !== null && clash.id !== existing?.id) {
        throw new AltarError(
          'ALREADY_EXISTS',
          `A connection profile named "${name}" already exists.`,
        );
      }
      const { uri, uriPassword } = target(args, existing?.uri ?? null, 'saveProfile');
      connections.rememberSecret(args.password);
      // An explicit password wins over one inside the URI; undefined keeps the stored one.
      const password = args.password !== undefined ? args.password : (uriPassword ?? undefined);
      const id = existing?.id ?? randomUUID();
      const remember = args.rememberPassword ?? existing?.rememberPassword ?? false;
      const key = profileSecretKey(id);
      const keep = password === undefined ? await storedPassword(id) : null;
      const value = password === undefined ? keep : password;
      const into = remember ? persistent : session;
      const other = remember ? session : persistent;
      try {
        if (value === null) await into.delete(key);
        else await into.set(key, value);
        if (other !== into) await other.delete(key);
      } catch (error) {
        throw new AltarError(
          'INTERNAL',
          redactSecrets(
            `Could not store the password of "${name}": ${error instanceof Error ? error.message : String(error)}`,
            [value],
          ),
        );
      }
      profiles.put({
        id,
        name,
        uri,
        rememberPassword: remember,
        createdAt: existing?.createdAt ?? new Date(now()).toISOString(),
      });
      // The next use connects with the new settings.
      if (existing !== null) await connections.close(id);
      return toProfile(requireProfile(id));
    },

    async removeProfile(args: MethodArgs<'removeProfile'>) {
      const profile = requireProfile(args.id);
      const users = profiles.sourcesUsing(profile.id);
      if (users.length > 0) {
        const list = users.map((name) => `"${name}"`).join(', ');
        throw new AltarError(
          'INVALID_ARGUMENT',
          `Connection profile "${profile.name}" is used by source${users.length > 1 ? 's' : ''} ` +
            `${list}; remove ${users.length > 1 ? 'them' : 'it'} first.`,
        );
      }
      await connections.close(profile.id);
      const key = profileSecretKey(profile.id);
      await session.delete(key);
      await persistent.delete(key);
      profiles.delete(profile.id);
      return { removed: true as const };
    },

    async testConnection(args: MethodArgs<'testConnection'>) {
      const profile = args.profileId === undefined ? null : requireProfile(args.profileId);
      const { uri, uriPassword } = target(args, profile?.uri ?? null, 'testConnection');
      connections.rememberSecret(args.password);
      const timeoutMs = args.timeoutMs ?? deps.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
      let password: string | null;
      if (args.password !== undefined) password = args.password;
      else if (uriPassword !== null) password = uriPassword;
      else if (profile !== null) password = await connections.passwordFor({ ...profile, uri });
      else password = null;
      const user = userOf(uri);
      if (user !== null && password === null && args.password !== null) {
        throw new AltarError(
          'PASSWORD_REQUIRED',
          `A password is needed to connect as user "${user}" to ${redactUri(uri)}.`,
        );
      }
      const secrets = [password, ...connections.secrets];
      return withOperation(args.operationId, async (signal) => {
        const client: MongoClient = await openMongoClient(uri, password, { timeoutMs, signal });
        try {
          const admin = client.db('admin');
          const info = await untilAborted(signal, admin.command({ buildInfo: 1 }));
          const started = performance.now();
          await untilAborted(signal, admin.command({ ping: 1 }));
          const roundTripMs = Math.round((performance.now() - started) * 10) / 10;
          const version: unknown = info.version;
          // Listed with the same client, so the form can offer them before anything is saved.
          const databases = await untilAborted(signal, discoverDatabases(client, uri, { signal }));
          return {
            serverVersion: typeof version === 'string' ? version : 'unknown',
            roundTripMs,
            databases,
          };
        } catch (error) {
          throw classifyMongoError(error, mongoErrorContext(uri, secrets, timeoutMs));
        } finally {
          client.close().catch(() => undefined);
        }
      });
    },

    async listDatabases(args: MethodArgs<'listDatabases'>) {
      const profile = requireProfile(args.profileId);
      return withOperation(args.operationId, async (signal) => {
        const client = await connections.client(profile.id, { timeoutMs: args.timeoutMs, signal });
        try {
          return await untilAborted(signal, discoverDatabases(client, profile.uri, { signal }));
        } catch (error) {
          throw connections.classifyError(error, profile.id);
        }
      });
    },

    async cancelOperation(args: MethodArgs<'cancelOperation'>) {
      const controller = operations.get(args.operationId);
      if (controller === undefined) return { cancelled: false };
      operations.delete(args.operationId);
      controller.abort();
      return { cancelled: true };
    },

    async close() {
      closed = true;
      for (const controller of operations.values()) controller.abort();
      operations.clear();
      await connections.close();
    },
  };
  return service;
}

/** The contract methods this service implements (composed by the core with parsedMethods). */
export const PROFILE_METHODS = [
  'listProfiles',
  'saveProfile',
  'removeProfile',
  'testConnection',
  'listDatabases',
  'cancelOperation',
] as const;
