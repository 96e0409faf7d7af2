// Shared setup of the mongo-sync integration tests: a server (the in-process test server, or
// a real MongoDB from ALTAR_TEST_MONGO_URI), a cache, and connections that record every
// command the driver sends, so tests can tell what a sync fetched.
import { MongoClient } from 'mongodb';
import type { CommandStartedEvent, Db, MongoClientOptions } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheStore } from '../../main/core/cache/cache-store';
import { classifyMongoError } from '../../main/core/mongo/classify-mongo-error';
import type { MongoConnections } from '../../main/core/mongo/mongo-connections';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { Faults, MongoTestServer, TestUser } from '../support/mongo-test-server';

export interface TestMongo {
  uri: string;
  /** null against a real MongoDB: fault injection is then unavailable. */
  server: MongoTestServer | null;
  close(): Promise<void>;
}

export const REAL_MONGO_URI = process.env.ALTAR_TEST_MONGO_URI ?? null;

export async function startTestMongo(users?: TestUser[]): Promise<TestMongo> {
  if (REAL_MONGO_URI !== null) {
    return { uri: REAL_MONGO_URI, server: null, close: async () => undefined };
  }
  const server = await startMongoTestServer(users === undefined ? {} : { users });
  return { uri: server.uri, server, close: () => server.close() };
}

let counter = 0;
/** A database name no other test (or earlier run against a real server) uses. */
export function freshDbName(label: string): string {
  counter++;
  return `altar_test_${label}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

export function setFaults(mongo: TestMongo, faults: Faults): void {
  if (mongo.server === null) throw new Error('fault injection needs the test server');
  mongo.server.setFaults(faults);
}

/** MongoConnections over one client per profile, with command monitoring on. */
export class RecordingConnections implements MongoConnections {
  readonly commands: CommandStartedEvent[] = [];
  private readonly clients = new Map<string, MongoClient>();

  constructor(
    private readonly uris: Record<string, string>,
    private readonly options: MongoClientOptions = {},
  ) {}

  async client(profileId: string): Promise<MongoClient> {
    const existing = this.clients.get(profileId);
    if (existing !== undefined) return existing;
    const uri = this.uris[profileId];
    if (uri === undefined) throw new Error(`no profile ${profileId}`);
    const client = new MongoClient(uri, {
      monitorCommands: true,
      serverSelectionTimeoutMS: 3000,
      connectTimeoutMS: 3000,
      socketTimeoutMS: 10_000,
      ...this.options,
    });
    client.on('commandStarted', (event) => this.commands.push(event));
    try {
      await client.connect();
    } catch (error) {
      await client.close().catch(() => undefined);
      throw this.classifyError(error, profileId);
    }
    this.clients.set(profileId, client);
    return client;
  }

  classifyError(error: unknown, profileId: string): Error {
    const password = this.options.auth?.password ?? null;
    return classifyMongoError(error, {
      hosts: [this.uris[profileId] ?? ''],
      user: this.options.auth?.username ?? null,
      authSource: 'admin',
      timeoutMs: 3000,
      secrets: [password],
    });
  }

  /** Commands of one kind on one collection since `from` (an index into `commands`). */
  count(commandName: string, collection: string, from = 0): number {
    return this.commands
      .slice(from)
      .filter(
        (event) => event.commandName === commandName && event.command[commandName] === collection,
      ).length;
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}

/** A writer client for loading test data (the app itself only reads). */
export async function withWriter<T>(
  uri: string,
  work: (client: MongoClient) => Promise<T>,
): Promise<T> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.close();
  }
}

export async function dropDatabase(uri: string, db: Db | string): Promise<void> {
  if (REAL_MONGO_URI === null) return;
  await withWriter(uri, (client) =>
    client.db(typeof db === 'string' ? db : db.databaseName).dropDatabase(),
  );
}

export interface TestCache {
  store: CacheStore;
  dir: string;
  close(): void;
}

export function openTestCache(): TestCache {
  const dir = mkdtempSync(join(tmpdir(), 'altar-mongo-sync-'));
  const store = CacheStore.open(join(dir, 'cache.sqlite'));
  return {
    store,
    dir,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Adds a mongo source row directly (the service's add path is tested separately). */
export function addSourceRow(
  store: CacheStore,
  name: string,
  database: string,
  prefix: string | null = null,
  profileId = 'p1',
): void {
  store.addSource({
    name,
    kind: 'mongo',
    location: `mongodb://test/${database}`,
    createdAt: new Date(0).toISOString(),
    mongo: { profileId, database, prefix },
  });
}
