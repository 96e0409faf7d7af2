// SCRAM-SHA-256 authentication and read/readWrite roles of the MongoDB test server.
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { rejection } from '../support/rejection';

const mongoFailure = (promise: Promise<unknown>) => rejection(promise, MongoServerError);

let server: MongoTestServer;
const clients: MongoClient[] = [];

function connect(user?: string, password?: string, authSource = 'admin'): MongoClient {
  const uri =
    user === undefined
      ? server.uri
      : mongoUriWithCredentials(server.uri, user, password ?? '', authSource);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startMongoTestServer({
    users: [
      { user: 'writer', password: 'w-secret', roles: [{ role: 'readWrite', db: '*' }] },
      { user: 'reader', password: 'r-secret', roles: [{ role: 'read', db: '*' }] },
      { user: 'runs-only', password: 'o-secret', roles: [{ role: 'readWrite', db: 'runs' }] },
    ],
  });
  const writer = connect('writer', 'w-secret');
  await writer
    .db('runs')
    .collection('runs')
    .insertOne({ _id: 1, status: 'COMPLETED' } as never);
  await writer.db('other').collection('things').insertOne({ thing: true });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await server?.close();
});

describe('authentication', () => {
  it('lets a user with the right password read and write', async () => {
    const client = connect('writer', 'w-secret');
    const runs = client.db('runs').collection('runs');
    await runs.insertOne({ _id: 2, status: 'RUNNING' } as never);
    expect(await runs.countDocuments({})).toBe(2);
    const status = await client.db('admin').command({ connectionStatus: 1 });
    expect(status.authInfo.authenticatedUsers).toEqual([{ user: 'writer', db: 'admin' }]);
    await runs.deleteOne({ _id: 2 } as never);
  });

  it('rejects a wrong password with code 18 AuthenticationFailed', async () => {
    const error = await mongoFailure(connect('writer', 'wrong').connect());
    expect(error.code).toBe(18);
    expect(error.codeName).toBe('AuthenticationFailed');
    expect(error.message).toBe('Authentication failed.');
  });

  it('rejects an unknown user and a user looked up in the wrong database', async () => {
    expect((await mongoFailure(connect('nobody', 'x').connect())).code).toBe(18);
    expect((await mongoFailure(connect('writer', 'w-secret', 'runs').connect())).code).toBe(18);
  });

  it('accepts SCRAM-SHA-1 asked by name (as AltarDocker starts Omniboard) and checks its proof', async () => {
    const sha1 = (password: string): MongoClient => {
      const client = new MongoClient(
        `${mongoUriWithCredentials(server.uri, 'writer', password)}&authMechanism=SCRAM-SHA-1`,
        { serverSelectionTimeoutMS: 3000 },
      );
      clients.push(client);
      return client;
    };
    const client = sha1('w-secret');
    expect(
      await client
        .db('runs')
        .collection('runs')
        .findOne({ _id: 1 } as never),
    ).toMatchObject({
      status: 'COMPLETED',
    });
    const status = await client.db('admin').command({ connectionStatus: 1 });
    expect(status.authInfo.authenticatedUsers).toEqual([{ user: 'writer', db: 'admin' }]);
    const error = await mongoFailure(sha1('w-secreT').connect());
    expect([error.code, error.codeName]).toEqual([18, 'AuthenticationFailed']);
  });

  it('refuses commands without credentials but still answers ping', async () => {
    const client = connect();
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    const error = await mongoFailure(client.db('runs').collection('runs').findOne({}));
    expect(error.code).toBe(13);
    expect(error.message).toBe('command find requires authentication');
  });
});

describe('roles', () => {
  it('lets a read user find but not insert, update or delete', async () => {
    const runs = connect('reader', 'r-secret').db('runs').collection('runs');
    expect(await runs.findOne({ _id: 1 } as never)).toMatchObject({ status: 'COMPLETED' });
    const insert = await mongoFailure(runs.insertOne({ _id: 3 } as never));
    expect(insert.code).toBe(13);
    expect(insert.message).toMatch(/^not authorized on runs to execute command/u);
    expect((await mongoFailure(runs.updateOne({ _id: 1 } as never, { $set: { x: 1 } }))).code).toBe(
      13,
    );
    expect((await mongoFailure(runs.deleteMany({}))).code).toBe(13);
  });

  it('confines a single-database user to its database', async () => {
    const client = connect('runs-only', 'o-secret');
    await client.db('runs').collection('scratch').insertOne({ ok: true });
    expect((await mongoFailure(client.db('other').collection('things').findOne({}))).code).toBe(13);
  });

  it('refuses listDatabases to a user without the privilege, unless authorizedDatabases is set', async () => {
    const restricted = connect('runs-only', 'o-secret').db('admin').admin();
    expect((await mongoFailure(restricted.listDatabases())).code).toBe(13);
    const own = await restricted.listDatabases({ authorizedDatabases: true, nameOnly: true });
    expect(own.databases.map((db) => db.name)).toEqual(['runs']);
    const everything = await connect('reader', 'r-secret').db('admin').admin().listDatabases();
    expect(everything.databases.map((db) => db.name)).toEqual(
      expect.arrayContaining(['runs', 'other']),
    );
  });
});
