// "A source synced once can be browsed fully with the test server stopped": through the core,
// after the server is gone, every read the UI makes answers from the cache, the source says
// offline with the reason, and reads that need the server fail with SOURCE_UNAVAILABLE
// instead of waiting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import type { RunSummary } from '../../shared/contract';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import type { GeneratedSacredMongo } from '../support/sacred-mongo-generator';
import { REAL_MONGO_URI, withWriter } from './mongo-sync-support';
import { rejection } from '../support/rejection';

const NOW = Date.parse('2026-11-27T00:00:00Z');

describe.skipIf(REAL_MONGO_URI !== null)('a MongoDB source whose server stopped', () => {
  let server: MongoTestServer;
  let core: AltarCore;
  let generated: GeneratedSacredMongo;
  let dataDir: string;
  let online: {
    list: Awaited<ReturnType<AltarCore['listRuns']>>;
    detail: Awaited<ReturnType<AltarCore['getRun']>>;
  };
  let metricRun: RunSummary;
  let runningRun: RunSummary;
  /** captured_out of every run document, by its id as the cache shows it. */
  const outputs = new Map<string, string>();

  beforeAll(async () => {
    server = await startMongoTestServer({
      users: [{ user: 'admin', password: 'admin-pw', roles: [{ role: 'readWrite', db: '*' }] }],
    });
    generated = await withWriter(mongoUriWithCredentials(server.uri, 'admin', 'admin-pw'), (c) =>
      generateSacredMongo(c.db('lab'), { runs: 30, now: NOW, seed: 21 }),
    );
    await withWriter(mongoUriWithCredentials(server.uri, 'admin', 'admin-pw'), async (c) => {
      const docs = await c.db('lab').collection(generated.runsCollection).find({}).toArray();
      for (const doc of docs) {
        if (typeof doc.captured_out === 'string') outputs.set(String(doc._id), doc.captured_out);
      }
    });
    dataDir = mkdtempSync(join(tmpdir(), 'altar-offline-'));
    core = createAltarCore({ dataDir, door: 'direct', now: () => NOW });
    const profile = await core.saveProfile({
      name: 'lab',
      uri: `mongodb://admin@127.0.0.1:${server.port}/?authSource=admin`,
      password: 'admin-pw',
    });
    await core.addMongoSource({ name: 'lab', profileId: profile.id, database: 'lab' });
    const list = await core.listRuns({ source: 'lab' });
    metricRun = list.runs.find((run) => run.metrics.some((m) => m.count > 5)) as RunSummary;
    runningRun = list.runs.find(
      (run) => run.status === 'RUNNING' && (outputs.get(run.id) ?? '') !== '',
    ) as RunSummary;
    online = { list, detail: await core.getRun({ source: 'lab', id: metricRun.id }) };
    await server.close();
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says offline, with the reason, after a sync finds the server gone', async () => {
    const failure = await rejection(core.syncSources({ names: ['lab'] }));
    // Refused or closed: the dropped connection is told apart from a slow server.
    expect(failure.code).toBe('CONNECTION_FAILED');
    const [source] = await core.listSources({});
    expect(source).toMatchObject({
      name: 'lab',
      online: false,
      state: 'error',
      lastError: failure.message,
      runCount: generated.ids.length,
    });
    // Mid-sync it reads "sync of lab stopped: …"; when an earlier read already found the
    // server gone, the sync fails at connect time with the refusal itself.
    expect(source?.lastError).toMatch(/sync of "lab" stopped|Connection refused/u);
  }, 30_000);

  it('lists runs, shows a run, its metrics and its output from the cache', async () => {
    expect(await core.listRuns({ source: 'lab' })).toEqual(online.list);
    expect(await core.getRun({ source: 'lab', id: metricRun.id })).toEqual(online.detail);
    for (const metric of metricRun.metrics) {
      const series = await core.getMetric({ source: 'lab', id: metricRun.id, name: metric.name });
      expect(series.totalPoints).toBe(metric.count);
      expect(series.values).toHaveLength(metric.count);
    }
    const output = await core.getCapturedOutput({ source: 'lab', id: metricRun.id });
    expect(output.totalBytes).toBe(online.detail.capturedOutputBytes);
    // A running run's newest output would come from the server: the cached one answers.
    const running = await core.getCapturedOutput({ source: 'lab', id: runningRun.id });
    expect(running.text).toBe(outputs.get(runningRun.id));
    expect(running.truncated).toBe(false);
  });

  it('fails reads that need the server with SOURCE_UNAVAILABLE, saying it is not cached', async () => {
    const withArtifact = online.list.runs.find((run) => run.artifacts.length > 0) as RunSummary;
    const artifact = await rejection(core.openArtifact(withArtifact.artifacts[0]?.id ?? ''));
    expect(artifact.code).toBe('SOURCE_UNAVAILABLE');
    expect(artifact.message).toMatch(/not (cached|available offline): the server is unreachable/u);

    const withSource = [];
    for (const run of online.list.runs) {
      const detail = await core.getRun({ source: 'lab', id: run.id });
      if (detail.sourceFiles.some((file) => file.available)) withSource.push(detail);
    }
    const detail = withSource[0];
    const name = detail?.sourceFiles.find((file) => file.available)?.name ?? '';
    const file = await rejection(core.getSourceFile({ source: 'lab', id: detail?.id ?? '', name }));
    expect(file.code).toBe('SOURCE_UNAVAILABLE');
    expect(file.message).toContain('is not cached: the server is unreachable');
  });

  it('has no sync to cancel, and says so', async () => {
    const error = await rejection(core.cancelSync({ source: 'nope' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(await core.cancelSync({ source: 'lab' })).toEqual({ cancelled: false });
  });
});
