// The MongoDB test server's user management (createUser, updateUser, dropUser, usersInfo,
// grantRolesToUser, revokeRolesFromUser) through the official driver, with mongod's answers;
// a user created this way logs in with the roles given, as issue 17's lab users need.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { rejection } from '../support/rejection';

const mongoFailure = (promise: Promise<unknown>) => rejection(promise, MongoServerError);

let server: MongoTestServer;
const clients: MongoClient[] = [];

function connect(user: string, password: string, authSource = 'admin'): MongoClient {
  const uri = mongoUriWithCredentials(server.uri, user, password, authSource);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  clients.push(client);
  return client;
}

const admin = (): ReturnType<MongoClient['db']> => connect('root', 'root-secret').db('admin');

beforeAll(async () => {
  server = await startMongoTestServer({
    users: [
      { user: 'root', password: 'root-secret', roles: [{ role: 'root', db: '*' }] },
      { user: 'reader', password: 'r-secret', roles: [{ role: 'read', db: 'sacred' }] },
      { user: 'lab-admin', password: 'a-secret', roles: [{ role: 'userAdmin', db: 'lab' }] },
    ],
  });
  await admin()
    .client.db('sacred')
    .collection('runs')
    .insertOne({ _id: 1 } as never);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await server?.close();
});

describe('a user created by root', () => {
  it('logs in with the roles given: reader reads and cannot write, writer does both', async () => {
    await admin().command({
      createUser: 'ada',
      pwd: 'ada-pw',
      roles: [{ role: 'read', db: 'sacred' }],
    });
    await admin().command({
      createUser: 'bob',
      pwd: 'bob-pw',
      roles: [{ role: 'readWrite', db: 'sacred' }],
    });
    const ada = connect('ada', 'ada-pw').db('sacred').collection('runs');
    expect(await ada.countDocuments({})).toBe(1);
    const refused = await mongoFailure(ada.insertOne({ _id: 2 } as never));
    expect(refused.codeName).toBe('Unauthorized');
    const bob = connect('bob', 'bob-pw').db('sacred').collection('runs');
    await bob.insertOne({ _id: 3 } as never);
    expect(await bob.countDocuments({})).toBe(2);
    await bob.deleteOne({ _id: 3 } as never);
    // Their roles are on sacred only.
    const elsewhere = await mongoFailure(
      connect('bob', 'bob-pw').db('other').collection('x').insertOne({}),
    );
    expect(elsewhere.code).toBe(13);
    const wrong = await connect('ada', 'not-it')
      .connect()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(String(wrong)).toMatch(/Authentication failed/);
  });

  it('is listed by usersInfo as mongod lists it, never with a password', async () => {
    await admin().command({ createUser: 'cy', pwd: 'cy-pw', roles: ['readAnyDatabase'] });
    const reply = await admin().command({ usersInfo: 'cy' });
    expect(reply.users).toHaveLength(1);
    const [user] = reply.users as Record<string, unknown>[];
    expect(user).toMatchObject({
      _id: 'admin.cy',
      user: 'cy',
      db: 'admin',
      roles: [{ role: 'readAnyDatabase', db: 'admin' }],
      mechanisms: ['SCRAM-SHA-1', 'SCRAM-SHA-256'],
    });
    expect(user?.userId).toBeDefined();
    expect(JSON.stringify(reply)).not.toContain('cy-pw');
    const all = await admin().command({ usersInfo: 1 });
    const names = (all.users as { user: string }[]).map((entry) => entry.user);
    expect(names).toEqual(expect.arrayContaining(['root', 'reader', 'cy']));
    const everywhere = await admin().command({ usersInfo: { forAllDBs: true } });
    expect((everywhere.users as unknown[]).length).toBeGreaterThanOrEqual(names.length);
  });

  it('gets a new password with updateUser: the old one no longer logs in', async () => {
    await admin().command({
      createUser: 'dee',
      pwd: 'old-pw',
      roles: [{ role: 'read', db: 'sacred' }],
    });
    await admin().command({ updateUser: 'dee', pwd: 'new-pw' });
    expect(await connect('dee', 'new-pw').db('sacred').collection('runs').countDocuments({})).toBe(
      1,
    );
    const old = await connect('dee', 'old-pw')
      .connect()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(String(old)).toMatch(/Authentication failed/);
    // SCRAM-SHA-1 (Omniboard's authMechanism) follows the change too.
    const sha1 = new MongoClient(
      `${mongoUriWithCredentials(server.uri, 'dee', 'new-pw')}&authMechanism=SCRAM-SHA-1`,
      { serverSelectionTimeoutMS: 3000 },
    );
    clients.push(sha1);
    expect(await sha1.db('sacred').collection('runs').countDocuments({})).toBe(1);
  });

  it('gains and loses rights with grantRolesToUser / revokeRolesFromUser on a live connection', async () => {
    await admin().command({
      createUser: 'eve',
      pwd: 'eve-pw',
      roles: [{ role: 'read', db: 'sacred' }],
    });
    const eve = connect('eve', 'eve-pw').db('sacred').collection('runs');
    expect((await mongoFailure(eve.insertOne({ _id: 10 } as never))).code).toBe(13);
    await admin().command({
      grantRolesToUser: 'eve',
      roles: [{ role: 'readWrite', db: 'sacred' }],
    });
    await eve.insertOne({ _id: 10 } as never);
    await admin().command({
      revokeRolesFromUser: 'eve',
      roles: [{ role: 'readWrite', db: 'sacred' }],
    });
    expect((await mongoFailure(eve.deleteOne({ _id: 10 } as never))).code).toBe(13);
    const info = await admin().command({ usersInfo: 'eve' });
    expect(info.users[0].roles).toEqual([{ role: 'read', db: 'sacred' }]);
    await admin()
      .client.db('sacred')
      .collection('runs')
      .deleteOne({ _id: 10 } as never);
  });

  it('is gone after dropUser, even for a connection already logged in', async () => {
    await admin().command({
      createUser: 'fay',
      pwd: 'fay-pw',
      roles: [{ role: 'read', db: 'sacred' }],
    });
    const fay = connect('fay', 'fay-pw').db('sacred').collection('runs');
    expect(await fay.countDocuments({})).toBe(1);
    await admin().command({ dropUser: 'fay' });
    expect((await mongoFailure(fay.countDocuments({}))).code).toBe(13);
    expect((await admin().command({ usersInfo: 'fay' })).users).toEqual([]);
  });
});

describe("mongod's refusals", () => {
  it('refuses a second user of the same name (51003)', async () => {
    await admin().command({ createUser: 'gus', pwd: 'x', roles: [] });
    const twice = await mongoFailure(admin().command({ createUser: 'gus', pwd: 'y', roles: [] }));
    expect(twice.code).toBe(51003);
    expect(twice.message).toBe('User "gus@admin" already exists');
  });

  it('says which user or role is unknown (11, 31)', async () => {
    const missing = await mongoFailure(admin().command({ updateUser: 'nobody', pwd: 'x' }));
    expect(missing.code).toBe(11);
    expect(missing.codeName).toBe('UserNotFound');
    expect((await mongoFailure(admin().command({ dropUser: 'nobody' }))).code).toBe(11);
    const role = await mongoFailure(
      admin().command({
        createUser: 'hal',
        pwd: 'x',
        roles: [{ role: 'superuser', db: 'sacred' }],
      }),
    );
    expect(role.code).toBe(31);
    expect(role.message).toBe('Could not find role: superuser@sacred');
    expect((await admin().command({ usersInfo: 'hal' })).users).toEqual([]);
  });

  it('refuses user management to a reader, and lets a userAdmin manage only its database', async () => {
    const reader = connect('reader', 'r-secret').db('admin');
    const refused = await mongoFailure(
      reader.command({ createUser: 'ivy', pwd: 'x', roles: [{ role: 'read', db: 'sacred' }] }),
    );
    expect(refused.code).toBe(13);
    // Everyone may look at themselves, not at others.
    expect((await reader.command({ usersInfo: 'reader' })).users).toHaveLength(1);
    expect((await mongoFailure(reader.command({ usersInfo: 1 }))).code).toBe(13);

    const labAdmin = connect('lab-admin', 'a-secret');
    await labAdmin.db('lab').command({ createUser: 'jo', pwd: 'jo-pw', roles: ['read'] });
    expect((await labAdmin.db('lab').command({ usersInfo: 1 })).users).toHaveLength(1);
    const outside = await mongoFailure(
      labAdmin.db('lab').command({
        createUser: 'kim',
        pwd: 'x',
        roles: [{ role: 'readWrite', db: 'sacred' }],
      }),
    );
    expect(outside.code).toBe(13);
    // A user defined in lab logs in with authSource=lab.
    expect(await connect('jo', 'jo-pw', 'lab').db('lab').collection('c').countDocuments({})).toBe(
      0,
    );
  });
});

describe('npm run mongo-test-server -- --root-user', () => {
  it('starts with a root user who can create lab members', async () => {
    const repoRoot = path.resolve(__dirname, '../..');
    const child = execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'tests/support/mongo-test-server/cli.ts'),
        '--port',
        '0',
        '--root-user',
        'admin',
        '--root-password',
        'changeme123',
      ],
      { cwd: repoRoot },
    );
    try {
      let output = '';
      while (!output.includes('\n')) {
        const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
        output += chunk.toString();
      }
      const uri = /listening on (\S+)/.exec(output)?.[1];
      expect(uri).toBeDefined();
      const root = new MongoClient(mongoUriWithCredentials(uri!, 'admin', 'changeme123'), {
        serverSelectionTimeoutMS: 3000,
      });
      clients.push(root);
      await root.db('admin').command({
        createUser: 'member',
        pwd: 'm-pw',
        roles: [{ role: 'readWrite', db: 'sacred' }],
      });
      const member = new MongoClient(mongoUriWithCredentials(uri!, 'member', 'm-pw'), {
        serverSelectionTimeoutMS: 3000,
      });
      clients.push(member);
      await member
        .db('sacred')
        .collection('runs')
        .insertOne({ _id: 1 } as never);
      expect(await member.db('sacred').collection('runs').countDocuments({})).toBe(1);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
