import type { MongoClient, ReadPreferenceMode } from 'mongodb';
import type { MongoClientOptions, TopologyDescriptionChangedEvent } from 'mongodb';
import { isMongoDriverError, mongoDriver } from './mongo-driver';
import { AltarError } from '../../../shared/errors';
import type { CoreOptions } from '../core-service';
import { classifyMongoError } from './classify-mongo-error';
import type { MongoErrorContext } from './classify-mongo-error';
import { authSourceOf, hostsOf, parseMongoUri, redactUri, userOf } from './connection-uri';
import type { MongoConnections } from './mongo-connections';
import { redactSecrets } from './redact';
import { settledWithin } from '../settled-within';

export const DEFAULT_TIMEOUT_MS = 8000;
/** One operation on an open connection (a big find during sync) may take this long, no more. */
export const SOCKET_TIMEOUT_MS = 60_000;
/** How long closing the pool waits for a client's close (its endSessions) to be answered. */
const CLIENT_CLOSE_WAIT_MS = 2000;
export const APP_NAME = 'altar-viewer';

/** The secret store key of a profile's password. */
export function profileSecretKey(profileId: string): string {
  return `mongo-profile:${profileId}`;
}

/** What the pool needs to know of a profile; the URI never holds the password. */
export interface PoolProfile {
  id: string;
  name: string;
  uri: string;
}

export interface ConnectionPoolDeps {
  getProfile: (id: string) => PoolProfile | null;
  /** The password kept for a profile (keystore or this session's memory), or null. */
  storedPassword: (profileId: string) => Promise<string | null>;
  passwordFallback?: CoreOptions['passwordFallback'];
  defaultTimeoutMs?: number;
}

export interface OpenOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Pending {
  promise: Promise<MongoClient>;
  controller: AbortController;
  waiters: number;
}

/** The driver options every Altar connection uses; the password goes in `auth`, never the URI. */
export function mongoClientOptions(
  uri: string,
  password: string | null,
  timeoutMs: number,
): MongoClientOptions {
  const user = userOf(uri);
  // The driver lets these options win over the URI's: a read preference the URI names (a lab
  // that keeps readers on its secondaries) must stay the user's choice.
  const readPreference = readPreferenceOf(uri) ?? 'primaryPreferred';
  return {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: Math.max(SOCKET_TIMEOUT_MS, timeoutMs),
    appName: APP_NAME,
    readPreference,
    retryWrites: false,
    ...(user !== null && password !== null ? { auth: { username: user, password } } : {}),
  };
}

function readPreferenceOf(uri: string): ReadPreferenceMode | null {
  const mode = parseMongoUri(uri).searchParams.get('readPreference')?.toLowerCase();
  return (
    Object.values(mongoDriver().ReadPreferenceMode).find((known) => known.toLowerCase() === mode) ??
    null
  );
}

/** The context error messages of a connection need: its hosts, user, timeout and secrets. */
export function mongoErrorContext(
  uri: string,
  secrets: ReadonlyArray<string | null>,
  timeoutMs: number,
): MongoErrorContext {
  try {
    const parsed = parseMongoUri(uri);
    return {
      hosts: hostsOf(uri),
      user: userOf(uri),
      authSource: authSourceOf(uri),
      timeoutMs,
      socketTimeoutMs: Math.max(SOCKET_TIMEOUT_MS, timeoutMs),
      tlsCAFile: parsed.searchParams.get('tlsCAFile'),
      tls: isTlsOn(parsed.searchParams.get('tls') ?? parsed.searchParams.get('ssl'), parsed.isSRV),
      secrets,
    };
  } catch {
    return { hosts: [], user: null, authSource: 'admin', timeoutMs, secrets };
  }
}

/**
 * Connects a new client and pings the server. Fails fast when every server of the topology has
 * failed in a way retrying cannot fix (refused, unknown host, TLS), instead of waiting for the
 * server selection timeout; an abort closes the half-open client and throws CANCELLED. Every
 * error is an AltarError whose message never holds the password.
 */
export async function openMongoClient(
  uri: string,
  password: string | null,
  options: OpenOptions = {},
): Promise<MongoClient> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const connectContext = { ...mongoErrorContext(uri, [password], timeoutMs) };
  delete connectContext.socketTimeoutMs;
  const classify = (error: unknown): AltarError => classifyMongoError(error, connectContext);
  const { signal } = options;
  if (signal?.aborted === true) throw cancelledError(uri);
  let client: MongoClient;
  try {
    client = new (mongoDriver().MongoClient)(uri, mongoClientOptions(uri, password, timeoutMs));
  } catch (error) {
    throw classify(error);
  }
  const opened = client;
  return new Promise<MongoClient>((resolve, reject) => {
    let settled = false;
    const cleanup = (): void => {
      signal?.removeEventListener('abort', onAbort);
      opened.off('topologyDescriptionChanged', onTopology);
    };
    const fail = (error: AltarError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      // Closing stops the monitors and sockets of the attempt; nobody needs to wait for it.
      opened.close().catch(() => undefined);
      reject(error);
    };
    const onAbort = (): void => fail(cancelledError(uri));
    const onTopology = (event: TopologyDescriptionChangedEvent): void => {
      const servers = [...event.newDescription.servers.values()];
      if (servers.length === 0) return;
      const failures = servers.map((server) =>
        server.error === null ? null : classify(server.error),
      );
      const first = failures[0];
      if (first && failures.every((failure) => failure?.code === 'CONNECTION_FAILED')) fail(first);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    opened.on('topologyDescriptionChanged', onTopology);
    opened
      .connect()
      .then(() => opened.db('admin').command({ ping: 1 }))
      .then(
        () => {
          if (settled) return;
          settled = true;
          cleanup();
          resolve(opened);
        },
        (error: unknown) => fail(classify(error)),
      );
  });
}

/** One connected MongoClient per profile, shared by discovery, sync and artifact streaming. */
export class ConnectionPool implements MongoConnections {
  private readonly clients = new Map<string, MongoClient>();
  private readonly pending = new Map<string, Pending>();
  /** Passwords the CLI gave for profiles without a stored one: asked once per process. */
  private readonly fallbackPasswords = new Map<string, string>();
  /** Every password this pool has handled, masked out of every message it lets out. */
  private readonly knownSecrets = new Set<string>();
  /** Why a connected client was dropped (its server went away), per profile, until it is back. */
  private readonly lost = new Map<string, AltarError>();
  private closed = false;

  constructor(private readonly deps: ConnectionPoolDeps) {}

  get defaultTimeoutMs(): number {
    return this.deps.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Records a password so that no message of the pool can show it. */
  rememberSecret(secret: string | null | undefined): void {
    if (secret !== null && secret !== undefined && secret !== '') this.knownSecrets.add(secret);
  }

  /** Masks every password the pool knows in a text. */
  get secrets(): string[] {
    return [...this.knownSecrets];
  }

  /**
   * The password to connect a profile with: the secret store, else the host's fallback (CLI:
   * environment or prompt), else none when the URI names no user; otherwise PASSWORD_REQUIRED.
   */
  async passwordFor(profile: PoolProfile): Promise<string | null> {
    const stored = await this.deps.storedPassword(profile.id);
    if (stored !== null) {
      this.rememberSecret(stored);
      return stored;
    }
    const remembered = this.fallbackPasswords.get(profile.id);
    if (remembered !== undefined) return remembered;
    const user = userOf(profile.uri);
    if (user === null) return null;
    const given = (await this.deps.passwordFallback?.(profile)) ?? null;
    if (given !== null) {
      this.rememberSecret(given);
      this.fallbackPasswords.set(profile.id, given);
      return given;
    }
    throw new AltarError(
      'PASSWORD_REQUIRED',
      `Profile "${profile.name}" needs a password: user "${user}" connects to ` +
        `${redactUri(profile.uri)}, and no password is stored for it. Enter it in the ` +
        'connection settings (or set ALTAR_MONGO_PASSWORD for the command line).',
    );
  }

  async client(profileId: string, options: OpenOptions = {}): Promise<MongoClient> {
    if (this.closed) throw new AltarError('CANCELLED', 'The MongoDB connections have been closed.');
    const existing = this.clients.get(profileId);
    if (existing !== undefined) return existing;
    let pending = this.pending.get(profileId);
    if (pending === undefined) pending = this.startConnecting(profileId, options.timeoutMs);
    return this.waitFor(pending, profileId, options.signal);
  }

  classifyError(error: unknown, profileId: string): Error {
    // An operation cut by dropping a client whose server went away: the server's failure.
    const lost = this.lost.get(profileId);
    if (
      lost !== undefined &&
      (isMongoDriverError(error, 'MongoTopologyClosedError') ||
        isMongoDriverError(error, 'MongoClientClosedError'))
    ) {
      return lost;
    }
    const profile = this.deps.getProfile(profileId);
    const context =
      profile === null
        ? {
            hosts: [],
            user: null,
            authSource: 'admin',
            timeoutMs: this.defaultTimeoutMs,
            secrets: [],
          }
        : mongoErrorContext(profile.uri, [], this.defaultTimeoutMs);
    return classifyMongoError(error, { ...context, secrets: this.secrets });
  }

  async close(profileId?: string): Promise<void> {
    if (profileId === undefined) this.closed = true;
    const ids =
      profileId === undefined
        ? [...new Set([...this.clients.keys(), ...this.pending.keys()])]
        : [profileId];
    const closing: Promise<void>[] = [];
    for (const id of ids) {
      this.pending.get(id)?.controller.abort();
      this.pending.delete(id);
      this.fallbackPasswords.delete(id);
      const client = this.clients.get(id);
      this.clients.delete(id);
      if (client !== undefined) closing.push(client.close());
    }
    // The close interrupts the client's operations at once, then ends its server sessions: a
    // server that does not answer would hold that for the socket timeout. The close goes on
    // in the background; nothing waits on it.
    await settledWithin(closing, CLIENT_CLOSE_WAIT_MS);
  }

  private startConnecting(profileId: string, timeoutMs: number | undefined): Pending {
    const controller = new AbortController();
    const connect = async (): Promise<MongoClient> => {
      const profile = this.deps.getProfile(profileId);
      if (profile === null) {
        throw new AltarError('NOT_FOUND', `There is no connection profile "${profileId}".`);
      }
      const password = await this.passwordFor(profile);
      if (controller.signal.aborted) throw cancelledError(profile.uri);
      try {
        return await openMongoClient(profile.uri, password, {
          timeoutMs: timeoutMs ?? this.defaultTimeoutMs,
          signal: controller.signal,
        });
      } catch (error) {
        // A wrong password from the prompt must be asked again, not retried forever.
        if (error instanceof AltarError && error.code === 'AUTH_FAILED') {
          this.fallbackPasswords.delete(profileId);
        }
        throw new AltarError(
          error instanceof AltarError ? error.code : 'INTERNAL',
          this.redact(error instanceof Error ? error.message : String(error)),
        );
      }
    };
    const pending: Pending = {
      controller,
      waiters: 0,
      promise: connect().then(
        (client) => {
          if (this.pending.get(profileId) === pending) this.pending.delete(profileId);
          if (this.closed || controller.signal.aborted) {
            void client.close().catch(() => undefined);
            throw new AltarError('CANCELLED', 'The connection attempt was cancelled.');
          }
          this.clients.set(profileId, client);
          this.lost.delete(profileId);
          this.watchForLoss(profileId, client);
          return client;
        },
        (error: unknown) => {
          if (this.pending.get(profileId) === pending) this.pending.delete(profileId);
          throw error;
        },
      ),
    };
    // Rejections reach every waiter through waitFor; this only keeps Node from calling it unhandled.
    pending.promise.catch(() => undefined);
    this.pending.set(profileId, pending);
    return pending;
  }

  /** Shares one attempt among callers; it is aborted only when every caller has given up. */
  private waitFor(pending: Pending, profileId: string, signal?: AbortSignal): Promise<MongoClient> {
    pending.waiters++;
    return new Promise<MongoClient>((resolve, reject) => {
      let done = false;
      const leave = (): void => {
        if (done) return;
        done = true;
        pending.waiters--;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        if (done) return;
        leave();
        if (pending.waiters === 0) {
          pending.controller.abort();
          if (this.pending.get(profileId) === pending) this.pending.delete(profileId);
        }
        reject(new AltarError('CANCELLED', 'The connection attempt was cancelled.'));
      };
      if (signal?.aborted === true) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.promise.then(
        (client) => {
          if (done) return;
          leave();
          resolve(client);
        },
        (error: unknown) => {
          if (done) return;
          leave();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * A connected client keeps retrying a server that went away until each operation's server
   * selection times out. When every server of its topology has failed in a way waiting cannot
   * fix (refused, reset, unreachable), the client is dropped at once: operations in flight end
   * with the server's failure, and the next use reconnects, failing fast while it is down.
   */
  private watchForLoss(profileId: string, client: MongoClient): void {
    const onTopology = (event: TopologyDescriptionChangedEvent): void => {
      const servers = [...event.newDescription.servers.values()];
      if (servers.length === 0 || servers.some((server) => server.error === null)) return;
      const failures = servers.map((server) => this.classifyError(server.error, profileId));
      const first = failures[0];
      if (
        !(first instanceof AltarError) ||
        !failures.every((f) => f instanceof AltarError && f.code === 'CONNECTION_FAILED')
      ) {
        return;
      }
      if (this.clients.get(profileId) !== client) return;
      client.off('topologyDescriptionChanged', onTopology);
      this.clients.delete(profileId);
      this.lost.set(profileId, first);
      client.close().catch(() => undefined);
    };
    client.on('topologyDescriptionChanged', onTopology);
  }

  private redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }
}

function cancelledError(uri: string): AltarError {
  return new AltarError('CANCELLED', `The connection attempt to ${redactUri(uri)} was cancelled.`);
}

function isTlsOn(option: string | null, srv: boolean): boolean {
  return option === null ? srv : option.toLowerCase() === 'true';
}
