import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAltarCore, type AltarCore } from '../../main/core/altar-core';
import { methods } from '../../shared/contract';
import { AltarError } from '../../shared/errors';
import type { SyncProgress } from '../../shared/events';
import { copySample, samplesDir, tempDir, writeSyntheticRun } from './core-test-folder';

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function expectAltarError(promise: Promise<unknown>, code: string): Promise<AltarError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AltarError);
  expect((error as AltarError).code).toBe(code);
  return error as AltarError;
}

describe('core with a folder source', () => {
  let dataDir: string;
  let work: string;
  let folder: string;
  let core: AltarCore;

  beforeEach(() => {
    dataDir = tempDir('data');
    work = tempDir('runs');
    folder = copySample('filestorage_completed', work);
    core = createAltarCore({
      dataDir,
      door: 'direct',
      now: () => Date.parse('2026-11-27T00:00:00Z'),
    });
  });

  afterEach(async () => {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('adds, syncs and lists the runs of a real Sacred folder', async () => {
    const added = await core.addFolderSource({ name: 'lab', path: folder });
    expect(methods.addFolderSource.result.parse(added)).toEqual(added);
    expect(added).toMatchObject({ name: 'lab', kind: 'folder', location: folder, runCount: 0 });
    expect(added.online).toBe(true);

    const progress: SyncProgress[] = [];
    core.on('syncProgress', (p) => progress.push(p));
    const [summary] = await core.syncSources({ names: ['lab'] });
    expect(summary).toMatchObject({
      source: 'lab',
      added: 2,
      updated: 0,
      removed: 0,
      unchanged: 0,
    });
    expect(summary?.points).toBe(7 + 5 + countMyrun7Points());
    expect(progress[0]?.phase).toBe('scanning');
    expect(progress.at(-1)).toMatchObject({ source: 'lab', phase: 'done', done: 2, total: 2 });
    expect(
      progress
        .filter((p) => p.phase === 'reading')
        .map((p) => p.runId)
        .sort(),
    ).toEqual(['1', 'myrun7']);

    const listed = await core.listRuns({});
    methods.listRuns.result.parse(listed);
    expect(listed.total).toBe(2);
    // Newest start first: myrun7 started after run 1.
    expect(listed.runs.map((r) => r.id)).toEqual(['myrun7', '1']);
    const run1 = listed.runs[1];
    expect(run1).toMatchObject({
      source: 'lab',
      id: '1',
      status: 'COMPLETED',
      probablyDead: false,
      experiment: 'demo_exp',
      command: 'main',
      start_time: '2026-11-26T21:32:02.430Z',
      host: 'vm',
      comment: 'a comment',
      unreadable: null,
    });
    expect(run1?.config).toMatchObject({ lr: 0.02, bad: 'NaN', seed: 448434276 });
    expect(run1?.result).toMatchObject({ acc: 0.93, inf: 'Infinity' });
    expect(run1?.metrics).toEqual([
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
    expect(run1?.artifacts).toHaveLength(1);
    expect(run1?.artifacts[0]).toMatchObject({
      name: 'model.txt',
      size: 7,
      contentType: 'text/plain',
    });

    const sources = await core.listSources({});
    expect(sources).toEqual([
      expect.objectContaining({ name: 'lab', runCount: 2, unreadableCount: 0, state: 'idle' }),
    ]);
    expect(sources[0]?.lastSyncAt).toBe('2026-11-27T00:00:00.000Z');
  });

  it('pages through runs with limit and offset and filters by source', async () => {
    const other = tempDir('other');
    try {
      for (let i = 1; i <= 5; i++)
        writeSyntheticRun(other, String(i), { startTime: `2026-01-0${i}T00:00:00` });
      await core.addFolderSource({ name: 'lab', path: folder });
      await core.addFolderSource({ name: 'b-synth', path: other });
      await core.syncSources({});
      const all = await core.listRuns({});
      expect(all.total).toBe(7);
      expect(all.runs.map((r) => `${r.source}/${r.id}`)).toEqual([
        'b-synth/5',
        'b-synth/4',
        'b-synth/3',
        'b-synth/2',
        'b-synth/1',
        'lab/myrun7',
        'lab/1',
      ]);
      const page = await core.listRuns({ source: 'b-synth', limit: 2, offset: 1 });
      expect(page.total).toBe(5);
      expect(page.runs.map((r) => r.id)).toEqual(['4', '3']);
      expect(page.runs[0]?.metrics[0]).toMatchObject({ name: 'loss', count: 10 });
      await expectAltarError(core.listRuns({ source: 'nope' }), 'NOT_FOUND');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('returns the run detail in the contract shape', async () => {
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});
    const run = await core.getRun({ source: 'lab', id: '1' });
    expect(methods.getRun.result.parse(run)).toBeTruthy();
    expect(run.sourceFiles).toEqual([
      { name: 'helper.py', available: true },
      { name: 'my_exp.py', available: true },
    ]);
    expect(run.resources).toEqual([
      expect.objectContaining({ path: '/home/alice/exp/data.csv', available: true }),
    ]);
    expect(run.meta).toMatchObject({ command: 'main', comment: 'a comment' });
    expect(run.hostInfo).toMatchObject({ hostname: 'vm' });
    expect(run.experimentInfo).toMatchObject({ name: 'demo_exp' });
    expect(run.info).toHaveProperty('custom');
    expect(run.failTrace).toBeNull();
    expect(run.capturedOutputBytes).toBe(readFileSync(join(folder, '1', 'cout.txt')).byteLength);

    await expectAltarError(core.getRun({ source: 'lab', id: '99' }), 'NOT_FOUND');
    await expectAltarError(core.getRun({ source: 'ghost', id: '1' }), 'NOT_FOUND');
  });

  it('serves metrics whole and downsampled', async () => {
    writeSyntheticRun(folder, '2', { points: 20_000, nanAt: [5000, 5001], spikeAt: 12_345 });
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});

    const small = await core.getMetric({ source: 'lab', id: '1', name: 'val.acc' });
    expect(methods.getMetric.result.parse(small)).toBeTruthy();
    expect(small.downsampled).toBe(false);
    expect(small.totalPoints).toBe(5);
    expect([...small.steps]).toEqual([0, 10, 20, 30, 40]);
    expect(Number.isNaN(small.values[2])).toBe(true);
    // Sacred wrote …02.438007: the microseconds are kept.
    expect(small.timestamps[0]).toBeCloseTo(Date.parse('2026-11-26T21:32:02.438Z') + 0.007, 3);
    expect(small.nonFinitePoints).toBe(1);

    const full = await core.getMetric({ source: 'lab', id: '2', name: 'loss' });
    expect(full.values).toHaveLength(20_000);
    expect(full.downsampled).toBe(false);

    const shown = await core.getMetric({ source: 'lab', id: '2', name: 'loss', maxPoints: 400 });
    expect(shown.downsampled).toBe(true);
    expect(shown.totalPoints).toBe(20_000);
    expect(shown.values.length).toBeLessThanOrEqual(400);
    expect(shown.values.length).toBeGreaterThan(100);
    expect(shown.steps[0]).toBe(0);
    expect(shown.steps.at(-1)).toBe(19_999);
    expect(Math.max(...shown.values.filter((v) => !Number.isNaN(v)))).toBe(1000.5);
    expect(shown.values.some((v) => Number.isNaN(v))).toBe(true);

    const summary = (await core.getRun({ source: 'lab', id: '2' })).metrics[0];
    expect(summary).toMatchObject({ count: 20_000, max: 1000.5 });

    await expectAltarError(core.getMetric({ source: 'lab', id: '2', name: 'nope' }), 'NOT_FOUND');
    await expectAltarError(
      core.getMetric({ source: 'lab', id: '2', name: 'loss', maxPoints: 1 }),
      'INVALID_ARGUMENT',
    );
  });

  it('serves captured output, its tail, and the longer tail from disk', async () => {
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});
    const cout = readFileSync(join(folder, '1', 'cout.txt'), 'utf8');
    const whole = await core.getCapturedOutput({ source: 'lab', id: '1' });
    expect(whole).toEqual({ text: cout, truncated: false, totalBytes: Buffer.byteLength(cout) });
    const tail = await core.getCapturedOutput({ source: 'lab', id: '1', maxBytes: 30 });
    expect(tail.truncated).toBe(true);
    expect(cout.endsWith(tail.text)).toBe(true);
    expect(Buffer.byteLength(tail.text)).toBeLessThanOrEqual(30);

    // A cout.txt larger than the reader's cached tail (4 MiB): more comes from the file.
    const big = 'é'.repeat(3 * 1024 * 1024) + 'THE END\n';
    writeSyntheticRun(folder, '3', { cout: big });
    await core.syncSources({});
    const cached = await core.getCapturedOutput({ source: 'lab', id: '3' });
    expect(cached.truncated).toBe(true);
    expect(cached.totalBytes).toBe(Buffer.byteLength(big));
    expect(cached.text.endsWith('THE END\n')).toBe(true);
    const more = await core.getCapturedOutput({
      source: 'lab',
      id: '3',
      maxBytes: 64 * 1024 * 1024,
    });
    expect(more).toEqual({ text: big, truncated: false, totalBytes: Buffer.byteLength(big) });
    // Still served from the cache when the folder is gone.
    rmSync(join(folder, '3'), { recursive: true });
    const offline = await core.getCapturedOutput({
      source: 'lab',
      id: '3',
      maxBytes: 64 * 1024 * 1024,
    });
    expect(offline.text).toBe(cached.text);
    expect(offline.truncated).toBe(true);
  });

  it('streams artifacts, whole and by byte range', async () => {
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});
    const run = await core.getRun({ source: 'lab', id: '1' });
    const ref = run.artifacts[0];
    expect(ref).toBeDefined();
    const artifact = await core.openArtifact(ref?.id ?? '');
    expect(artifact).toMatchObject({ name: 'model.txt', size: 7, contentType: 'text/plain' });
    const expected = readFileSync(join(folder, '1', 'model.txt'), 'utf8');
    expect(await readAll(artifact!.open())).toBe(expected);
    expect(await readAll(artifact!.open({ start: 1, end: 3 }))).toBe(expected.slice(1, 4));

    expect(await core.openArtifact('0123456789abcdef')).toBeNull();
    rmSync(join(folder, '1', 'model.txt'));
    expect(await core.openArtifact(ref?.id ?? '')).toBeNull();
  });

  it('reads source files from disk and says when one is gone', async () => {
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});
    const file = await core.getSourceFile({ source: 'lab', id: '1', name: 'helper.py' });
    const onDisk = readFileSync(
      join(samplesDir, 'filestorage_completed/_sources/helper_7ee5786859eb70376a40564f726a39bf.py'),
      'utf8',
    );
    expect(file).toEqual({ name: 'helper.py', text: onDisk, truncated: false });
    await expectAltarError(
      core.getSourceFile({ source: 'lab', id: '1', name: 'other.py' }),
      'NOT_FOUND',
    );
    rmSync(join(folder, '_sources'), { recursive: true });
    const gone = await expectAltarError(
      core.getSourceFile({ source: 'lab', id: '1', name: 'helper.py' }),
      'NOT_FOUND',
    );
    expect(gone.message).toContain('helper.py');
  });

  it('caps a big source file at 2 MB on a character boundary', async () => {
    const dir = writeSyntheticRun(folder, '4');
    const runJson = join(dir, 'run.json');
    const run = JSON.parse(readFileSync(runJson, 'utf8')) as {
      experiment: { sources: string[][] };
    };
    run.experiment.sources = [['big.py', '_sources/big_0123.py']];
    writeFileSync(runJson, JSON.stringify(run));
    writeFileSync(join(folder, '_sources', 'big_0123.py'), '€'.repeat(1024 * 1024));
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});
    const file = await core.getSourceFile({ source: 'lab', id: '4', name: 'big.py' });
    expect(file.truncated).toBe(true);
    expect(Buffer.byteLength(file.text)).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(Buffer.byteLength(file.text)).toBeGreaterThan(2 * 1024 * 1024 - 3);
    expect(file.text).toBe('€'.repeat(file.text.length));
  });

  it('cuts the output tail on a character boundary', async () => {
    writeSyntheticRun(folder, '6', { cout: 'ab' + '€'.repeat(100) });
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});
    const tail = await core.getCapturedOutput({ source: 'lab', id: '6', maxBytes: 10 });
    expect(tail).toEqual({ text: '€€€', truncated: true, totalBytes: 302 });
  });

  it('re-syncs only what changed on disk', async () => {
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});

    const [again] = await core.syncSources({ names: ['lab'] });
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 2, points: 0 });

    const runJson = join(folder, '1', 'run.json');
    writeFileSync(runJson, readFileSync(runJson, 'utf8').replace('"COMPLETED"', '"FAILED"'));
    const [modified] = await core.syncSources({ names: ['lab'] });
    expect(modified).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: 1 });
    expect((await core.getRun({ source: 'lab', id: '1' })).status).toBe('FAILED');

    rmSync(join(folder, 'myrun7'), { recursive: true });
    const [removed] = await core.syncSources({ names: ['lab'] });
    expect(removed).toMatchObject({ added: 0, updated: 0, removed: 1, unchanged: 1 });
    expect((await core.listRuns({})).runs.map((r) => r.id)).toEqual(['1']);
    await expectAltarError(core.getRun({ source: 'lab', id: 'myrun7' }), 'NOT_FOUND');
  });

  it('counts unreadable runs and keeps showing them', async () => {
    writeSyntheticRun(folder, '5');
    writeFileSync(join(folder, '5', 'run.json'), '');
    await core.addFolderSource({ name: 'lab', path: folder });
    const [summary] = await core.syncSources({});
    expect(summary?.unreadable).toBe(1);
    const sources = await core.listSources({});
    expect(sources[0]).toMatchObject({ runCount: 3, unreadableCount: 1 });
    const run = await core.getRun({ source: 'lab', id: '5' });
    expect(run.unreadable).toMatch(/run\.json/u);
  });

  it('refuses one run’s folder and names its parent, which it then accepts', async () => {
    const refused = await expectAltarError(
      core.addFolderSource({ name: 'one', path: join(folder, '1') }),
      'INVALID_ARGUMENT',
    );
    expect(refused.message).toContain('“1” is one run; add its parent folder?');
    expect(refused.parentFolder).toBe(folder);
    // The detail crosses every door: it is part of the payload the hosts send.
    expect(refused.toPayload()).toMatchObject({ code: 'INVALID_ARGUMENT', parentFolder: folder });
    expect(await core.listSources({})).toEqual([]);

    const added = await core.addFolderSource({ name: 'lab', path: refused.parentFolder ?? '' });
    expect(added.location).toBe(folder);
  });

  it('refuses run.json itself given as a folder, naming the run’s parent', async () => {
    const refused = await core
      .addFolderSource({ name: 'one', path: join(folder, '1', 'run.json') })
      .then(
        () => null,
        (e: unknown) => e,
      );
    // Not a folder at all: the folder check speaks first, without a parent to offer.
    expect(refused).toBeInstanceOf(AltarError);
    expect((refused as AltarError).parentFolder).toBeUndefined();
  });

  it('validates new folder sources', async () => {
    await core.addFolderSource({ name: 'lab', path: folder });
    await expectAltarError(core.addFolderSource({ name: 'lab', path: folder }), 'ALREADY_EXISTS');
    const missing = await expectAltarError(
      core.addFolderSource({ name: 'gone', path: join(work, 'nowhere') }),
      'SOURCE_UNAVAILABLE',
    );
    expect(missing.message).toContain(join(work, 'nowhere'));
    await expectAltarError(
      core.addFolderSource({ name: 'file', path: join(folder, '1', 'run.json') }),
      'INVALID_ARGUMENT',
    );
    await expectAltarError(
      core.addFolderSource({ name: 'bad name!', path: folder }),
      'INVALID_ARGUMENT',
    );
    await expectAltarError(
      // Extra keys are refused exactly as the hosts refuse them.
      core.addFolderSource({ name: 'x', path: folder, extra: 1 } as never),
      'INVALID_ARGUMENT',
    );
    expect((await core.listSources({})).map((s) => s.name)).toEqual(['lab']);
  });

  it('resolves relative folder paths', async () => {
    const info = await core.addFolderSource({ name: 'rel', path: relative(process.cwd(), folder) });
    expect(info.location).toBe(folder);
  });

  it('reports a folder that went missing without losing the cached runs', async () => {
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});
    const moved = `${folder}-moved`;
    renameSync(folder, moved);
    const error = await expectAltarError(
      core.syncSources({ names: ['lab'] }),
      'SOURCE_UNAVAILABLE',
    );
    expect(error.message).toContain(folder);
    const [source] = await core.listSources({});
    expect(source).toMatchObject({ state: 'error', online: false, runCount: 2 });
    expect(source?.lastError).toContain(folder);
    expect((await core.listRuns({ source: 'lab' })).total).toBe(2);

    renameSync(moved, folder);
    await core.syncSources({});
    expect((await core.listSources({}))[0]).toMatchObject({ state: 'idle', lastError: null });
  });

  it('refuses a second sync of the same source while one runs', async () => {
    for (let i = 10; i < 30; i++) writeSyntheticRun(folder, String(i), { points: 2000 });
    await core.addFolderSource({ name: 'lab', path: folder });
    const first = core.syncSources({ names: ['lab'] });
    await expectAltarError(core.syncSources({ names: ['lab'] }), 'SYNC_IN_PROGRESS');
    expect((await core.listSources({}))[0]?.state).toBe('syncing');
    await expectAltarError(core.removeSource({ name: 'lab' }), 'SYNC_IN_PROGRESS');
    const [summary] = await first;
    expect(summary?.added).toBe(22);
  });

  it('refuses unknown sources', async () => {
    await core.addFolderSource({ name: 'lab', path: folder });
    await expectAltarError(core.syncSources({ names: ['lab', 'nope'] }), 'NOT_FOUND');
    expect((await core.listRuns({})).total).toBe(0);
    await expectAltarError(core.removeSource({ name: 'nope' }), 'NOT_FOUND');
  });

  it('removes a source with its cached runs', async () => {
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});
    const artifactIdBefore = (await core.getRun({ source: 'lab', id: '1' })).artifacts[0]?.id;
    expect(await core.removeSource({ name: 'lab' })).toEqual({ removed: true });
    expect(await core.listSources({})).toEqual([]);
    expect((await core.listRuns({})).total).toBe(0);
    expect(await core.openArtifact(artifactIdBefore ?? '')).toBeNull();
    // The folder itself is never touched.
    expect(readFileSync(join(folder, '1', 'run.json'), 'utf8')).toContain('COMPLETED');
  });

  it('keeps the cache across restarts and flags dead runs with the injected clock', async () => {
    writeSyntheticRun(folder, '8', {
      status: 'RUNNING',
      startTime: '2026-11-26T23:00:00',
    });
    await core.addFolderSource({ name: 'lab', path: folder });
    await core.syncSources({});
    await core.close();

    core = createAltarCore({
      dataDir,
      door: 'http',
      now: () => Date.parse('2026-11-27T00:00:00Z'),
    });
    expect(core.cacheRecoveredFrom).toBeNull();
    expect(await core.getAppInfo({})).toMatchObject({
      version: packageVersion(),
      dataDir,
      door: 'http',
    });
    const runs = (await core.listRuns({ source: 'lab' })).runs;
    expect(runs).toHaveLength(3);
    // Heartbeat 2026-01-01 is months before the injected now.
    expect(runs.find((r) => r.id === '8')?.probablyDead).toBe(true);
    expect(runs.find((r) => r.id === '1')?.probablyDead).toBe(false);
  });

  it('refuses calls after close', async () => {
    await core.close();
    await expectAltarError(core.listSources({}), 'INTERNAL');
  });
});

function countMyrun7Points(): number {
  const text = readFileSync(join(samplesDir, 'filestorage_completed/myrun7/metrics.json'), 'utf8');
  return text.trim() === '{}' ? 0 : Number.NaN;
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
