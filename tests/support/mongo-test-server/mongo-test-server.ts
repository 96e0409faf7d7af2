// A MongoDB wire-protocol server for tests only: in-memory, standalone, MongoDB
// 7.0 dialect, optional SCRAM-SHA-256 users and fault injection.
import type { Document } from 'bson';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { serveConnection } from './client-connection';
import { CursorRegistry } from './cursor-registry';
import type { Faults } from './faults';
import { InMemoryStore } from './in-memory-store';
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
}

export interface MongoTestServer {
  /** mongodb://127.0.0.1:PORT */
  uri: string;
  port: number;
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
  const users = options.users ?? [];
  const secrets = new Map<string, ScramSecrets>();
  for (const user of users)
    secrets.set(`${userDb(user)}.${user.user}`, scramSecrets(user.password));
  const state: ServerState = {
    store: new InMemoryStore(),
    cursors: new CursorRegistry(),
    users,
    secrets,
    faults: { ...options.faults },
    countedReplies: 0,
    topologyVersions: [new TopologyVersion()],
  };
  const sockets = new Set<Socket>();
  let nextConnectionId = 1;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, state, nextConnectionId++);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  const port = address.port;
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    port,
    setFaults(faults: Faults) {
      state.faults = { ...faults };
      state.countedReplies = 0;
    },
    seed(db: string, collection: string, docs: Iterable<Document>) {
      const target = state.store.collectionForWrite(db, collection);
      for (const doc of docs) target.insert(doc);
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
  };
}
