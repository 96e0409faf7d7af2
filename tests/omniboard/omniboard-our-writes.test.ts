// Tags and notes written by our app (issue 15) as real Omniboard shows them: its run table's
// tags and notes cells, its tag editor's list (distinct omniboard.tags) and its filters; and an
// edit made in Omniboard that our next edit builds on instead of overwriting.
import { MongoClient } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { UI_DEFAULT_SELECT } from './omniboard-api';
import type { OmniboardApi } from './omniboard-api';
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

type Doc = Record<string, unknown>;
const asDoc = (value: unknown): Doc | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Doc) : null;

function databaseUri(database: string): string {
  return mongoUriWithCredentials(`${mongo.uri}/${database}`, 'lab', 'lab-pw');
}

/** One run as Omniboard's run table has it: the row its first load fetches. */
async function omniboardRow(api: OmniboardApi, id: number): Promise<Doc> {
  const [row] = await api.runs({ select: UI_DEFAULT_SELECT, query: JSON.stringify({ _id: id }) });
  if (row === undefined) throw new Error(`Omniboard does not list run ${id}`);
  return row as Doc;
}

/** The tags cell (runsTable.js): omniboard.tags when present, else config.tags. */
function cellTags(row: Doc): unknown {
  const own = asDoc(row.omniboard);
  if (own !== null && 'tags' in own) return own.tags;
  const tags = asDoc(row.config)?.tags;
  return typeof tags === 'string' ? tags.split(',') : (tags ?? []);
}

/** The notes cell: omniboard.notes when present, else meta.comment. */
function cellNotes(row: Doc): unknown {
  const own = asDoc(row.omniboard);
  if (own !== null && 'notes' in own) return own.notes;
  return asDoc(row.meta)?.comment ?? '';
}

beforeAll(async () => {
  mongo = await startMongoTestServer({
    users: [{ user: 'lab', password: 'lab-pw', roles: [{ role: 'readWrite', db: '*' }] }],
  });
  writer = new MongoClient(databaseUri('admin'));
  await writer.connect();
  lab = await seedOmniboardLab(writer.db(LAB), { runs: 10, seed: 33, now: Date.now() });
  dataDir = mkdtempSync(join(tmpdir(), 'altar-omniboard-ours-'));
  core = createAltarCore({ dataDir, door: 'direct' });
  const profile = await core.saveProfile({ name: 'lab server', uri: databaseUri('admin') });
  await core.addMongoSource({ name: LAB, profileId: profile.id, database: LAB });
  expect((await core.setSourceWrites({ source: LAB, enabled: true })).writable).toBe(true);
  omniboard = await startOmniboard([{ key: LAB, uri: databaseUri(LAB) }]);
});

afterAll(async () => {
  await omniboard?.close();
  await core?.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  await writer?.close();
  await mongo?.close();
});

describe('tags and notes written by Altar Viewer', () => {
  it("are Omniboard's tags and notes cells, its tag list and its filters", async () => {
    const api = omniboard.api(LAB);
    const [tagged, commented] = [lab.configTagged, lab.commented];
    const before = await core.getRun({ source: LAB, id: String(tagged) });
    expect(before.tags.length).toBeGreaterThan(0);

    const edit = await core.setTags({ source: LAB, ids: [String(tagged)], add: ['ours-a'] });
    await core.setNotes({ source: LAB, id: String(commented), notes: 'written by Altar — ünï' });

    const taggedRow = await omniboardRow(api, tagged);
    expect(cellTags(taggedRow)).toEqual(edit.runs[0]?.tags);
    expect(cellTags(taggedRow)).toEqual([...before.tags, 'ours-a']);
    const commentedRow = await omniboardRow(api, commented);
    expect(cellNotes(commentedRow)).toBe('written by Altar — ünï');
    // The Sacred comment it replaces in Omniboard's cell stays where Sacred put it.
    expect(asDoc(commentedRow.meta)?.comment).toEqual(expect.any(String));
    expect(await api.distinct('omniboard.tags')).toEqual(expect.arrayContaining(['ours-a']));
    // Omniboard's tag and notes filters find them (its $or over both places).
    const tagFilter = JSON.stringify({
      $and: [
        {
          $or: [{ 'config.tags': { $in: ['ours-a'] } }, { 'omniboard.tags': { $in: ['ours-a'] } }],
        },
      ],
    });
    expect(await api.count(tagFilter)).toBe(1);
    const notesFilter = JSON.stringify({
      $and: [
        {
          $or: [
            { 'meta.comment': { $regex: 'altar', $options: 'i' } },
            { 'omniboard.notes': { $regex: 'altar', $options: 'i' } },
          ],
        },
      ],
    });
    expect(await api.count(notesFilter)).toBe(1);
  });

  it('build on an edit just made in Omniboard instead of overwriting it', async () => {
    const api = omniboard.api(LAB);
    const [id] = [...lab.annotated.keys()];
    if (id === undefined) throw new Error('no annotated run');
    await api.setTags(id, ['omni-first']);
    // Our cache has not seen Omniboard's edit (no sync): adding a tag still keeps it.
    const edit = await core.setTags({ source: LAB, ids: [String(id)], add: ['ours-next'] });
    expect(edit.runs[0]?.tags).toEqual(['omni-first', 'ours-next']);
    expect(cellTags(await omniboardRow(api, id))).toEqual(['omni-first', 'ours-next']);
    await api.setNotes(id, 'omniboard note');
    await core.syncSources({ names: [LAB] });
    expect((await core.getRun({ source: LAB, id: String(id) })).comment).toBe('omniboard note');
  });
});
