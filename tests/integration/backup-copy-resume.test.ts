// Copy is idempotent and resumable (issue 17): a copy cancelled mid-way leaves only whole runs
// visible, the next copy adds the rest without a duplicate, in every direction (MongoDB →
// MongoDB, MongoDB → folder, folder → MongoDB); tags, notes and captured output go along.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { rejection } from '../support/rejection';

const NOW = Date.parse('2026-11-27T00:00:00Z');
/** More than one write batch (50 runs), so a cancel after the first batch is mid-way. */
const RUNS = 80;

let server: MongoTestServer;
let client: MongoClient;
let core: AltarCore;
let root: string;
let sourceRuns: number;
let tagged: unknown;

/** Cancels a copy once `after` runs have been written. */
function cancelAfter(after: number): {
  signal: AbortSignal;
  onProgress: (p: { phase: string; done: number }) => void;
} {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.phase === 'runs' && progress.done >= after) controller.abort();
    },
  };
}

async function runIdsOf(db: string): Promise<string[]> {
  const docs = await client
    .db(db)
    .collection('runs')
    .find({}, { projection: { _id: 1 } })
    .toArray();
  return docs.map((doc) => String(doc._id as unknown)).sort();
}

/** Run folders (run.json written) and folders without one (a half-written run). */
function foldersOf(dir: string): { runs: string[]; partial: string[] } {
  const names = readdirSync(dir).filter((name) => !name.startsWith('_') && !name.startsWith('.'));
  return {
    runs: names.filter((name) => existsSync(join(dir, name, 'run.json'))).sort(),
    partial: names.filter((name) => !existsSync(join(dir, name, 'run.json'))),
  };
}

beforeAll(async () => {
  server = await startMongoTestServer();
  client = await new MongoClient(server.uri).connect();
  root = mkdtempSync(join(tmpdir(), 'altar-copy-resume-'));
  const generated = await generateSacredMongo(client.db('lab'), {
    runs: RUNS,
    seed: 23,
    variants: false,
    metricPoints: 5,
    now: NOW,
  });
  sourceRuns = generated.ids.length;
  // Omniboard's tags and notes on one run, and captured output, as Omniboard writes them.
  tagged = generated.ids[3];
  await client
    .db('lab')
    .collection('runs')
    .updateOne({ _id: tagged } as Document, {
      $set: {
        omniboard: { tags: ['baseline', 'paper'], notes: 'lr too high' },
        captured_out: 'epoch 1\nepoch 2\n',
      },
    });
  core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct', now: () => NOW });
  const profile = await core.saveProfile({ name: 'server', uri: server.uri });
  const mongoSource = async (name: string, database: string): Promise<void> => {
    await core.addMongoSource({ name, profileId: profile.id, database, allowEmpty: true });
    await core.setSourceWrites({ source: name, enabled: true });
  };
  await mongoSource('lab', 'lab');
  await mongoSource('mirror', 'mirror');
  await mongoSource('back', 'back');
  mkdirSync(join(root, 'folder'));
  await core.addFolderSource({ name: 'folder', path: join(root, 'folder') });
  await core.setSourceWrites({ source: 'folder', enabled: true });
}, 120_000);

afterAll(async () => {
  await core?.close();
  await client?.close();
  await server?.close();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe('copy: cancelled, resumed, recognised', () => {
  it('MongoDB → MongoDB: a cancelled copy shows whole runs only; the next adds the rest once', async () => {
    const error = await rejection(
      core.backup.copyRuns({ from: 'lab', to: 'mirror' }, cancelAfter(1)),
      Error,
    );
    expect(error.name).toBe('AbortError');
    const partly = await runIdsOf('mirror');
    expect(partly.length).toBeGreaterThan(0);
    expect(partly.length).toBeLessThan(sourceRuns);
    // Every run that is there has all its metrics: data goes in before the run.
    for (const run of await client.db('mirror').collection('runs').find({}).toArray()) {
      const wanted = await client
        .db('lab')
        .collection('metrics')
        .countDocuments({ run_id: run._id });
      const held = await client
        .db('mirror')
        .collection('metrics')
        .countDocuments({ run_id: run._id });
      expect(held, String(run._id as unknown)).toBe(wanted);
    }

    const resumed = await core.backup.copyRuns({ from: 'lab', to: 'mirror' });
    expect(resumed.runsPresent).toBe(partly.length);
    expect(resumed.runsAdded).toBe(sourceRuns - partly.length);
    expect(resumed.renamed).toEqual([]);
    expect(await runIdsOf('mirror')).toEqual(await runIdsOf('lab'));
    // No metric twice: the cancelled copy's metrics of unwritten runs are recognised.
    expect(await client.db('mirror').collection('metrics').countDocuments()).toBe(
      await client.db('lab').collection('metrics').countDocuments(),
    );
    const copied = await client
      .db('mirror')
      .collection('runs')
      .findOne({ _id: tagged } as Document);
    expect(copied?.omniboard).toEqual({ tags: ['baseline', 'paper'], notes: 'lr too high' });
    expect(copied?.captured_out).toBe('epoch 1\nepoch 2\n');

    const again = await core.backup.copyRuns({ from: 'lab', to: 'mirror' });
    expect({ added: again.runsAdded, present: again.runsPresent }).toEqual({
      added: 0,
      present: sourceRuns,
    });
  }, 300_000);

  it('MongoDB → folder → MongoDB: a half-written run folder is completed, nothing twice', async () => {
    const folder = join(root, 'folder');
    const error = await rejection(
      core.backup.copyRuns({ from: 'lab', to: 'folder' }, cancelAfter(5)),
      Error,
    );
    expect(error.name).toBe('AbortError');
    const stopped = foldersOf(folder);
    const partly = stopped.runs;
    expect(partly.length).toBeGreaterThan(0);
    expect(partly.length).toBeLessThan(sourceRuns);
    // Each run goes into place whole: no folder without its run.json, and the source lists
    // exactly the runs written.
    expect(stopped.partial).toEqual([]);
    await core.syncSources({ names: ['folder'] });
    const listed = await core.queryRuns({ sources: ['folder'], columns: [], limit: 1000 });
    expect(listed.rows.map((row) => row.id).sort()).toEqual(partly);
    // A run an older copy (or a crash) left half-written: its files, no run.json.
    const next = (await runIdsOf('lab')).find((id) => !partly.includes(id)) ?? '';
    mkdirSync(join(folder, next), { recursive: true });
    writeFileSync(join(folder, next, 'config.json'), '{"half": ');

    const resumed = await core.backup.copyRuns({ from: 'lab', to: 'folder' });
    expect(resumed.runsAdded).toBe(sourceRuns - partly.length);
    expect(resumed.renamed).toEqual([]);
    const after = foldersOf(folder);
    expect(after.partial).toEqual([]);
    expect(after.runs).toEqual(await runIdsOf('lab'));
    expect(readFileSync(join(folder, next, 'config.json'), 'utf8')).not.toContain('"half"');
    const run = JSON.parse(readFileSync(join(folder, String(tagged), 'run.json'), 'utf8')) as {
      omniboard?: unknown;
    };
    expect(run.omniboard).toEqual({ tags: ['baseline', 'paper'], notes: 'lr too high' });
    expect(readFileSync(join(folder, String(tagged), 'cout.txt'), 'utf8')).toBe(
      'epoch 1\nepoch 2\n',
    );

    // Folder → MongoDB, cancelled and resumed the same way.
    await core.syncSources({ names: ['folder'] });
    await rejection(core.backup.copyRuns({ from: 'folder', to: 'back' }, cancelAfter(1)), Error);
    const partlyBack = await runIdsOf('back');
    expect(partlyBack.length).toBeLessThan(sourceRuns);
    const resumedBack = await core.backup.copyRuns({ from: 'folder', to: 'back' });
    expect(resumedBack.runsPresent).toBe(partlyBack.length);
    expect(await runIdsOf('back')).toEqual(await runIdsOf('lab'));
    const back = await client
      .db('back')
      .collection('runs')
      .findOne({ _id: tagged } as Document);
    expect(back?.omniboard).toEqual({ tags: ['baseline', 'paper'], notes: 'lr too high' });
    expect(back?.captured_out).toBe('epoch 1\nepoch 2\n');
    expect(await client.db('back').collection('metrics').countDocuments()).toBe(
      await client.db('lab').collection('metrics').countDocuments(),
    );

    const again = await core.backup.copyRuns({ from: 'folder', to: 'back' });
    expect(again.runsAdded).toBe(0);
    const folderAgain = await core.backup.copyRuns({ from: 'lab', to: 'folder' });
    expect({ added: folderAgain.runsAdded, renamed: folderAgain.renamed }).toEqual({
      added: 0,
      renamed: [],
    });
  }, 300_000);
});
