// Writes made with real Omniboard's editors (tags, notes) land where our reader finds them:
// after a sync the run shows Omniboard's tags and notes, and nothing else of the run changed.
import { EJSON } from 'bson';
import { MongoClient } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { startOmniboard } from './omniboard-process';
import type { OmniboardProcess } from './omniboard-process';
import { seedOmniboardLab } from './omniboard-seed';
import type { OmniboardLab } from './omniboard-seed';

const LAB = 'lab';
let mongo: MongoTestServer;
let writer: MongoClient;
let lab: OmniboardLab;
let core: AltarCore;
let dataDir: string;
let omniboard: OmniboardProcess;

function databaseUri(database: string, password = 'lab-pw'): string {
  return mongoUriWithCredentials(`${mongo.uri}/${database}`, 'lab', password);
}

/** The stored run as canonical Extended JSON, types included. */
async function storedRun(id: number): Promise<Record<string, unknown>> {
  const doc = await writer.db(LAB).collection<{ _id: number }>('runs').findOne({ _id: id });
  if (doc === null) throw new Error(`run ${id} is not stored`);
  return EJSON.serialize(doc, { relaxed: false });
}

beforeAll(async () => {
  mongo = await startMongoTestServer({
    users: [{ user: 'lab', password: 'lab-pw', roles: [{ role: 'readWrite', db: '*' }] }],
  });
  writer = new MongoClient(databaseUri('admin'));
  await writer.connect();
  lab = await seedOmniboardLab(writer.db(LAB), { runs: 10, seed: 21, now: Date.now() });
  dataDir = mkdtempSync(join(tmpdir(), 'altar-omniboard-write-'));
  core = createAltarCore({ dataDir, door: 'direct' });
  const profile = await core.saveProfile({ name: 'lab server', uri: databaseUri('admin') });
  await core.addMongoSource({ name: LAB, profileId: profile.id, database: LAB });
  omniboard = await startOmniboard([{ key: LAB, uri: databaseUri(LAB) }]);
});

afterAll(async () => {
  await omniboard?.close();
  await core?.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  await writer?.close();
  await mongo?.close();
});

describe("Omniboard's tag and note editors", () => {
  it('write omniboard.tags and omniboard.notes that our reader shows after a sync, nothing else changed', async () => {
    const api = omniboard.api(LAB);
    const [fresh, tagged] = [lab.commented, [...lab.annotated.keys()][0]];
    if (tagged === undefined) throw new Error('no annotated run');
    const before = await storedRun(fresh);
    expect((await core.getRun({ source: LAB, id: String(fresh) })).tags).toEqual([]);

    const answer = await api.setTags(fresh, ['omni-a', 'omni b']);
    expect(answer.omniboard).toEqual({ tags: ['omni-a', 'omni b'] });
    await api.setNotes(fresh, 'written in Omniboard — « ünïcode »');
    await api.setTags(tagged, []);

    // $set of the two paths only: config, meta (with its comment) and the rest stay as stored.
    const after = await storedRun(fresh);
    expect(after.omniboard).toEqual({
      tags: ['omni-a', 'omni b'],
      notes: 'written in Omniboard — « ünïcode »',
    });
    const { omniboard: _before, ...restBefore } = before;
    const { omniboard: _after, ...restAfter } = after;
    expect(restAfter).toEqual(restBefore);

    // A sync sees the two runs changed (live RUNNING runs are re-read besides).
    const [summary] = await core.syncSources({ names: [LAB] });
    expect(summary?.updated).toBeGreaterThanOrEqual(2);
    const run = await core.getRun({ source: LAB, id: String(fresh) });
    expect(run.tags).toEqual(['omni-a', 'omni b']);
    // Omniboard's notes win over the Sacred comment (meta.comment) it replaced in its UI.
    expect(run.comment).toBe('written in Omniboard — « ünïcode »');
    expect(run.meta).toMatchObject({ comment: 'run from the old script' });
    expect((await core.getRun({ source: LAB, id: String(tagged) })).tags).toEqual([]);
    // And Omniboard's tag list offers the new tags.
    expect(await api.distinct('omniboard.tags')).toEqual(
      expect.arrayContaining(['omni-a', 'omni b']),
    );
  });
});

describe('the Omniboard harness', () => {
  it('fails with what Omniboard printed when it cannot log in', async () => {
    await expect(
      startOmniboard([{ key: 'denied', uri: databaseUri(LAB, 'wrong-pw') }]),
    ).rejects.toThrow(/could not connect to MongoDB[\s\S]*Authentication failed/u);
  });
});
