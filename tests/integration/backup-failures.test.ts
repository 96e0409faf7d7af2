// What a restore does when things go wrong (issue 17): a damaged dump (a .bson cut short), a
// dump without metadata.json (mongodump leaves it out for some collections), a target that
// cannot be reached, a wrong password, and a user who may no longer write. Each is a clear
// error of the user's kind, and no run is left half-restored.
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { rejection } from '../support/rejection';

let server: MongoTestServer;
let admin: MongoClient;
let core: AltarCore;
let root: string;
let dump: string;
let runs: number;
let adminProfile: string;

const hostUri = (user: string) => `mongodb://${user}@127.0.0.1:${server.port}/?authSource=admin`;

/** A source on a database of its own, writes on (the database may be new). */
async function target(name: string, profileId = adminProfile): Promise<void> {
  await core.addMongoSource({ name, profileId, database: name, allowEmpty: true });
  const writes = await core.setSourceWrites({ source: name, enabled: true });
  expect(writes.writable).toBe(true);
}

const runsIn = (db: string) => admin.db(db).collection('runs').countDocuments();

/** A copy of the dump to damage. */
function dumpCopy(name: string): string {
  const copy = join(root, name);
  cpSync(dump, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  server = await startMongoTestServer({
    users: [
      {
        user: 'admin',
        password: 'admin-pw',
        roles: [{ role: 'root', db: '*' }],
      },
      { user: 'member', password: 'member-pw', roles: [{ role: 'readWrite', db: '*' }] },
    ],
  });
  admin = await new MongoClient(mongoUriWithCredentials(server.uri, 'admin', 'admin-pw')).connect();
  runs = (await generateSacredMongo(admin.db('lab'), { runs: 6, seed: 9, variants: false })).ids
    .length;
  root = mkdtempSync(join(tmpdir(), 'altar-backup-fail-'));
  core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct' });
  adminProfile = (
    await core.saveProfile({ name: 'admin', uri: hostUri('admin'), password: 'admin-pw' })
  ).id;
  await core.addMongoSource({ name: 'lab', profileId: adminProfile, database: 'lab' });
  dump = join(root, 'dump');
  expect((await core.backup.exportSource({ source: 'lab', to: dump })).runs).toBe(runs);
}, 120_000);

afterAll(async () => {
  await core?.close();
  await admin?.close();
  await server?.close();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe('restore failures', () => {
  it('refuses a dump whose .bson was cut short, restoring no run', async () => {
    const cut = dumpCopy('cut');
    const metrics = join(cut, 'lab', 'metrics.bson');
    truncateSync(metrics, statSync(metrics).size - 7);
    await target('cut_target');
    const error = await rejection(core.backup.importDump({ from: cut, to: 'cut_target' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/damaged.*metrics\.bson ends in the middle of a document/u);
    expect(await runsIn('cut_target')).toBe(0);

    // The runs file cut short: refused before anything is written.
    const cutRuns = dumpCopy('cut-runs');
    const runsFile = join(cutRuns, 'lab', 'runs.bson');
    truncateSync(runsFile, statSync(runsFile).size - 3);
    const again = await rejection(core.backup.importDump({ from: cutRuns, to: 'cut_target' }));
    expect(again.code).toBe('INVALID_ARGUMENT');
    expect(await runsIn('cut_target')).toBe(0);
    expect(await admin.db('cut_target').collection('metrics').countDocuments()).toBe(0);

    // The whole dump afterwards restores every run, nothing twice.
    const whole = await core.backup.importDump({ from: dump, to: 'cut_target' });
    expect(whole.runsAdded).toBe(runs);
    expect(await admin.db('cut_target').collection('metrics').countDocuments()).toBe(
      await admin.db('lab').collection('metrics').countDocuments(),
    );
  }, 120_000);

  it('restores a dump without any metadata.json', async () => {
    const bare = dumpCopy('bare');
    for (const name of readdirSync(join(bare, 'lab'))) {
      if (name.endsWith('.metadata.json')) rmSync(join(bare, 'lab', name));
    }
    await target('bare_target');
    const summary = await core.backup.importDump({ from: bare, to: 'bare_target' });
    expect(summary.runsAdded).toBe(runs);
    expect(await runsIn('bare_target')).toBe(runs);
  }, 120_000);

  it('says a target with a wrong password cannot be logged in to, writing nothing', async () => {
    const profile = await core.saveProfile({
      name: 'member',
      uri: hostUri('member'),
      password: 'member-pw',
    });
    await target('pw_target', profile.id);
    await core.saveProfile({
      id: profile.id,
      name: 'member',
      uri: hostUri('member'),
      password: 'not-the-password',
    });
    const error = await rejection(core.backup.importDump({ from: dump, to: 'pw_target' }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).not.toContain('not-the-password');
    expect(await runsIn('pw_target')).toBe(0);
  }, 120_000);

  it('says a user who may no longer write cannot restore, and no run appears', async () => {
    await admin.db('admin').command({
      createUser: 'demoted',
      pwd: 'demoted-pw',
      roles: [{ role: 'readWrite', db: 'ro_target' }],
    });
    const profile = await core.saveProfile({
      name: 'demoted',
      uri: hostUri('demoted'),
      password: 'demoted-pw',
    });
    await target('ro_target', profile.id);
    // The lab admin takes the write role away after the source was set up.
    await admin.db('admin').command({
      revokeRolesFromUser: 'demoted',
      roles: [{ role: 'readWrite', db: 'ro_target' }],
    });
    await admin.db('admin').command({
      grantRolesToUser: 'demoted',
      roles: [{ role: 'read', db: 'ro_target' }],
    });
    const error = await rejection(core.backup.importDump({ from: dump, to: 'ro_target' }));
    expect(error.code).not.toBe('INTERNAL');
    expect(error.message).toMatch(/not authorized|permission|may not|cannot write|read-only/iu);
    expect(await runsIn('ro_target')).toBe(0);
  }, 120_000);

  it('says an unreachable target is out of reach', async () => {
    const far = await startMongoTestServer();
    try {
      const profile = await core.saveProfile({ name: 'far', uri: far.uri });
      await core.addMongoSource({
        name: 'far',
        profileId: profile.id,
        database: 'far',
        allowEmpty: true,
      });
      await core.setSourceWrites({ source: 'far', enabled: true });
    } finally {
      await far.close();
    }
    const error = await rejection(core.backup.importDump({ from: dump, to: 'far' }));
    expect(['CONNECTION_FAILED', 'SOURCE_UNAVAILABLE', 'TIMEOUT']).toContain(error.code);
  }, 120_000);
});
