// A lab MongoDB run as a replica set: a source added from a seed list syncs and browses, keeps
// working when the primary steps down (the writers follow the new primary, and so do the
// app's reads), and a profile asking for readPreference=secondaryPreferred reads from a
// secondary. The test server's replica-set mode itself (hello, the secondaries' refusals) is
// checked first, since everything else rests on it.
import { MongoClient, MongoServerError } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AltarCore } from '../../main/core/altar-core';
import { RawMongoClient } from '../support/mongo-raw-client';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import type { GeneratedSacredMongo } from '../support/sacred-mongo-generator';
import { TempDirs, expectBrowsable, openCore, seedSacredRuns } from './lab-source-support';
import { REAL_MONGO_URI } from './mongo-sync-support';

const SET = 'lab-rs0';

/** Commands of these names each member answered, summed. */
function answered(server: MongoTestServer, names: string[]): number[] {
  return server
    .commandCounts()
    .map((counts) => names.reduce((sum, name) => sum + (counts[name] ?? 0), 0));
}

function minus(after: number[], before: number[]): number[] {
  return after.map((value, index) => value - (before[index] ?? 0));
}

describe.skipIf(REAL_MONGO_URI !== null)('a MongoDB source on a replica set', () => {
  const dirs = new TempDirs();
  let server: MongoTestServer;
  let generated: GeneratedSacredMongo;
  let writer: MongoClient;
  let core: AltarCore;

  beforeAll(async () => {
    server = await startMongoTestServer({ replicaSet: { name: SET, members: 3 } });
    generated = await seedSacredRuns(server.uri, 'lab', 6);
    writer = await new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 }).connect();
    core = openCore(dirs);
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await writer?.close();
    await server?.close();
    dirs.cleanup();
  });

  describe('the test server as a replica set', () => {
    const direct = async <T>(member: number, work: (client: MongoClient) => Promise<T>) => {
      const port = server.replicaSet?.ports[member] ?? 0;
      const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
        serverSelectionTimeoutMS: 3000,
      });
      try {
        return await work(client);
      } finally {
        await client.close();
      }
    };

    it('describes each member in hello as mongod does', async () => {
      const hosts = server.replicaSet?.hosts ?? [];
      expect(hosts).toHaveLength(3);
      const hellos = await Promise.all(
        [0, 1, 2].map((member) => direct(member, (c) => c.db('admin').command({ hello: 1 }))),
      );
      const primary = server.replicaSet?.primary ?? -1;
      hellos.forEach((hello: Document, member) => {
        expect(hello).toMatchObject({
          setName: SET,
          hosts,
          primary: hosts[primary],
          me: hosts[member],
          isWritablePrimary: member === primary,
          secondary: member !== primary,
        });
      });
      expect(hellos[primary]?.electionId).toBeDefined();
    });

    it('refuses writes on a secondary with NotWritablePrimary, reads only when a secondary is allowed', async () => {
      const secondary = ((server.replicaSet?.primary ?? 0) + 1) % 3;
      const write = await direct(secondary, (c) =>
        c
          .db('lab')
          .command({ insert: 'scratch', documents: [{ x: 1 }] })
          .then(
            () => null,
            (error: unknown) => error,
          ),
      );
      expect(write).toBeInstanceOf(MongoServerError);
      expect((write as MongoServerError).code).toBe(10107);
      // Drivers always let a direct connection read from a secondary; a bare client does not.
      const raw = await RawMongoClient.connect(server.replicaSet?.ports[secondary] ?? 0);
      try {
        const refused = await raw.command({ find: 'runs', filter: {}, $db: 'lab' });
        expect([Number(refused.code), refused.codeName]).toEqual([
          13435,
          'NotPrimaryNoSecondaryOk',
        ]);
        const allowed = await raw.command({
          find: 'runs',
          filter: {},
          $readPreference: { mode: 'secondaryPreferred' },
          $db: 'lab',
        });
        expect(Number(allowed.ok)).toBe(1);
      } finally {
        raw.close();
      }
      // A read that allows a secondary (as every driver's read on a direct connection does).
      const runs = await direct(secondary, (c) =>
        c.db('lab').collection('runs').countDocuments({}, { readPreference: 'secondary' }),
      );
      expect(runs).toBe(generated.ids.length);
    });
  });

  it('adds, syncs and browses a source whose profile lists the seed hosts and the set', async () => {
    const hosts = server.replicaSet?.hosts ?? [];
    const profile = await core.saveProfile({
      name: 'lab replica set',
      fields: { hosts: hosts.slice(0, 2), replicaSet: SET },
    });
    expect(profile.fields).toMatchObject({ hosts: hosts.slice(0, 2), replicaSet: SET });
    const test = await core.testConnection({ profileId: profile.id, timeoutMs: 5000 });
    expect(test.serverVersion).toMatch(/^7\.0/u);
    const source = await core.addMongoSource({
      name: 'rs-lab',
      profileId: profile.id,
      database: 'lab',
    });
    expect(source).toMatchObject({ lastError: null, runCount: generated.ids.length });
    await expectBrowsable(core, 'rs-lab', generated);
  }, 30_000);

  it('follows a primary change: new runs are written to the new primary and read from it', async () => {
    const control = server.replicaSet;
    if (control === null) throw new Error('no replica set');
    // Its own database and source: the other tests keep reading `lab` unchanged.
    const own = await seedSacredRuns(server.uri, 'stepdown', 4);
    const profile = await core.saveProfile({
      name: 'lab replica set, stepdown',
      fields: { hosts: control.hosts, replicaSet: SET },
    });
    await core.addMongoSource({ name: 'rs-stepdown', profileId: profile.id, database: 'stepdown' });
    const oldPrimary = control.primary;
    control.stepDown();
    const newPrimary = control.primary;
    expect(newPrimary).not.toBe(oldPrimary);

    // A Sacred observer's next run: the write needs a primary, so the driver must find it.
    const runs = writer.db('stepdown').collection('runs');
    const template = await runs.findOne({ _id: own.ids[0] } as Document);
    const newId = Math.max(...own.ids.map(Number)) + 1;
    const writesBefore = answered(server, ['insert']);
    await runs.insertOne({ ...template, _id: newId } as Document);
    const writes = minus(answered(server, ['insert']), writesBefore);
    expect(writes[newPrimary]).toBe(1);

    const [summary] = await core.syncSources({ names: ['rs-stepdown'] });
    expect(summary).toMatchObject({ source: 'rs-stepdown', added: 1 });
    const list = await core.listRuns({ source: 'rs-stepdown' });
    expect(list.total).toBe(own.ids.length + 1);
    expect(list.runs.some((run) => run.id === String(newId))).toBe(true);
    // primaryPreferred: once the driver's monitor has heard of the change (a sync started at
    // the moment of the stepdown may still use the old member, now a secondary holding the
    // same data), the app reads from the new primary only.
    await vi.waitFor(
      async () => {
        const readsBefore = answered(server, ['find', 'aggregate']);
        await core.syncSources({ names: ['rs-stepdown'] });
        const reads = minus(answered(server, ['find', 'aggregate']), readsBefore);
        expect(reads[newPrimary]).toBeGreaterThan(0);
        expect(reads[oldPrimary]).toBe(0);
      },
      { timeout: 15_000, interval: 200 },
    );
  }, 30_000);

  it('reads from a secondary when the profile asks for readPreference=secondaryPreferred', async () => {
    const control = server.replicaSet;
    if (control === null) throw new Error('no replica set');
    const profile = await core.saveProfile({
      name: 'lab replica set, secondaries',
      uri: `mongodb://${control.hosts.join(',')}/?replicaSet=${SET}&readPreference=secondaryPreferred`,
    });
    const readsBefore = answered(server, ['find', 'aggregate']);
    const source = await core.addMongoSource({
      name: 'rs-secondary',
      profileId: profile.id,
      database: 'lab',
    });
    expect(source).toMatchObject({ lastError: null, runCount: generated.ids.length });
    const reads = minus(answered(server, ['find', 'aggregate']), readsBefore);
    expect(reads[control.primary]).toBe(0);
    expect(reads.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  }, 30_000);
});
