// Connection profiles, connection tests, failure messages, cancellation and database discovery
// against the MongoDB test server with users (or a real MongoDB: ALTAR_TEST_MONGO_URI).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EJSON } from 'bson';
import { Admin, MongoClient, MongoServerError, ObjectId } from 'mongodb';
import type { Document } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConnectionFields } from '../../shared/contract';
import { AltarError } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { createProfilesService } from '../../main/core/mongo/profiles-service';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store';
import type { SecretStore } from '../../main/core/secrets/secret-store';
import { createSecretStore } from '../../main/electron/secret-store';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';

const PASSWORD = 'S3cret-Pa55!';
const READER_PASSWORD = 'reader-Pw-71x';
const LIMITED_PASSWORD = 'limited-Pw-93q';
const SAMPLES = join(__dirname, '..', 'fixtures', 'sacred-samples');
/** Every failure must be reported well before this; a hang fails the test instead. */
const FAILURE_TEST_TIMEOUT = 10_000;

interface Credentials {
  user: string;
  password: string;
}

interface Target {
  /** The server without credentials, e.g. mongodb://127.0.0.1:PORT/ */
  base: ConnectionString;
  admin: Credentials | null;
  reader: Credentials | null;
  /** May read only `sacredDb`. */
  limited: Credentials | null;
  sacredDb: string;
  otherDb: string;
  legacyDb: string;
  writer: MongoClient;
  close(): Promise<void>;
}

let target: Target;
let silentServer: Server;
let silentPort: number;
const silentSockets = new Set<Socket>();
let plainServer: Server;
let plainPort: number;
let closedPort: number;
const cores: AltarCore[] = [];
const dirs: string[] = [];

function uriFor(
  credentials: Credentials | null,
  options: { db?: string; withPassword?: boolean } = {},
): string {
  const uri = target.base.clone();
  if (credentials !== null) {
    uri.username = encodeURIComponent(credentials.user);
    if (options.withPassword === true) uri.password = encodeURIComponent(credentials.password);
    uri.searchParams.set('authSource', 'admin');
  }
  uri.pathname = `/${options.db ?? ''}`;
  return uri.toString();
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'altar-connections-'));
  dirs.push(dir);
  return dir;
}

function openCore(
  options: { dataDir?: string; secrets?: SecretStore; fallback?: string | null } = {},
): AltarCore {
  const core = createAltarCore({
    dataDir: options.dataDir ?? tempDir(),
    door: 'direct',
    secrets: options.secrets ?? new MemorySecretStore(),
    passwordFallback:
      options.fallback === undefined ? undefined : async () => options.fallback ?? null,
  });
  cores.push(core);
  return core;
}

async function failure(promise: Promise<unknown>, code: ErrorCode): Promise<AltarError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AltarError);
  expect({
    code: (error as AltarError).code,
    message: (error as AltarError).message,
  }).toMatchObject({ code });
  return error as AltarError;
}

function loadSample(file: string): Document {
  const docs = EJSON.parse(readFileSync(join(SAMPLES, file), 'utf8')) as Document[];
  const doc = docs[0];
  if (doc === undefined) throw new Error(`${file} holds no run`);
  return doc;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function startTarget(): Promise<Target> {
  const suffix = new ObjectId().toHexString().slice(-8);
  const real = process.env.ALTAR_TEST_MONGO_URI;
  if (real !== undefined && real !== '') return realTarget(real, suffix);
  const server: MongoTestServer = await startMongoTestServer({
    users: [
      { user: 'admin-rw', password: PASSWORD, roles: [{ role: 'readWrite', db: '*' }] },
      { user: 'reader', password: READER_PASSWORD, roles: [{ role: 'read', db: '*' }] },
      { user: 'limited', password: LIMITED_PASSWORD, roles: [{ role: 'read', db: 'sacred' }] },
    ],
  });
  const base = new ConnectionString(`${server.uri}/`);
  const admin = { user: 'admin-rw', password: PASSWORD };
  const writerUri = base.clone();
  writerUri.username = admin.user;
  writerUri.password = encodeURIComponent(admin.password);
  writerUri.searchParams.set('authSource', 'admin');
  const writer = await new MongoClient(writerUri.toString()).connect();
  return {
    base,
    admin,
    reader: { user: 'reader', password: READER_PASSWORD },
    limited: { user: 'limited', password: LIMITED_PASSWORD },
    sacredDb: 'sacred',
    otherDb: 'notes',
    legacyDb: 'legacy',
    writer,
    async close() {
      await writer.close();
      await server.close();
    },
  };
}

/** A real server: its own credentials stand in for the admin; the others are created if allowed. */
async function realTarget(uri: string, suffix: string): Promise<Target> {
  const parsed = new ConnectionString(uri);
  const admin =
    parsed.username === ''
      ? null
      : {
          user: decodeURIComponent(parsed.username),
          password: decodeURIComponent(parsed.password),
        };
  const writer = await new MongoClient(uri).connect();
  const base = parsed.clone();
  base.username = '';
  base.password = '';
  base.searchParams.delete('authSource');
  const sacredDb = `altar_conn_sacred_${suffix}`;
  const created: string[] = [];
  const createUser = async (
    name: string,
    password: string,
    roles: Document[],
  ): Promise<Credentials | null> => {
    try {
      await writer.db('admin').command({ createUser: name, pwd: password, roles });
      created.push(name);
      return { user: name, password };
    } catch {
      return null;
    }
  };
  const reader =
    admin === null
      ? null
      : await createUser(`altar_reader_${suffix}`, READER_PASSWORD, [
          { role: 'readAnyDatabase', db: 'admin' },
        ]);
  const limited =
    admin === null
      ? null
      : await createUser(`altar_limited_${suffix}`, LIMITED_PASSWORD, [
          { role: 'read', db: sacredDb },
        ]);
  const dbs = [sacredDb, `altar_conn_notes_${suffix}`, `altar_conn_legacy_${suffix}`];
  return {
    base,
    admin: admin === null ? null : { user: admin.user, password: admin.password },
    reader,
    limited,
    sacredDb,
    otherDb: dbs[1] ?? '',
    legacyDb: dbs[2] ?? '',
    writer,
    async close() {
      for (const db of dbs)
        await writer
          .db(db)
          .dropDatabase()
          .catch(() => undefined);
      for (const name of created)
        await writer
          .db('admin')
          .command({ dropUser: name })
          .catch(() => undefined);
      await writer.close();
    },
  };
}

beforeAll(async () => {
  target = await startTarget();
  const sacred = target.writer.db(target.sacredDb);
  const samples = [
    'mongo_failed_extjson.json',
    'mongo_interrupted_extjson.json',
    'mongo_queued_extjson.json',
  ];
  await sacred
    .collection('runs')
    .insertMany(samples.map((file, index) => ({ ...loadSample(file), _id: index + 1 })) as never[]);
  await sacred.collection('lab_runs').insertMany([
    {
      _id: 1,
      format: 'MongoObserver-0.7.0',
      status: 'COMPLETED',
      command: 'main',
      experiment: { name: 'lab' },
    },
    {
      _id: 2,
      format: 'MongoObserver-0.7.0',
      status: 'RUNNING',
      command: 'main',
      experiment: { name: 'lab' },
    },
  ] as never[]);
  await sacred.collection('things').insertOne({ status: 'not a run' });
  // A `runs` collection that is no Sacred collection (a to-do list), in another database.
  await target.writer
    .db(target.otherDb)
    .collection('runs')
    .insertMany([
      { title: 'buy milk', done: false },
      { title: 'run 10 km', done: true },
    ]);
  // Sacred 0.6: `default.runs`, ObjectId ids, no format or command.
  await target.writer
    .db(target.legacyDb)
    .collection('default.runs')
    .insertMany([
      {
        _id: new ObjectId(),
        status: 'COMPLETED',
        experiment: { name: 'old', doc: '' },
        comment: 'a',
      },
      { _id: new ObjectId(), status: 'FAILED', experiment: { name: 'old', doc: '' }, comment: 'b' },
    ]);

  silentServer = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => silentSockets.delete(socket));
  });
  silentPort = await listen(silentServer);
  // Speaks plain text (like a web server), so a TLS client gets garbage back.
  plainServer = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  });
  plainPort = await listen(plainServer);
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(cores.splice(0).map((core) => core.close()));
});

afterAll(async () => {
  await target?.close();
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silentServer?.close(resolve));
  await new Promise((resolve) => plainServer?.close(resolve));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('connection profiles', () => {
  it('saves, lists, edits and removes profiles; the URI never keeps the password', async (ctx) => {
    if (target.admin === null) ctx.skip();
    const admin = target.admin as Credentials;
    const core = openCore();
    const fromUri = await core.saveProfile({
      name: 'Lab server',
      uri: uriFor(admin, { db: target.sacredDb, withPassword: true }),
    });
    expect(fromUri.uri).toBe(uriFor(admin, { db: target.sacredDb }));
    expect(fromUri.uri).not.toContain(encodeURIComponent(admin.password));
    expect(fromUri).toMatchObject({
      name: 'Lab server',
      hasPassword: true,
      passwordStorage: 'memory',
      fields: { user: admin.user, authSource: 'admin', database: target.sacredDb },
    });

    const fields: ConnectionFields = {
      hosts: target.base.hosts,
      user: admin.user,
      authSource: 'admin',
    };
    const fromFields = await core.saveProfile({
      name: 'By fields',
      fields,
      password: admin.password,
    });
    expect(fromFields.fields).toEqual(fields);
    expect((await core.listProfiles({})).map((p) => p.name)).toEqual(['By fields', 'Lab server']);

    // Editing without uri or fields keeps the URI and the stored password.
    const renamed = await core.saveProfile({
      id: fromUri.id,
      name: 'Lab (renamed)',
    });
    expect(renamed).toMatchObject({
      id: fromUri.id,
      uri: fromUri.uri,
      hasPassword: true,
    });
    expect(await core.testConnection({ profileId: fromUri.id, timeoutMs: 3000 })).toMatchObject({
      serverVersion: expect.any(String),
    });
    // A null password forgets it.
    expect(
      (await core.saveProfile({ id: fromUri.id, name: 'Lab (renamed)', password: null }))
        .hasPassword,
    ).toBe(false);

    await failure(core.saveProfile({ name: 'lab (RENAMED)', fields }), 'ALREADY_EXISTS');
    await failure(core.saveProfile({ name: 'Both', fields, uri: fromUri.uri }), 'INVALID_ARGUMENT');
    await failure(core.saveProfile({ name: 'Neither' }), 'INVALID_ARGUMENT');
    await failure(core.saveProfile({ id: 'no-such-id', name: 'X', fields }), 'NOT_FOUND');
    await failure(
      core.saveProfile({ name: 'Bad', uri: 'http://example.org/' }),
      'INVALID_ARGUMENT',
    );

    expect(await core.removeProfile({ id: fromFields.id })).toEqual({ removed: true });
    await failure(core.removeProfile({ id: fromFields.id }), 'NOT_FOUND');
    expect((await core.listProfiles({})).map((p) => p.id)).toEqual([fromUri.id]);
  });

  it('keeps profiles across restarts but memory-only passwords not; the host fallback supplies them', async (ctx) => {
    if (target.reader === null) ctx.skip();
    const reader = target.reader as Credentials;
    const dataDir = tempDir();
    const first = openCore({ dataDir });
    const saved = await first.saveProfile({
      name: 'Reader',
      uri: uriFor(reader),
      password: reader.password,
      rememberPassword: true,
    });
    expect(saved.passwordStorage).toBe('memory');
    await first.close();

    const second = openCore({ dataDir });
    const [again] = await second.listProfiles({});
    expect(again).toMatchObject({
      id: saved.id,
      name: 'Reader',
      hasPassword: false,
      passwordStorage: 'none',
    });
    const missing = await failure(
      second.listDatabases({ profileId: saved.id, timeoutMs: 3000 }),
      'PASSWORD_REQUIRED',
    );
    expect(missing.message).toContain('Profile "Reader" needs a password');
    await second.close();

    const third = openCore({ dataDir, fallback: reader.password });
    const list = await third.listDatabases({ profileId: saved.id, timeoutMs: 3000 });
    expect(list.databases.map((db) => db.name)).toContain(target.sacredDb);
  });

  it('refuses to remove a profile that a MongoDB source uses', async (ctx) => {
    if (target.reader === null) ctx.skip();
    const reader = target.reader as Credentials;
    const dataDir = tempDir();
    const core = openCore({ dataDir });
    const profile = await core.saveProfile({
      name: 'Used',
      uri: uriFor(reader),
      password: reader.password,
    });
    await core.addMongoSource({
      name: 'lab-runs',
      profileId: profile.id,
      database: target.sacredDb,
      prefix: 'lab',
    });
    const refused = await failure(core.removeProfile({ id: profile.id }), 'INVALID_ARGUMENT');
    expect(refused.message).toContain('"lab-runs"');
    await core.removeSource({ name: 'lab-runs' });
    expect(await core.removeProfile({ id: profile.id })).toEqual({ removed: true });
  });
});

describe('testConnection', () => {
  it('reports the server version and the round trip of a ping', async (ctx) => {
    if (target.reader === null) ctx.skip();
    const reader = target.reader as Credentials;
    const core = openCore();
    const result = await core.testConnection({
      uri: uriFor(reader),
      password: reader.password,
      timeoutMs: 3000,
    });
    expect(result.serverVersion).toMatch(/^\d+\.\d+/u);
    expect(result.roundTripMs).toBeGreaterThanOrEqual(0);
    const profile = await core.saveProfile({
      name: 'R',
      uri: uriFor(reader, { withPassword: true }),
    });
    expect((await core.testConnection({ profileId: profile.id })).serverVersion).toBe(
      result.serverVersion,
    );
  });

  it(
    'names a refused port',
    async () => {
      const error = await failure(
        openCore().testConnection({ uri: `mongodb://127.0.0.1:${closedPort}/`, timeoutMs: 3000 }),
        'CONNECTION_FAILED',
      );
      expect(error.message).toBe(
        `Connection refused by 127.0.0.1:${closedPort} (is the server running and the port right?)`,
      );
    },
    FAILURE_TEST_TIMEOUT,
  );

  it(
    'names a host that does not resolve',
    async () => {
      const error = await failure(
        openCore().testConnection({
          fields: { hosts: ['nonexistent.invalid:27017'] },
          timeoutMs: 3000,
        }),
        'CONNECTION_FAILED',
      );
      expect(error.message).toBe('Host not found: nonexistent.invalid');
    },
    FAILURE_TEST_TIMEOUT,
  );

  it(
    'says a wrong password is a wrong password',
    async (ctx) => {
      if (target.reader === null) ctx.skip();
      const reader = target.reader as Credentials;
      const error = await failure(
        openCore().testConnection({
          uri: uriFor(reader),
          password: 'wrong-password',
          timeoutMs: 3000,
        }),
        'AUTH_FAILED',
      );
      expect(error.message).toBe(
        `Authentication failed for user "${reader.user}" (authSource admin): wrong user name or password`,
      );
    },
    FAILURE_TEST_TIMEOUT,
  );

  it(
    'times out on a server that accepts and never answers',
    async () => {
      const error = await failure(
        openCore().testConnection({ uri: `mongodb://127.0.0.1:${silentPort}/`, timeoutMs: 2000 }),
        'TIMEOUT',
      );
      expect(error.message).toBe(`No answer from 127.0.0.1:${silentPort} within 2 s`);
    },
    FAILURE_TEST_TIMEOUT,
  );

  it(
    'reports a TLS mismatch',
    async () => {
      const error = await failure(
        openCore().testConnection({
          fields: { hosts: [`127.0.0.1:${plainPort}`], tls: true },
          timeoutMs: 3000,
        }),
        'CONNECTION_FAILED',
      );
      expect(error.message).toMatch(
        new RegExp(`^TLS handshake with 127\\.0\\.0\\.1:${plainPort} failed: `, 'u'),
      );
    },
    FAILURE_TEST_TIMEOUT,
  );

  it(
    'asks for a password when a user is named and none is given',
    async () => {
      await failure(
        openCore().testConnection({
          uri: `mongodb://someone@127.0.0.1:${closedPort}/`,
          timeoutMs: 3000,
        }),
        'PASSWORD_REQUIRED',
      );
    },
    FAILURE_TEST_TIMEOUT,
  );

  it(
    'is cancelled by cancelOperation while it waits for a silent server',
    async () => {
      const core = openCore();
      const attempt = core.testConnection({
        uri: `mongodb://127.0.0.1:${silentPort}/`,
        timeoutMs: 60_000,
        operationId: 'test-1',
      });
      let cancelled = false;
      for (let i = 0; i < 100 && !cancelled; i++) {
        cancelled = (await core.cancelOperation({ operationId: 'test-1' })).cancelled;
        if (!cancelled) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(cancelled).toBe(true);
      await failure(attempt, 'CANCELLED');
      expect(await core.cancelOperation({ operationId: 'test-1' })).toEqual({ cancelled: false });
    },
    FAILURE_TEST_TIMEOUT,
  );

  it(
    'cancels a listDatabases that is still connecting',
    async () => {
      const core = openCore();
      const profile = await core.saveProfile({
        name: 'Silent',
        uri: `mongodb://127.0.0.1:${silentPort}/`,
      });
      const attempt = core.listDatabases({
        profileId: profile.id,
        timeoutMs: 60_000,
        operationId: 'list-1',
      });
      let cancelled = false;
      for (let i = 0; i < 100 && !cancelled; i++) {
        cancelled = (await core.cancelOperation({ operationId: 'list-1' })).cancelled;
        if (!cancelled) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(cancelled).toBe(true);
      await failure(attempt, 'CANCELLED');
    },
    FAILURE_TEST_TIMEOUT,
  );
});

describe('listDatabases', () => {
  it('marks the Sacred databases with their run counts and hides admin, config and local', async (ctx) => {
    if (target.reader === null) ctx.skip();
    const reader = target.reader as Credentials;
    const core = openCore();
    const profile = await core.saveProfile({
      name: 'Reader',
      uri: uriFor(reader),
      password: reader.password,
    });
    const list = await core.listDatabases({ profileId: profile.id, timeoutMs: 3000 });
    expect(list.complete).toBe(true);
    const names = list.databases.map((db) => db.name);
    expect(names).toEqual(
      expect.arrayContaining([target.sacredDb, target.otherDb, target.legacyDb]),
    );
    for (const hidden of ['admin', 'config', 'local']) expect(names).not.toContain(hidden);
    const byName = new Map(list.databases.map((db) => [db.name, db]));
    expect(byName.get(target.sacredDb)?.sacred).toEqual([
      { prefix: 'lab', runsCollection: 'lab_runs', runCount: 2 },
      { prefix: null, runsCollection: 'runs', runCount: 3 },
    ]);
    expect(byName.get(target.otherDb)?.sacred).toEqual([]);
    expect(byName.get(target.legacyDb)?.sacred).toEqual([
      { prefix: 'default', runsCollection: 'default.runs', runCount: 2 },
    ]);
  });

  it('lists the databases on Test connection, before any profile is saved', async (ctx) => {
    if (target.limited === null) ctx.skip();
    const limited = target.limited as Credentials;
    const core = openCore();
    const tested = await core.testConnection({
      uri: uriFor(limited),
      password: limited.password,
      timeoutMs: 3000,
    });
    expect(tested.databases).toEqual({
      complete: true,
      databases: [
        expect.objectContaining({
          name: target.sacredDb,
          sacred: [
            { prefix: 'lab', runsCollection: 'lab_runs', runCount: 2 },
            { prefix: null, runsCollection: 'runs', runCount: 3 },
          ],
        }),
      ],
    });
    expect(JSON.stringify(tested)).not.toContain(limited.password);
    expect(await core.listProfiles({})).toEqual([]);
  });

  it('shows a user only the databases it may read', async (ctx) => {
    if (target.limited === null) ctx.skip();
    const limited = target.limited as Credentials;
    const core = openCore();
    const profile = await core.saveProfile({
      name: 'Limited',
      uri: uriFor(limited),
      password: limited.password,
    });
    const list = await core.listDatabases({ profileId: profile.id, timeoutMs: 3000 });
    expect(list.databases.map((db) => db.name)).toEqual([target.sacredDb]);
    expect(list.databases[0]?.sacred.map((found) => found.runCount)).toEqual([2, 3]);
  });

  it('falls back to the URI database and authSource when listDatabases is not authorized', async (ctx) => {
    if (target.limited === null) ctx.skip();
    const limited = target.limited as Credentials;
    // Servers before 4.0.5 refuse listDatabases to users without the cluster-wide action.
    vi.spyOn(Admin.prototype, 'listDatabases').mockRejectedValue(
      new MongoServerError({
        ok: 0,
        code: 13,
        codeName: 'Unauthorized',
        errmsg: 'not authorized on admin to execute command { listDatabases: 1 }',
      }),
    );
    const core = openCore();
    const profile = await core.saveProfile({
      name: 'Limited',
      uri: uriFor(limited, { db: target.sacredDb }),
      password: limited.password,
    });
    const list = await core.listDatabases({ profileId: profile.id, timeoutMs: 3000 });
    expect(list).toEqual({
      complete: false,
      databases: [
        {
          name: target.sacredDb,
          sizeOnDisk: null,
          sacred: [
            { prefix: 'lab', runsCollection: 'lab_runs', runCount: 2 },
            { prefix: null, runsCollection: 'runs', runCount: 3 },
          ],
        },
      ],
    });
  });

  it('turns a forbidden command into FORBIDDEN naming the user and the command', async (ctx) => {
    if (target.limited === null) ctx.skip();
    const limited = target.limited as Credentials;
    const store = CacheStore.open(cacheFilePath(tempDir()));
    const service = createProfilesService({ store, secrets: new MemorySecretStore() });
    try {
      const profile = await service.saveProfile({
        name: 'Limited',
        uri: uriFor(limited),
        password: limited.password,
      });
      const client = await service.connections.client(profile.id, { timeoutMs: 3000 });
      const error = await client
        .db(target.sacredDb)
        .collection('runs')
        .insertOne({ status: 'nope' })
        .then(
          () => null,
          (e: unknown) => service.connections.classifyError(e, profile.id),
        );
      expect(error).toBeInstanceOf(AltarError);
      expect((error as AltarError).code).toBe('FORBIDDEN');
      expect((error as AltarError).message).toBe(
        `The user "${limited.user}" may not run insert on database "${target.sacredDb}"`,
      );
    } finally {
      await service.close();
      store.close();
    }
  });
});

describe('password hygiene', () => {
  it('never writes the password to the data dir, the cache or the console', async (ctx) => {
    if (target.admin === null) ctx.skip();
    const admin = target.admin as Credentials;
    const secret = PASSWORD;
    expect(admin.password === secret || process.env.ALTAR_TEST_MONGO_URI !== undefined).toBe(true);
    const printed: string[] = [];
    const capture = (...parts: unknown[]): void => {
      printed.push(
        parts
          .map((part) =>
            part instanceof Error ? `${part.message}\n${part.stack ?? ''}` : String(part),
          )
          .join(' '),
      );
    };
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      vi.spyOn(console, method).mockImplementation(capture);
    }
    const writeSpy = (chunk: unknown): boolean => {
      printed.push(
        typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'),
      );
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(writeSpy as typeof process.stdout.write);
    vi.spyOn(process.stderr, 'write').mockImplementation(writeSpy as typeof process.stderr.write);

    const dataDir = tempDir();
    // The desktop keystore, with a stand-in for the OS encryption.
    const keystore = createSecretStore({
      dataDir,
      safeStorage: fakeSafeStorage(),
      platform: 'darwin',
    });
    const core = openCore({ dataDir, secrets: keystore });
    const messages: string[] = [];
    const expectFailure = async (promise: Promise<unknown>, code: ErrorCode): Promise<void> => {
      messages.push((await failure(promise, code)).message);
    };

    const viaUri = await core.saveProfile({
      name: 'Via URI',
      uri: uriFor(admin, { db: target.sacredDb, withPassword: true }),
      rememberPassword: true,
    });
    const viaArgs = await core.saveProfile({
      name: 'Via args',
      fields: { hosts: target.base.hosts, user: admin.user, authSource: 'admin' },
      password: admin.password,
    });
    expect(viaUri.passwordStorage).toBe('keystore');
    expect(viaArgs.passwordStorage).toBe('memory');
    messages.push(JSON.stringify(await core.listProfiles({})));
    await core.testConnection({ profileId: viaUri.id, timeoutMs: 3000 });
    await core.testConnection({ profileId: viaArgs.id, timeoutMs: 3000 });
    messages.push(
      JSON.stringify(await core.listDatabases({ profileId: viaUri.id, timeoutMs: 3000 })),
    );
    messages.push(
      JSON.stringify(await core.listDatabases({ profileId: viaArgs.id, timeoutMs: 3000 })),
    );

    // A source read through the profile: synced runs, its location, its state.
    const source = await core.addMongoSource({
      name: 'hygiene',
      profileId: viaUri.id,
      database: target.sacredDb,
    });
    expect(source.runCount).toBe(3);
    messages.push(
      JSON.stringify(source),
      JSON.stringify(await core.listRuns({ source: 'hygiene' })),
    );

    // Failures that involve the password in every way a user can give it.
    const wrongUri = uriFor(
      { user: admin.user, password: `${secret}-not` },
      { withPassword: true },
    );
    await expectFailure(core.testConnection({ uri: wrongUri, timeoutMs: 3000 }), 'AUTH_FAILED');
    await expectFailure(
      core.testConnection({ uri: uriFor(admin), password: `x${secret}`, timeoutMs: 3000 }),
      'AUTH_FAILED',
    );
    const wrong = await core.saveProfile({ name: 'Wrong', uri: wrongUri, rememberPassword: true });
    await expectFailure(
      core.listDatabases({ profileId: wrong.id, timeoutMs: 3000 }),
      'AUTH_FAILED',
    );
    await expectFailure(
      core.addMongoSource({ name: 'wrong', profileId: wrong.id, database: target.sacredDb }),
      'AUTH_FAILED',
    );
    messages.push(JSON.stringify(await core.listSources({})));
    await expectFailure(
      core.testConnection({ uri: `mongodb://${admin.user}:${secret}@`, timeoutMs: 3000 }),
      'INVALID_ARGUMENT',
    );
    await expectFailure(
      core.testConnection({
        uri: `mongodb://${admin.user}:${secret}@127.0.0.1:${closedPort}/`,
        timeoutMs: 3000,
      }),
      'CONNECTION_FAILED',
    );
    await expectFailure(
      core.saveProfile({ name: 'Via URI', uri: uriFor(admin, { withPassword: true }) }),
      'ALREADY_EXISTS',
    );

    const forms = [secret, encodeURIComponent(secret)];
    const whileOpen = readTree(dataDir);
    await core.close();
    const afterClose = readTree(dataDir);
    expect(afterClose.some((file) => file.path.endsWith('secrets.json'))).toBe(true);
    expect(whileOpen.some((file) => file.path.endsWith('cache.sqlite-wal'))).toBe(true);
    for (const file of [...whileOpen, ...afterClose]) {
      for (const form of forms) {
        expect(file.bytes.includes(Buffer.from(form, 'utf8')), `${form} in ${file.path}`).toBe(
          false,
        );
        expect(
          file.bytes.includes(Buffer.from(form, 'utf16le')),
          `${form} (UTF-16) in ${file.path}`,
        ).toBe(false);
      }
    }
    for (const text of [...messages, ...printed]) {
      for (const form of forms) expect(text).not.toContain(form);
    }
    // The keystore still hands the remembered password back to the next start.
    const reopened = openCore({
      dataDir,
      secrets: createSecretStore({ dataDir, safeStorage: fakeSafeStorage(), platform: 'darwin' }),
    });
    expect(
      (await reopened.testConnection({ profileId: viaUri.id, timeoutMs: 3000 })).serverVersion,
    ).toMatch(/\d/u);
  });
});

/** Encrypts by XOR with a fixed key: enough to keep the plaintext out of the file. */
function fakeSafeStorage() {
  const key = 0x5a;
  const xor = (bytes: Buffer): Buffer => Buffer.from(bytes.map((byte) => byte ^ key));
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'keychain',
    encryptString: (plainText: string) => xor(Buffer.from(`v10${plainText}`, 'utf8')),
    decryptString: (encrypted: Buffer) => xor(encrypted).toString('utf8').slice(3),
  };
}

function readTree(dir: string): Array<{ path: string; bytes: Buffer }> {
  const files: Array<{ path: string; bytes: Buffer }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...readTree(path));
    else files.push({ path, bytes: readFileSync(path) });
  }
  return files;
}
