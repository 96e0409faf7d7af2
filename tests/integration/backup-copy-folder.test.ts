// copy folder → MongoDB → folder (issue 17): a student's FileStorage runs into a lab database
// and back out keep every file of every run; copying again adds nothing.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';

const SAMPLES = join(__dirname, '..', 'fixtures', 'sacred-samples');
const NOW = Date.parse('2026-11-27T00:00:00Z');

let server: MongoTestServer;
let client: MongoClient;
let core: AltarCore;
let root: string;
let student: string;
let back: string;

/** Sacred writes microseconds; MongoDB keeps milliseconds, so times compare to the millisecond. */
function toMilliseconds(text: string): string {
  return text.replace(/(T\d\d:\d\d:\d\d\.\d{3})\d{3}/gu, '$1000');
}

function filesOf(dir: string): string[] {
  return readdirSync(dir).sort();
}

beforeAll(async () => {
  server = await startMongoTestServer();
  client = await new MongoClient(server.uri).connect();
  root = mkdtempSync(join(tmpdir(), 'altar-copy-'));
  // Runs 1 and myrun7 (completed), 2 (failed, from another folder), 3 (queued).
  student = join(root, 'student');
  cpSync(join(SAMPLES, 'filestorage_completed'), student, { recursive: true });
  cpSync(join(SAMPLES, 'filestorage_failed', '1'), join(student, '2'), { recursive: true });
  cpSync(join(SAMPLES, 'filestorage_failed', '_sources'), join(student, '_sources'), {
    recursive: true,
  });
  cpSync(join(SAMPLES, 'filestorage_queued', '1'), join(student, '3'), { recursive: true });
  back = join(root, 'back');
  mkdirSync(back);
  core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct', now: () => NOW });
  await core.addFolderSource({ name: 'student', path: student });
  await core.addFolderSource({ name: 'back', path: back });
  await client.db('lab').createCollection('runs');
  const profile = await core.saveProfile({ name: 'lab', uri: server.uri });
  await core.addMongoSource({ name: 'lab', profileId: profile.id, database: 'lab' });
  await core.setSourceWrites({ source: 'lab', enabled: true });
  await core.setSourceWrites({ source: 'back', enabled: true });
}, 60_000);

afterAll(async () => {
  await core?.close();
  await client?.close();
  await server?.close();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe('copy between a folder and MongoDB', () => {
  it('keeps every run through folder → MongoDB → folder, and a second copy adds nothing', async () => {
    const intoLab = await core.backup.copyRuns({ from: 'student', to: 'lab' });
    expect(intoLab.omitted).toEqual([]);
    expect(intoLab.runsAdded).toBe(4);
    expect(intoLab.renamed).toEqual([]);
    const runs = await client.db('lab').collection('runs').find({}).toArray();
    expect(runs.map((run) => String(run._id)).sort()).toEqual(['1', '2', '3', 'myrun7']);
    const completed = runs.find((run) => (run._id as unknown) === 1);
    // As a MongoObserver would have written it: Dates, artifacts and sources in GridFS.
    expect(completed?.start_time).toBeInstanceOf(Date);
    expect(completed?.artifacts).toEqual([{ name: 'model.txt', file_id: expect.anything() }]);
    expect(await client.db('lab').collection('metrics').countDocuments({ run_id: 1 })).toBe(2);

    await core.syncSources({ names: ['lab'] });
    const out = await core.backup.copyRuns({ from: 'lab', to: 'back' });
    expect(out.runsAdded).toBe(4);

    for (const run of ['1', '2', '3', 'myrun7']) {
      const original = join(student, run);
      const copied = join(back, run);
      expect(filesOf(copied), run).toEqual(filesOf(original));
      for (const file of filesOf(original)) {
        const before = readFileSync(join(original, file), 'utf8');
        const after = readFileSync(join(copied, file), 'utf8');
        if (file === 'run.json') {
          // The stored copy of a resource is named by its md5 under the new folder's _resources.
          const resource = (text: string) => text.replace(/"[^"]*\/_resources\//gu, '"_resources/');
          expect(resource(after), `${run}/${file}`).toBe(resource(toMilliseconds(before)));
        } else {
          expect(after, `${run}/${file}`).toBe(
            file === 'metrics.json' ? toMilliseconds(before) : before,
          );
        }
      }
    }
    expect(filesOf(join(back, '_sources'))).toEqual(
      expect.arrayContaining(filesOf(join(student, '_sources'))),
    );

    const again = await core.backup.copyRuns({ from: 'student', to: 'lab' });
    expect(again.runsAdded).toBe(0);
    expect(again.runsPresent).toBe(4);
    expect(await client.db('lab').collection('runs').countDocuments()).toBe(4);
    const backAgain = await core.backup.copyRuns({ from: 'lab', to: 'back' });
    expect(backAgain.runsAdded).toBe(0);
    expect(filesOf(back).filter((name) => !name.startsWith('_'))).toEqual([
      '1',
      '2',
      '3',
      'myrun7',
    ]);
  }, 120_000);
});
