// Tags and notes of MongoDB runs (issue 15): read-only until the user turns writes on, a `read`
// user told so by the server's privileges, Omniboard's exact `$set` (config and meta untouched),
// the cache showing the edit at once (filters, search, export), edits made while the server is
// stopped kept pending and written at the next sync, and a change made on the server meanwhile
// turned into a conflict the user settles, never overwritten silently. Tests run shuffled: each
// edits runs of its own, and one that stops the server starts it again before it ends.
import { EJSON } from 'bson';
import { MongoClient } from 'mongodb';
import type { Collection, Document } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import type { TestUser } from '../support/mongo-test-server/test-users';
import { REAL_MONGO_URI } from './mongo-sync-support';
import { rejection } from '../support/rejection';

const USERS: TestUser[] = [
  { user: 'admin', password: 'admin-pw', roles: [{ role: 'readWrite', db: '*' }] },
  { user: 'reader', password: 'reader-pw', roles: [{ role: 'read', db: 'lab' }] },
];
const START = Date.parse('2026-11-20T10:00:00Z');

/** A finished Sacred run as the MongoObserver stores it, tagged and commented the Sacred way. */
function sacredRun(id: number, extra: Document = {}): Document {
  return {
    _id: id,
    experiment: { name: 'mnist', base_dir: '/lab', sources: [], dependencies: [] },
    format: 'MongoObserver-0.7.0',
    command: 'main',
    host: { hostname: 'gpu1' },
    start_time: new Date(START + id * 60_000),
    meta: { command: 'main', options: {}, comment: `sacred comment ${id}` },
    status: 'COMPLETED',
    resources: [],
    artifacts: [],
    captured_out: '',
    info: {},
    heartbeat: new Date(START + id * 60_000 + 30_000),
    config: { lr: 0.1 * id, seed: id, tags: ['from-config'] },
    stop_time: new Date(START + id * 60_000 + 30_000),
    result: id,
    ...extra,
  };
}

describe.skipIf(REAL_MONGO_URI !== null)('tags and notes of a MongoDB source', () => {
  let server: MongoTestServer;
  let core: AltarCore;
  let dataDir: string;
  let port: number;
  /** The stored documents, kept across a server restart (the test server is in memory). */
  let stored: Document[] = [];

  const adminUri = (): string => mongoUriWithCredentials(server.uri, 'admin', 'admin-pw');
  const withLab = async <T>(work: (runs: Collection) => Promise<T>) => {
    const client = new MongoClient(adminUri());
    try {
      await client.connect();
      return await work(client.db('lab').collection('runs'));
    } finally {
      await client.close();
    }
  };
  const storedRun = (id: number) =>
    withLab(async (runs) => {
      const doc = await runs.findOne({ _id: id } as Document);
      if (doc === null) throw new Error(`run ${id} is not stored`);
      return EJSON.serialize(doc, { relaxed: false });
    });
  const stopServer = async (): Promise<void> => {
    stored = await withLab((runs) => runs.find({}).toArray());
    await server.close();
  };
  /** The same server again, on the port the OS gave it, with the documents it had. */
  const restartServer = async (changes: (docs: Document[]) => void = () => {}): Promise<void> => {
    server = await startMongoTestServer({ port, users: USERS });
    changes(stored);
    await withLab((runs) => runs.insertMany(stored));
  };
  /** Stops the server for the rest of the test; it is started again when the test ends. */
  const stopServerForTest = async (): Promise<{ restart: typeof restartServer }> => {
    await stopServer();
    let restarted = false;
    onTestFinished(async () => {
      if (!restarted) await restartServer();
    });
    return {
      restart: async (changes) => {
        restarted = true;
        await restartServer(changes);
      },
    };
  };
  const ids = async (where: string): Promise<string[]> =>
    (await core.queryRuns({ sources: ['lab'], where, columns: [] })).rows.map((row) => row.id);

  beforeAll(async () => {
    server = await startMongoTestServer({ users: USERS });
    port = server.port;
    await withLab((runs) =>
      runs.insertMany([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => sacredRun(id))),
    );
    dataDir = mkdtempSync(join(tmpdir(), 'altar-writes-mongo-'));
    core = createAltarCore({ dataDir, door: 'direct', now: () => Date.now() });
    const admin = await core.saveProfile({
      name: 'lab admin',
      uri: `mongodb://admin@127.0.0.1:${port}/?authSource=admin`,
      password: 'admin-pw',
    });
    const reader = await core.saveProfile({
      name: 'lab reader',
      uri: `mongodb://reader@127.0.0.1:${port}/lab?authSource=admin`,
      password: 'reader-pw',
    });
    await core.addMongoSource({ name: 'lab', profileId: admin.id, database: 'lab' });
    await core.addMongoSource({ name: 'lab-ro', profileId: reader.id, database: 'lab' });
    await core.addMongoSource({ name: 'lab-closed', profileId: admin.id, database: 'lab' });
    await core.addMongoSource({ name: 'lab-off', profileId: admin.id, database: 'lab' });
    expect(await core.setSourceWrites({ source: 'lab', enabled: true })).toEqual({
      source: 'lab',
      writable: true,
      userCanWrite: true,
      message: null,
    });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    await server?.close();
  });

  it('is read-only until writes are turned on, and says how to turn them on', async () => {
    const sources = await core.listSources({});
    expect(sources.find((source) => source.name === 'lab-closed')?.writable).toBe(false);
    expect(sources.find((source) => source.name === 'lab')?.writable).toBe(true);
    const refused = await rejection(
      core.setTags({ source: 'lab-closed', ids: ['10'], add: ['closed'] }),
    );
    expect(refused.code).toBe('READ_ONLY');
    expect(refused.message).toContain('sources set lab-closed --writes on');
    expect((await storedRun(10)).omniboard).toBeUndefined();
  });

  it("keeps a `read` user's source read-only, found from the server's privileges", async () => {
    const answer = await core.setSourceWrites({ source: 'lab-ro', enabled: true });
    expect(answer).toEqual({
      source: 'lab-ro',
      writable: false,
      userCanWrite: false,
      message: 'this user can only read lab',
    });
    const source = (await core.listSources({})).find((item) => item.name === 'lab-ro');
    expect(source?.writable).toBe(false);
    const refused = await rejection(core.setNotes({ source: 'lab-ro', id: '1', notes: 'x' }));
    expect(refused.code).toBe('READ_ONLY');
  });

  it('is asked of a server that lists privileges as mongod does (showPrivileges)', async () => {
    const client = new MongoClient(mongoUriWithCredentials(server.uri, 'reader', 'reader-pw'));
    try {
      await client.connect();
      const status = await client.db('lab').command({ connectionStatus: 1, showPrivileges: true });
      expect(status.authInfo.authenticatedUserPrivileges).toEqual([
        {
          resource: { db: 'lab', collection: '' },
          actions: expect.not.arrayContaining(['update']),
        },
      ]);
    } finally {
      await client.close();
    }
  });

  it("writes tags and notes with Omniboard's $set, leaving config and meta as stored", async () => {
    const before = await storedRun(1);
    const tagged = await core.setTags({ source: 'lab', ids: ['1', '2'], add: ['best', 'paper'] });
    // The tags shown (config.tags until Omniboard's own exist) plus the added ones.
    expect(tagged.runs.map((run) => [run.id, run.tags, run.state])).toEqual([
      ['1', ['from-config', 'best', 'paper'], 'saved'],
      ['2', ['from-config', 'best', 'paper'], 'saved'],
    ]);
    await core.setTags({ source: 'lab', ids: ['2'], remove: ['paper', 'from-config'] });
    const noted = await core.setNotes({ source: 'lab', id: '1', notes: 'lr too high — redo' });
    expect(noted).toMatchObject({ notes: 'lr too high — redo', state: 'saved' });

    const after = await storedRun(1);
    expect(after.omniboard).toEqual({
      tags: ['from-config', 'best', 'paper'],
      notes: 'lr too high — redo',
    });
    const { omniboard: _omniboard, ...rest } = after;
    expect(rest).toEqual(before);
    expect((await storedRun(2)).omniboard).toEqual({ tags: ['best'] });
  });

  it('shows the edit at once in the table, its filters, the search and exports', async () => {
    await core.setTags({ source: 'lab', ids: ['6', '7'], add: ['shown-at-once'] });
    await core.setNotes({ source: 'lab', id: '6', notes: 'diverged: redo with zebra lr' });
    expect(await ids('tags has "shown-at-once"')).toEqual(['7', '6']);
    expect(await ids('"zebra"')).toEqual(['6']);
    const run = await core.getRun({ source: 'lab', id: '6' });
    expect(run).toMatchObject({
      tags: ['from-config', 'shown-at-once'],
      comment: 'diverged: redo with zebra lr',
    });
    const csv = await core.exportRuns({
      sources: ['lab'],
      where: 'id = 6',
      columns: ['id', 'tags', 'notes'],
      format: 'csv',
    });
    expect(csv.text).toContain('diverged: redo with zebra lr');
    expect(csv.text).toMatch(/from-config.*shown-at-once/u);
    expect((await core.listTags({ sources: ['lab'], search: 'SHOWN' })).tags).toEqual([
      { tag: 'shown-at-once', runs: 2 },
    ]);
    const all = (await core.listTags({})).tags.map((entry) => entry.tag);
    expect(all).toEqual(expect.arrayContaining(['from-config', 'shown-at-once']));
    // A sync reads back what was written: nothing flips.
    await core.syncSources({ names: ['lab'] });
    expect(await ids('tags has "shown-at-once"')).toEqual(['7', '6']);
    expect((await core.getRun({ source: 'lab', id: '6' })).comment).toBe(
      'diverged: redo with zebra lr',
    );
  });

  it('clears notes with an empty text: the Sacred comment does not come back', async () => {
    await core.setNotes({ source: 'lab', id: '5', notes: '' });
    expect((await storedRun(5)).omniboard).toEqual({ notes: '' });
    expect((await storedRun(5)).meta).toMatchObject({ comment: 'sacred comment 5' });
    expect((await core.getRun({ source: 'lab', id: '5' })).comment).toBeNull();
    await core.syncSources({ names: ['lab'] });
    expect((await core.getRun({ source: 'lab', id: '5' })).comment).toBeNull();
  });

  it('keeps edits made while the server is stopped pending, and writes them at the next sync', async () => {
    const server = await stopServerForTest();
    const edit = await core.setTags({ source: 'lab', ids: ['3'], add: ['offline'] });
    expect(edit.runs).toEqual([
      {
        source: 'lab',
        id: '3',
        tags: ['from-config', 'offline'],
        notes: 'sacred comment 3',
        state: 'pending',
      },
    ]);
    // Shown at once, marked as waiting.
    expect(await ids('tags has offline')).toEqual(['3']);
    const { edits } = await core.listPendingEdits({ source: 'lab' });
    expect(edits).toMatchObject([
      {
        id: '3',
        field: 'tags',
        mine: ['from-config', 'offline'],
        base: ['from-config'],
        state: 'pending',
      },
    ]);
    expect(edits[0]?.lastError).toEqual(expect.any(String));
    // A sync that fails leaves the edit waiting and still shown.
    await rejection(core.syncSources({ names: ['lab'] }));
    expect(await ids('tags has offline')).toEqual(['3']);

    await server.restart();
    await core.syncSources({ names: ['lab'] });
    expect((await storedRun(3)).omniboard).toEqual({ tags: ['from-config', 'offline'] });
    expect((await core.listPendingEdits({ source: 'lab' })).edits).toEqual([]);
    expect(await ids('tags has offline')).toEqual(['3']);
  }, 90_000);

  it('turns a change made on the server meanwhile into a conflict the user settles', async () => {
    const server = await stopServerForTest();
    await core.setNotes({ source: 'lab', id: '4', notes: 'mine' });
    await core.setTags({ source: 'lab', ids: ['8'], add: ['mine-tag'] });
    // Meanwhile, in Omniboard: run 4 got notes, run 8 other tags.
    await server.restart((docs) => {
      for (const doc of docs) {
        if (doc._id === 4) doc.omniboard = { notes: 'theirs' };
        if (doc._id === 8) doc.omniboard = { tags: ['their-tag'] };
      }
    });
    await core.syncSources({ names: ['lab'] });
    // Nothing overwritten on the server; both values offered.
    expect((await storedRun(4)).omniboard).toEqual({ notes: 'theirs' });
    expect((await storedRun(8)).omniboard).toEqual({ tags: ['their-tag'] });
    const { edits } = await core.listPendingEdits({ source: 'lab' });
    const shown = edits.map(({ id, field, mine, theirs, state }) => ({
      ...{ id, field, mine, theirs, state },
    }));
    expect(shown).toEqual([
      { id: '4', field: 'notes', mine: 'mine', theirs: 'theirs', state: 'conflict' },
      {
        ...{ id: '8', field: 'tags', mine: ['from-config', 'mine-tag'] },
        ...{ theirs: ['their-tag'], state: 'conflict' },
      },
    ]);
    expect((await core.getRun({ source: 'lab', id: '4' })).comment).toBe('mine');
    // A later sync does not settle it either.
    await core.syncSources({ names: ['lab'] });
    expect((await core.listPendingEdits({ source: 'lab' })).edits).toHaveLength(2);

    const kept = await core.resolveEditConflict({
      ...{ source: 'lab', id: '4', field: 'notes', keep: 'mine' },
    });
    expect(kept).toMatchObject({ notes: 'mine', state: 'saved' });
    expect((await storedRun(4)).omniboard).toEqual({ notes: 'mine' });
    const dropped = await core.resolveEditConflict({
      ...{ source: 'lab', id: '8', field: 'tags', keep: 'theirs' },
    });
    expect(dropped).toMatchObject({ tags: ['their-tag'], state: 'saved' });
    expect((await storedRun(8)).omniboard).toEqual({ tags: ['their-tag'] });
    expect(await ids('tags has "mine-tag"')).toEqual([]);
    expect((await core.listPendingEdits({ source: 'lab' })).edits).toEqual([]);
    const missing = await rejection(
      core.resolveEditConflict({ source: 'lab', id: '8', field: 'tags', keep: 'mine' }),
    );
    expect(missing.code).toBe('NOT_FOUND');
  }, 90_000);

  it('refuses writes again once they are turned off', async () => {
    expect(await core.setSourceWrites({ source: 'lab-off', enabled: true })).toMatchObject({
      writable: true,
    });
    await core.setTags({ source: 'lab-off', ids: ['9'], tags: ['on'] });
    expect(await core.setSourceWrites({ source: 'lab-off', enabled: false })).toMatchObject({
      writable: false,
    });
    const source = (await core.listSources({})).find((item) => item.name === 'lab-off');
    expect(source?.writable).toBe(false);
    const refused = await rejection(core.setTags({ source: 'lab-off', ids: ['9'], tags: [] }));
    expect(refused.code).toBe('READ_ONLY');
    expect((await storedRun(9)).omniboard).toEqual({ tags: ['on'] });
  });
});
