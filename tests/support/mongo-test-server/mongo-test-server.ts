// A MongoDB wire-protocol server for tests only: in-memory, MongoDB 7.0 dialect, a
// standalone or a replica set (several ports of this process sharing one store), plain
// TCP or TLS, optional SCRAM-SHA-256 users and fault injection.
import type { Document } from 'bson';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { serveConnection } from './client-connection';
import { CursorRegistry } from './cursor-registry';
import type { Faults } from './faults';
import { InMemoryStore } from './in-memory-store';
import { stepDown } from './replica-set';
import type { ReplicaSetState } from './replica-set';
import { scramSecrets } from './scram-sha256';
import type { ScramSecrets } from './scram-sha256';
import type { ServerState } from './server-state';
import { userDb } from './test-users';
import type { TestUser } from './test-users';
import { TopologyVersion } from './topology-version';

export interface MongoTestServerOptions {
  /** 0 or absent: any free port. The server listens on 127.0.0.1 only. */
  port?: number;
  /** When given (and non-empty), clients must authenticate with SCRAM-SHA-256. */
  users?: TestUser[];
  faults?: Faults;
  /**
   * Serve TLS only, with this certificate (PEM, the chain if any) and key: see
   * generateTestCertificates. Clients then need tls=true and the CA (tlsCAFile).
   */
  tls?: { cert: string; key: string };
  /** Run as a replica set of `members` (default 3) listeners instead of a standalone. */
  replicaSet?: ReplicaSetOptions;
}

export interface ReplicaSetOptions {
  /** setName, what a client's replicaSet option must say. */
  name: string;
  members?: number;
  /**
   * The host name each member gives as its address in hello (`hosts`, `me`, `primary`),
   * e.g. the SRV targets of a mongodb+srv test; it must resolve to 127.0.0.1 for the
   * client. Default: 127.0.0.1 for every member.
   */
  hostnames?: string[];
}

export interface ReplicaSetControl {
  name: string;
  /** "host:port" of each member, in member order. */
  hosts: string[];
  ports: number[];
  /** Index of the member that is primary now (0 at start). */
  readonly primary: number;
  /**
   * The primary steps down and another member (the next one unless named) is elected: hello
   * tells so at once, and the old primary refuses writes with NotWritablePrimary.
   */
  stepDown(newPrimary?: number): void;
}

export interface MongoTestServer {
  /**
   * mongodb://127.0.0.1:PORT; for a replica set every member's host:port and
   * `/?replicaSet=NAME`. TLS options are not in it (the client names its CA file).
   */
  uri: string;
  /** The (first member's) port. */
  port: number;
  /** null for a standalone. */
  replicaSet: ReplicaSetControl | null;
  /** How many times each command was answered, per member (one entry for a standalone). */
  commandCounts(): Array<Record<string, number>>;
  /** Replaces the active faults and restarts the dropAfterReplies count. */
  setFaults(faults: Faults): void;
  /** Stops listening and closes every client connection. */
  close(): Promise<void>;
  /**
   * Inserts documents straight into the in-memory store, skipping the wire: benchmarks seed
   * millions of metric points this way. Documents must look like decoded BSON (numbers,
   * Dates, ObjectIds) and must not be changed afterwards (arrays may be shared between them).
   */
  seed(db: string, collection: string, docs: Iterable<Document>): void;
}

export async function startMongoTestServer(
  options: MongoTestServerOptions = {},
): Promise<MongoTestServer> {
  const members = options.replicaSet === undefined ? 1 : (options.replicaSet.members ?? 3);
  if (!Number.isInteger(members) || members < 1 || members > 50) {
    throw new Error(`a replica set has 1 to 50 members, not ${members}`);
  }
  const users = options.users ?? [];
  const secrets = new Map<string, ScramSecrets>();
  for (const user of users)
    secrets.set(`${userDb(user)}.${user.user}`, scramSecrets(user.password));
  // A member's address is known once it listens; no client knows a port before that.
  const replicaSet: ReplicaSetState | null =
    options.replicaSet === undefined
      ? null
      : { name: options.replicaSet.name, hosts: [], primary: 0, term: 1 };
  const ready: ServerState = {
    store: new InMemoryStore(),
    cursors: new CursorRegistry(),
    // A copy: createUser must not change the caller's list.
    users: [...users],
    secrets,
    auth: users.length > 0,
    faults: { ...options.faults },
    countedReplies: 0,
    replicaSet,
    commandCounts: Array.from({ length: members }, () => new Map<string, number>()),
    topologyVersions: Array.from({ length: members }, () => new TopologyVersion()),
  };
  const sockets = new Set<Socket>();
  let nextConnectionId = 1;
  const listeners: Server[] = [];
  const ports: number[] = [];
  for (let member = 0; member < members; member++) {
    const serve = (socket: Socket): void => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      serveConnection(socket, ready, nextConnectionId++, member);
    };
    const server =
      options.tls === undefined
        ? createServer(serve)
        : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, serve);
    // A client that rejects the certificate ends the handshake: nothing to serve, no crash.
    server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
    // Every accepted socket, also one still in its TLS handshake (not yet served): close()
    // destroys them all, or the listener's close would wait for that one forever.
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    listeners.push(server);
    const memberPort = await listen(server, member === 0 ? (options.port ?? 0) : 0);
    ports.push(memberPort);
    replicaSet?.hosts.push(
      `${options.replicaSet?.hostnames?.[member] ?? '127.0.0.1'}:${memberPort}`,
    );
  }
  const port = ports[0] ?? 0;
  return {
    uri:
      replicaSet === null
        ? `mongodb://127.0.0.1:${port}`
        : `mongodb://${replicaSet.hosts.join(',')}/?replicaSet=${encodeURIComponent(replicaSet.name)}`,
    port,
    replicaSet:
      replicaSet === null
        ? null
        : {
            name: replicaSet.name,
            hosts: [...replicaSet.hosts],
            ports: [...ports],
            get primary() {
              return replicaSet.primary;
            },
            stepDown(newPrimary?: number) {
              stepDown(replicaSet, newPrimary);
              for (const version of ready.topologyVersions) version.changed();
            },
          },
    commandCounts() {
      return ready.commandCounts.map((counts) => Object.fromEntries(counts));
    },
    setFaults(faults: Faults) {
      ready.faults = { ...faults };
      ready.countedReplies = 0;
    },
    seed(db: string, collection: string, docs: Iterable<Document>) {
      const target = ready.store.collectionForWrite(db, collection);
      for (const doc of docs) target.insert(doc);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        listeners.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  return address.port;
}
