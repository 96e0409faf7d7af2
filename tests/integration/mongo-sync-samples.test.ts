// Real Sacred 0.8.7 MongoObserver output, loaded through the driver into the test server (or
// ALTAR_TEST_MONGO_URI), added as sources through the core and read back from the cache.
import { EJSON } from 'bson';
import type { Document } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { methods } from '../../shared/contract';
import { dropDatabase, freshDbName, startTestMongo, withWriter } from './mongo-sync-support';
import type { TestMongo } from './mongo-sync-support';

const SAMPLES = join(__dirname, '..', 'fixtures', 'sacred-samples');
const NOW = Date.parse('2026-11-27T00:00:00Z');

/** The samples hold bare NaN/Infinity like Python's json; EJSON needs them spelled out. */
function loadSample(file: string): unknown {
  const text = readFileSync(join(SAMPLES, file), 'utf8').replace(
    /(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/gu,
    '{"$numberDouble":"$1"}',
  );
  return EJSON.parse(text);
}

let mongo: TestMongo;
let core: AltarCore;
let dataDir: string;
const databases = {
  completed: freshDbName('completed'),
  failed: freshDbName('failed'),
  interrupted: freshDbName('interrupted'),
  queued: freshDbName('queued'),
};

beforeAll(async () => {
  mongo = await startTestMongo();
  await withWriter(mongo.uri, async (client) => {
    const completed = loadSample('mongo_completed_extjson.json') as Record<string, Document[]>;
    const db = client.db(databases.completed);
    for (const [collection, docs] of Object.entries(completed)) {
      await db.collection(collection).insertMany(docs);
    }
    for (const kind of ['failed', 'interrupted', 'queued'] as const) {
      const docs = loadSample(`mongo_${kind}_extjson.json`) as Document[];
      await client.db(databases[kind]).collection('runs').insertMany(docs);
    }
  });
  dataDir = mkdtempSync(join(tmpdir(), 'altar-mongo-samples-'));
  core = createAltarCore({ dataDir, door: 'direct', now: () => NOW });
  const profile = await core.saveProfile({ name: 'samples', uri: mongo.uri });
  for (const [name, database] of Object.entries(databases)) {
    await core.addMongoSource({ name, profileId: profile.id, database });
  }
});

afterAll(async () => {
  await core?.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  for (const db of Object.values(databases)) await dropDatabase(mongo.uri, db);
  await mongo?.close();
});

describe('real Sacred MongoObserver samples', () => {
  it('adds each database as an online mongo source with its runs synced', async () => {
    const sources = await core.listSources({});
    expect(sources.map((s) => [s.name, s.kind, s.runCount, s.state, s.online])).toEqual([
      ['completed', 'mongo', 1, 'idle', true],
      ['failed', 'mongo', 1, 'idle', true],
      ['interrupted', 'mongo', 1, 'idle', true],
      ['queued', 'mongo', 1, 'idle', true],
    ]);
    const completed = sources[0];
    const hosts = new ConnectionString(mongo.uri).hosts.join(',');
    expect(completed?.location).toMatch(
      new RegExp(`^mongodb://([^:@/]+@)?${hosts}/${databases.completed}$`, 'u'),
    );
  });

  it('lists the completed run with its status, times, config NaN and comment', async () => {
    const { runs, total } = await core.listRuns({ source: 'completed' });
    expect(total).toBe(1);
    const run = runs[0];
    expect(methods.listRuns.result.parse({ runs, total })).toBeTruthy();
    expect(run).toMatchObject({
      id: '1',
      status: 'COMPLETED',
      experiment: 'demo_exp',
      command: 'main',
      start_time: new Date(1795728722430).toISOString(),
      stop_time: new Date(1795728723645).toISOString(),
      heartbeat: new Date(1795728723646).toISOString(),
      host: 'vm',
      comment: 'a comment',
      probablyDead: false,
      unreadable: null,
    });
    expect(run?.config).toMatchObject({ lr: 0.02, bad: 'NaN', layers: [64, 32], seed: 448434276 });
    expect(run?.result).toMatchObject({ acc: 0.93, inf: 'Infinity' });
  });

  it('summarises both metrics, NaN counted but not a minimum', async () => {
    const { runs } = await core.listRuns({ source: 'completed' });
    expect(runs[0]?.metrics).toEqual([
      {
        name: 'train.loss',
        count: 7,
        first: 1,
        last: 0.14285714285714285,
        min: 0.14285714285714285,
        max: 1,
        nonFinite: 0,
      },
      { name: 'val.acc', count: 5, first: 0, last: 0.4, min: 0, max: 0.4, nonFinite: 1 },
    ]);
    const series = await core.getMetric({ source: 'completed', id: '1', name: 'val.acc' });
    expect([...series.steps]).toEqual([0, 10, 20, 30, 40]);
    expect(Number.isNaN(series.values[2])).toBe(true);
    expect(series.timestamps[0]).toBe(1795728722438);
  });

  it('lists the artifact with the size and content type of fs.files', async () => {
    const { runs } = await core.listRuns({ source: 'completed' });
    expect(runs[0]?.artifacts).toEqual([
      {
        name: 'model.txt',
        size: 7,
        contentType: 'text/plain',
        id: expect.any(String),
        // Not viewed yet, so not in the offline artifact cache.
        cached: false,
      },
    ]);
  });

  it('shows info, host, sources, resources and captured output of the run', async () => {
    const detail = await core.getRun({ source: 'completed', id: '1' });
    expect(detail.info).toMatchObject({
      custom: { 'json://1': 'intkey' },
      metrics: [
        { name: 'train.loss', id: '6b08a5525023ea84f3dd2887' },
        { name: 'val.acc', id: '6b08a5525023ea84f3dd2888' },
      ],
    });
    expect(detail.sourceFiles).toEqual([
      { name: 'helper.py', available: true },
      { name: 'my_exp.py', available: true },
    ]);
    expect(detail.resources).toEqual([
      { path: '/home/alice/exp/data.csv', stored: null, available: false },
    ]);
    expect(detail.meta).toMatchObject({ options: { '--beat-interval': '0.5' } });
    const output = await core.getCapturedOutput({ source: 'completed', id: '1' });
    expect(output.text).toContain('Completed after 0:00:01');
    expect(output.truncated).toBe(false);
  });

  it('reads the failed, interrupted and queued end states', async () => {
    const failed = await core.getRun({ source: 'failed', id: '1' });
    expect(failed.status).toBe('FAILED');
    expect(failed.failTrace?.join('')).toContain('Traceback');
    const interrupted = await core.getRun({ source: 'interrupted', id: '1' });
    expect(interrupted.status).toBe('INTERRUPTED');
    expect(interrupted.stop_time).not.toBeNull();
    const queued = await core.getRun({ source: 'queued', id: '1' });
    expect(queued).toMatchObject({
      status: 'QUEUED',
      start_time: null,
      heartbeat: null,
      host: 'vm',
      metrics: [],
      artifacts: [],
      capturedOutputBytes: 0,
      unreadable: null,
    });
    expect(queued.config).toEqual({ mode: 'fail', seed: 972607983 });
    expect(queued.meta).toMatchObject({ queue_time: new Date(1795728741000).toISOString() });
  });
});
