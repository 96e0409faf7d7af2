import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import { startMongoTestServer } from '../support/mongo-test-server';
import { runCli } from './cli-support';
import type { CliResult } from './cli-support';

export { closedPort } from '../support/closed-port';

/**
 * What the CLI MongoDB tests run against: the project's wire-protocol test server with two
 * users, or a real MongoDB when ALTAR_TEST_MONGO_URI is set (its own credentials, if any,
 * stand in for the reader's; every database made here is dropped at the end).
 */
export interface MongoTarget {
  /** Whether a user name and password are needed (false on a real server without auth). */
  auth: boolean;
  user: string;
  password: string;
  /** A URI for the CLI: `password` null leaves it out, undefined puts the right one in. */
  uri(options: { db?: string; password?: string | null; user?: string }): string;
  /** A driver client allowed to write, for seeding. */
  writer(): Promise<MongoClient>;
  close(): Promise<void>;
}

// Characters that must be percent-encoded in a URI, so both spellings get looked for.
export const READER_PASSWORD = 'Qz7-p@ss:w0rd/Kx9';
const WRITER_PASSWORD = 'writer-Vb3tN8';

export async function startMongoTarget(databases: readonly string[]): Promise<MongoTarget> {
  const real = process.env.ALTAR_TEST_MONGO_URI;
  if (real !== undefined && real !== '') return realTarget(real);
  const server = await startMongoTestServer({
    users: [
      { user: 'writer', password: WRITER_PASSWORD, roles: [{ role: 'readWrite', db: '*' }] },
      // Only `read`, and only on the test's databases: the CLI must need no more.
      {
        user: 'alice',
        password: READER_PASSWORD,
        roles: databases.map((db) => ({ role: 'read' as const, db })),
      },
    ],
  });
  const base = new ConnectionString(server.uri);
  const clients: MongoClient[] = [];
  return {
    auth: true,
    user: 'alice',
    password: READER_PASSWORD,
    uri: (options) =>
      build(base, { user: 'alice', password: READER_PASSWORD, authSource: 'admin' }, options),
    async writer() {
      const client = new MongoClient(
        build(base, { user: 'writer', password: WRITER_PASSWORD, authSource: 'admin' }, {}),
      );
      clients.push(client);
      return client.connect();
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await server.close();
    },
  };
}

function realTarget(uri: string): MongoTarget {
  const base = new ConnectionString(uri);
  const user = decodeURIComponent(base.username);
  const password = decodeURIComponent(base.password);
  const clients: MongoClient[] = [];
  return {
    auth: user !== '' && password !== '',
    user,
    password,
    uri: (options) => build(base, { user, password, authSource: null }, options),
    async writer() {
      const client = new MongoClient(uri);
      clients.push(client);
      return client.connect();
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}

function build(
  base: ConnectionString,
  credentials: { user: string; password: string; authSource: string | null },
  options: { db?: string; password?: string | null; user?: string },
): string {
  const uri = base.clone();
  const user = options.user ?? credentials.user;
  const password = options.password === undefined ? credentials.password : options.password;
  uri.username = user === '' ? '' : encodeURIComponent(user);
  uri.password = user === '' || password === null ? '' : encodeURIComponent(password);
  uri.pathname = options.db === undefined ? '/' : `/${encodeURIComponent(options.db)}`;
  if (credentials.authSource !== null && !uri.searchParams.has('authSource') && user !== '') {
    uri.searchParams.set('authSource', credentials.authSource);
  }
  return uri.toString();
}

/** Sacred-shaped run documents (MongoObserver 0.7+) and the metrics of run 1. */
export async function seedSacredRuns(
  client: MongoClient,
  database: string,
  prefix: string | null = null,
): Promise<void> {
  const db = client.db(database);
  const runsName = prefix === null ? 'runs' : `${prefix}_runs`;
  const metricsName = prefix === null ? 'metrics' : `${prefix}_metrics`;
  const start = Date.parse('2026-03-01T10:00:00Z');
  const lossId = new ObjectId();
  const runs = [1, 2, 3].map((id) => ({
    _id: id,
    format: 'MongoObserver-0.7.0',
    status: id === 3 ? 'FAILED' : 'COMPLETED',
    experiment: {
      name: 'x',
      base_dir: '/home/alice/exp',
      sources: [],
      dependencies: ['sacred==0.8.7'],
      repositories: [],
      mainfile: 'x.py',
    },
    command: 'main',
    host: {
      hostname: 'lab-pc',
      os: ['Linux', 'Linux-6.1'],
      python_version: '3.11.4',
      cpu: 'x86',
      ENV: {},
    },
    start_time: new Date(start + id * 60_000),
    heartbeat: new Date(start + id * 60_000 + 30_000),
    stop_time: new Date(start + id * 60_000 + 30_000),
    config: { seed: id, lr: 0.1 },
    meta: { command: 'main', options: {} },
    resources: [],
    artifacts: [],
    captured_out: `run ${id}\n`,
    info: id === 1 ? { metrics: [{ name: 'loss', id: lossId.toHexString() }] } : {},
    result: id === 3 ? null : 0.5 + id / 10,
    ...(id === 3
      ? { fail_trace: ['Traceback (most recent call last):\n', 'ValueError: x\n'] }
      : {}),
  }));
  await db.collection(runsName).insertMany(runs as never[]);
  await db.collection(metricsName).insertOne({
    _id: lossId,
    run_id: 1,
    name: 'loss',
    steps: [0, 1, 2],
    values: [1, 0.5, 0.25],
    timestamps: [0, 1, 2].map((step) => new Date(start + 60_000 + step * 1000)),
  });
}

/** Runs the CLI and keeps everything it printed, for the look for leaked passwords. */
export function recordingCli(dataDir: string, printed: string[]) {
  return async (args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> => {
    const result = await runCli(['--data-dir', dataDir, ...args], {
      ALTAR_MONGO_PASSWORD: '',
      ...env,
    });
    printed.push(result.stdout, result.stderr);
    return result;
  };
}

/** Every file under `dir` (the cache, its WAL, anything else) whose bytes hold one of `needles`. */
export function filesContaining(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  const visit = (path: string): void => {
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
      return;
    }
    const bytes = readFileSync(path);
    for (const needle of needles) {
      // UTF-8 and UTF-16 (SQLite may store text either way).
      if (
        bytes.includes(Buffer.from(needle, 'utf8')) ||
        bytes.includes(Buffer.from(needle, 'utf16le'))
      ) {
        hits.push(path);
      }
    }
  };
  visit(dir);
  return hits;
}

/** The password as typed and in each spelling a URI or a message could carry it. */
export function passwordForms(password: string): string[] {
  return [...new Set([password, encodeURIComponent(password), encodeURI(password)])];
}
