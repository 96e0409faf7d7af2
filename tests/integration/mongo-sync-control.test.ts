// What the user controls and sees of a MongoDB sync through the core: cancel between runs
// (the cache keeps what was committed, lastError says "cancelled"), a second sync of the same
// source refused, progress with points, bytes and an ETA, and the "probably dead" rule with
// each run's beat interval from meta.options.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from 'mongodb';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import type { SyncProgress } from '../../shared/events';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { REAL_MONGO_URI, withWriter } from './mongo-sync-support';
import { rejection } from '../support/rejection';

/**
 * SACRED_FORMAT.md §6 restated over a raw run document, independently of the app's code: a
 * RUNNING run is dead when now - (heartbeat, else start_time) exceeds max(120 s, 6 beat
 * intervals); the interval is meta.options["--beat-interval"] (0.7: "--beat_interval"), a
 * string, 10 s when missing.
 */
function deadByTheBook(doc: Document): boolean {
  if (doc.status !== 'RUNNING') return false;
  const last: unknown = doc.heartbeat ?? doc.start_time;
  if (!(last instanceof Date)) return false;
  const options = (doc.meta as Document | undefined)?.options as Document | undefined;
  const written = Number(options?.['--beat-interval'] ?? options?.['--beat_interval']);
  const beatSeconds = written > 0 ? written : 10;
  return NOW - last.getTime() > Math.max(120_000, 6 * beatSeconds * 1000);
}

const NOW = Date.parse('2026-11-27T00:00:00Z');
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'altar-sync-control-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(REAL_MONGO_URI !== null)('cancelling and overlapping syncs', () => {
  let server: MongoTestServer;
  let core: AltarCore;
  let total: number;

  beforeAll(async () => {
    server = await startMongoTestServer();
    total = await withWriter(server.uri, async (client) => {
      const made = await generateSacredMongo(client.db('lab'), {
        runs: 60,
        now: NOW,
        seed: 31,
        variants: false,
      });
      return made.ids.length;
    });
  }, 60_000);

  afterEach(async () => {
    server.setFaults({});
    await core?.close();
  });

  afterAll(async () => {
    await server?.close();
  });

  const openCore = async (): Promise<string> => {
    core = createAltarCore({ dataDir: tempDir(), door: 'direct', now: () => NOW });
    return (await core.saveProfile({ name: 'lab', uri: server.uri })).id;
  };

  it('stops between runs on cancelSync, keeps what was written, and finishes next time', async () => {
    const profileId = await openCore();
    const progress: SyncProgress[] = [];
    let answer: Promise<{ cancelled: boolean }> | null = null;
    core.on('syncProgress', (event) => {
      progress.push(event);
      // Asked while the first run is being read: that run is finished, no other is started.
      if (answer === null && event.phase === 'reading') {
        answer = core.cancelSync({ source: 'lab' });
      }
    });
    // Adding syncs at once; a failed (here: cancelled) first sync leaves the source in place.
    const added = await core.addMongoSource({ name: 'lab', profileId, database: 'lab' });
    expect(await answer).toEqual({ cancelled: true });
    expect(added.state).toBe('error');
    expect(added.lastError).toMatch(/cancelled/u);
    expect(added.runCount).toBe(1);
    expect(progress.at(-1)).toMatchObject({ phase: 'failed' });
    expect(progress.at(-1)?.message).toMatch(/cancelled/u);
    // Every run that is there is whole.
    const { runs } = await core.listRuns({ source: 'lab' });
    for (const run of runs) {
      for (const metric of run.metrics) {
        const series = await core.getMetric({ source: 'lab', id: run.id, name: metric.name });
        expect(series.totalPoints).toBe(metric.count);
      }
    }

    server.setFaults({});
    const [summary] = await core.syncSources({ names: ['lab'] });
    expect(summary?.added).toBe(total - added.runCount);
    const [source] = await core.listSources({});
    expect(source).toMatchObject({ runCount: total, state: 'idle', lastError: null });
    // Nothing runs now: there is nothing to cancel.
    expect(await core.cancelSync({ source: 'lab' })).toEqual({ cancelled: false });
  }, 60_000);

  it('refuses a second sync of the same source while the first runs', async () => {
    const profileId = await openCore();
    server.setFaults({ delayMs: 5 });
    const adding = core.addMongoSource({ name: 'lab', profileId, database: 'lab' });
    // The add has recorded the source and started its sync once the first progress arrives.
    await new Promise<void>((resolve) => {
      const off = core.on('syncProgress', () => {
        off();
        resolve();
      });
    });
    const second = await rejection(core.syncSources({ names: ['lab'] }));
    expect(second.code).toBe('SYNC_IN_PROGRESS');
    expect(second.message).toContain('already being synced');
    const added = await adding;
    expect(added).toMatchObject({ runCount: total, state: 'idle', lastError: null });
  }, 60_000);

  it('closes without waiting for a server that stopped answering mid-sync; the source says the sync was stopped', async () => {
    const dataDir = tempDir();
    core = createAltarCore({ dataDir, door: 'direct', now: () => NOW });
    const { id: profileId } = await core.saveProfile({ name: 'lab', uri: server.uri });
    await core.addMongoSource({ name: 'lab', profileId, database: 'lab' });
    // Every reply from here on comes after 90 s: longer than the driver's 60 s socket timeout,
    // which is what a close that waited for the sync would have waited for.
    const asked = (): number =>
      server
        .commandCounts()
        .flatMap((counts) => Object.entries(counts))
        .filter(([name]) => !['hello', 'isMaster', 'ismaster'].includes(name))
        .reduce((sum, [, count]) => sum + count, 0);
    const before = asked();
    server.setFaults({ delayMs: 90_000 });
    const syncing = rejection(core.syncSources({ names: ['lab'] }));
    await expect.poll(asked, { timeout: 10_000 }).toBeGreaterThan(before);

    await core.close();
    const error = await syncing;
    expect(error.message).toMatch(/stopped before it finished/u);

    // The next start finds the runs whole and a source whose sync was stopped, not one that is
    // offline.
    core = createAltarCore({ dataDir, door: 'direct', now: () => NOW });
    const [source] = await core.listSources({});
    expect(source).toMatchObject({ runCount: total, state: 'error' });
    expect(source?.lastError).toMatch(/stopped before it finished/u);
  }, 30_000);

  it('reports points, bytes and a final ETA of 0 in its progress and summary', async () => {
    const profileId = await openCore();
    const progress: SyncProgress[] = [];
    core.on('syncProgress', (event) => progress.push(event));
    await core.addMongoSource({ name: 'lab', profileId, database: 'lab' });
    const done = progress.at(-1) as SyncProgress;
    expect(done).toMatchObject({ phase: 'done', done: total, total, etaSeconds: 0 });
    expect(done.points).toBeGreaterThan(0);
    expect(done.bytes).toBeGreaterThan(done.points ?? 0);
    // Points and bytes only grow while reading.
    const reading = progress.filter((p) => p.phase === 'reading');
    for (let i = 1; i < reading.length; i++) {
      expect(reading[i]?.bytes).toBeGreaterThanOrEqual(reading[i - 1]?.bytes ?? 0);
      expect(reading[i]?.points).toBeGreaterThanOrEqual(reading[i - 1]?.points ?? 0);
    }
  }, 60_000);
});

describe.skipIf(REAL_MONGO_URI !== null)('"probably dead" for MongoDB runs', () => {
  let server: MongoTestServer;
  let core: AltarCore;

  beforeAll(async () => {
    server = await startMongoTestServer();
    await withWriter(server.uri, async (client) => {
      await generateSacredMongo(client.db('lab'), { runs: 80, now: NOW, seed: 32 });
      const base = {
        format: 'MongoObserver-0.7.0',
        command: 'train',
        experiment: { name: 'beats' },
        config: {},
        start_time: new Date(NOW - 3_600_000),
      };
      // Heartbeats 150 s old: dead with the default 10 s beat (120 s), alive with 30 s (180 s).
      const old = new Date(NOW - 150_000);
      await client
        .db('beats')
        .collection<{ _id: number; [field: string]: unknown }>('runs')
        .insertMany([
          { _id: 1, ...base, status: 'RUNNING', heartbeat: old, meta: { options: {} } },
          {
            _id: 2,
            ...base,
            status: 'RUNNING',
            heartbeat: old,
            meta: { options: { '--beat-interval': '30' } },
          },
          { _id: 3, ...base, status: 'QUEUED', heartbeat: null, meta: { queue_time: old } },
          {
            _id: 4,
            ...base,
            status: 'QUEUED',
            heartbeat: new Date(NOW - 86_400_000),
            meta: { options: {} },
          },
        ]);
    });
    core = createAltarCore({ dataDir: tempDir(), door: 'direct', now: () => NOW });
    const profile = await core.saveProfile({ name: 'lab', uri: server.uri });
    await core.addMongoSource({ name: 'lab', profileId: profile.id, database: 'lab' });
    await core.addMongoSource({ name: 'beats', profileId: profile.id, database: 'beats' });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await server?.close();
  });

  it('uses the beat interval of meta.options, and never flags a queued run', async () => {
    const { runs } = await core.listRuns({ source: 'beats' });
    const dead = Object.fromEntries(runs.map((run) => [run.id, run.probablyDead]));
    expect(dead).toEqual({ '1': true, '2': false, '3': false, '4': false });
  });

  it('agrees with the documented rule, applied to the raw documents, on every generated run', async () => {
    const docs = await withWriter(server.uri, (client) =>
      client.db('lab').collection('runs').find({}).toArray(),
    );
    // The cache shows a string _id that reads like another run's id ("42" beside 42) quoted.
    const plain = docs.map((doc) => String(doc._id));
    const idOf = (doc: Document, index: number): string =>
      typeof doc._id === 'string' && plain.filter((id) => id === plain[index]).length > 1
        ? JSON.stringify(doc._id)
        : (plain[index] ?? '');
    const deadById = new Map(docs.map((doc, index) => [idOf(doc, index), deadByTheBook(doc)]));
    const { runs } = await core.listRuns({ source: 'lab' });
    expect(runs).toHaveLength(docs.length);
    let running = 0;
    let flagged = 0;
    for (const run of runs) {
      expect(run.probablyDead, `run ${run.id}`).toBe(deadById.get(run.id));
      if (run.status === 'QUEUED') expect(run.probablyDead).toBe(false);
      if (run.status === 'RUNNING') running++;
      if (run.probablyDead) flagged++;
    }
    // The generator makes stale and fresh RUNNING runs: both outcomes are exercised.
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(running);
  });
});

describe('a corrupt cache at start', () => {
  it('is moved aside, and getAppInfo tells the UI where to', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'cache.sqlite'), 'not a database '.repeat(200));
    const core = createAltarCore({ dataDir, door: 'direct' });
    try {
      const info = await core.getAppInfo({});
      expect(info.cacheRecoveredFrom).toBe(core.cacheRecoveredFrom);
      expect(info.cacheRecoveredFrom).toMatch(/cache\.sqlite\.corrupt-/u);
    } finally {
      await core.close();
    }
    const again = createAltarCore({ dataDir, door: 'direct' });
    try {
      expect((await again.getAppInfo({})).cacheRecoveredFrom).toBeUndefined();
    } finally {
      await again.close();
    }
  });
});
