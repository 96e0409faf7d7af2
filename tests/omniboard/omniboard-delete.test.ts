// Deleting runs, real Omniboard beside us (issue 15): a run Omniboard deleted disappears from
// our table after a sync; Omniboard's delete and ours leave the same collections behind (the
// run, its metrics and files gone, a source file another run names kept); a run we deleted is
// gone from Omniboard's list.
import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { collectionsState, seedLab } from '../integration/delete-runs-support';
import { startOmniboard } from './omniboard-process';
import type { OmniboardProcess } from './omniboard-process';

/** Omniboard deletes in OMNI, we delete in OURS: both seeded alike. */
const OMNI = 'lab_omni';
const OURS = 'lab_ours';
let mongo: MongoTestServer;
let writer: MongoClient;
let core: AltarCore;
let dataDir: string;
let omniboard: OmniboardProcess;

function databaseUri(database: string): string {
  return mongoUriWithCredentials(`${mongo.uri}/${database}`, 'lab', 'lab-pw');
}

const listedIds = async (source: string) =>
  (await core.listRuns({ source })).runs.map((run) => run.id).sort();

/** What a lab sees in the collections, in terms that do not depend on generated ids. */
async function leftOver(db: Db) {
  const state = await collectionsState(db);
  const files = await db.collection('fs.files').find({}).toArray();
  return {
    runIds: state.runIds,
    metricDocuments: await db.collection('metrics').countDocuments({}),
    files: files.map((file) => String(file.filename)).sort(),
    chunks: await db.collection('fs.chunks').countDocuments({}),
    orphanMetrics: state.orphanMetrics,
    orphanChunks: state.orphanChunks,
    filesWithoutChunks: state.filesWithoutChunks,
  };
}

beforeAll(async () => {
  mongo = await startMongoTestServer({
    users: [{ user: 'lab', password: 'lab-pw', roles: [{ role: 'readWrite', db: '*' }] }],
  });
  writer = new MongoClient(databaseUri('admin'));
  await writer.connect();
  await seedLab(writer.db(OMNI));
  await seedLab(writer.db(OURS));
  dataDir = mkdtempSync(join(tmpdir(), 'altar-omniboard-delete-'));
  core = createAltarCore({ dataDir, door: 'direct' });
  const profile = await core.saveProfile({ name: 'lab server', uri: databaseUri('admin') });
  for (const database of [OMNI, OURS]) {
    await core.addMongoSource({ name: database, profileId: profile.id, database });
  }
  await core.setSourceWrites({ source: OURS, enabled: true });
  omniboard = await startOmniboard([
    { key: OMNI, uri: databaseUri(OMNI) },
    { key: OURS, uri: databaseUri(OURS) },
  ]);
});

afterAll(async () => {
  await omniboard?.close();
  await core?.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  await writer?.close();
  await mongo?.close();
});

describe('deleting runs with Omniboard beside us', () => {
  it("leaves what Omniboard's delete leaves, and each side sees the other's delete", async () => {
    expect(await listedIds(OMNI)).toEqual(['1', '2', '3']);
    const statuses = await omniboard.api(OMNI).deleteRun(1);
    expect(statuses.every((status) => status >= 200 && status < 300)).toBe(true);
    await core.syncSources({ names: [OMNI] });
    expect(await listedIds(OMNI)).toEqual(['2', '3']);

    await core.deleteRuns({ source: OURS, ids: ['1'] });
    const theirs = await leftOver(writer.db(OMNI));
    const ours = await leftOver(writer.db(OURS));
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({
      runIds: [2, 3],
      files: ['exp/shared.py'],
      orphanMetrics: 0,
      orphanChunks: 0,
      filesWithoutChunks: 0,
    });

    // Omniboard's run list no longer has the run we deleted.
    expect(await omniboard.api(OURS).count()).toBe(2);
  });
});
