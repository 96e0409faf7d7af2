// What a user sees of runs real Sacred 0.8.7 wrote to MongoDB (documents copied from the
// recorded wire traces into tests/fixtures/sacred-mongo-runs), read as the sync reads them:
// decoded by the driver's BSON library, then readMongoRun. Expected values are read off the
// documents by hand, not computed with the reader's helpers.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EJSON } from 'bson';
import type { Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { readMongoRun } from '../../main/core/mongo/read-mongo-run';
import type { GridFsFile } from '../../main/core/mongo/gridfs';

interface Scenario {
  runs: Document[];
  'fs.files': Document[];
}

const recorded = JSON.parse(
  readFileSync(
    resolve(__dirname, '..', 'fixtures', 'sacred-mongo-runs', 'recorded-runs.json'),
    'utf8',
  ),
) as Record<'basic' | 'variants', unknown>;

/** A scenario as the driver hands it over: Int32/Double/Long/ObjectId/Date values. */
function scenario(name: 'basic' | 'variants'): Scenario {
  return EJSON.deserialize(recorded[name] as Document, { relaxed: false }) as Scenario;
}

/** The `fs.files` lookup the sync makes for a run's artifacts and sources. */
function filesOf(s: Scenario): Map<string, GridFsFile> {
  const files = new Map<string, GridFsFile>();
  for (const file of s['fs.files']) {
    const id = (file._id as { toHexString(): string }).toHexString();
    files.set(id, {
      id,
      bucket: 'fs',
      filename: file.filename as string,
      length: Number(file.length),
      contentType: (file.contentType as string | undefined) ?? null,
      md5: (file.md5 as string | undefined) ?? null,
    });
  }
  return files;
}

describe('a COMPLETED run of the recorded basic scenario', () => {
  const basic = scenario('basic');
  const run = readMongoRun(basic.runs[0], { files: filesOf(basic) });

  it('shows its status, experiment, command, host and times', () => {
    expect(run).toMatchObject({
      id: '1',
      status: 'COMPLETED',
      experiment: 'toy_regression_grid',
      command: 'train',
      hostname: 'vm',
      // $date 1796396043847 and friends, written out.
      startTime: '2026-12-04T14:54:03.847Z',
      stopTime: '2026-12-04T14:54:03.908Z',
      heartbeat: '2026-12-04T14:54:03.909Z',
      unreadable: null,
      warnings: [],
      comment: null,
      tags: [],
      failTrace: null,
      origin: { $numberInt: '1' },
    });
  });

  it('shows its config with numbers as numbers, and its float result', () => {
    expect(run.config).toEqual({
      model: {
        kind: 'mlp',
        layers: { hidden: [16, 8], activation: 'tanh' },
        init: { scale: 0.5, bias: 0 },
      },
      optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 },
      epochs: 10,
      batch_sizes: [8, 16, 32],
      dataset: 'toy-sine',
      diverge_at: -1,
      seed: 274408981,
    });
    expect(run.result).toBe(0.42505039449631443);
  });

  it('links its two artifacts and its source to GridFS with their size and type', () => {
    expect(run.artifacts).toEqual([
      {
        name: 'loss.png',
        absPath: null,
        size: 6253,
        gridfsId: '6b12d40bf8bbe23ccf18f2d7',
        gridfsBucket: 'fs',
        contentType: 'image/png',
      },
      {
        name: 'losses.csv',
        absPath: null,
        size: 237,
        gridfsId: '6b12d40bf8bbe23ccf18f2d9',
        gridfsBucket: 'fs',
        contentType: 'text/csv',
      },
    ]);
    expect(run.sourceFiles).toEqual([
      {
        name: 'basic.py',
        absPath: null,
        gridfsId: '6b12d40bf8bbe23ccf18f2d5',
        gridfsBucket: 'fs',
      },
    ]);
    expect(run.resources).toEqual([]);
  });

  it('keeps the captured output whole, progress carriage returns included', () => {
    const out = basic.runs[0]?.captured_out as string;
    expect(run.capturedOutput).toEqual({
      text: out,
      truncated: false,
      totalBytes: out.length,
    });
    expect(run.capturedOutput.text).toContain('\repoch 10/10 train.loss=0.3848\n');
  });

  it('keeps info, host, experiment and meta for the detail view', () => {
    expect(run.info).toEqual({
      metrics: [
        { name: 'train.loss', id: '6b12d40bdd3445ab7af5f3f7' },
        { name: 'val_loss', id: '6b12d40bdd3445ab7af5f3f8' },
        { name: 'learning_rate', id: '6b12d40bdd3445ab7af5f3f9' },
      ],
    });
    expect(run.hostInfo).toMatchObject({ hostname: 'vm', python_version: '3.11.2', ENV: {} });
    expect(run.experimentInfo).toMatchObject({
      name: 'toy_regression_grid',
      mainfile: 'basic.py',
      dependencies: ['matplotlib==3.6.3', 'numpy==1.24.2'],
    });
    expect(run.meta).toMatchObject({ command: 'train', named_configs: [] });
  });

  it('is read the same without the GridFS lookup, only without sizes', () => {
    const bare = readMongoRun(basic.runs[0]);
    expect(bare.artifacts.map((a) => [a.name, a.gridfsId, a.gridfsBucket, a.size])).toEqual([
      ['loss.png', '6b12d40bf8bbe23ccf18f2d7', 'fs', null],
      ['losses.csv', '6b12d40bf8bbe23ccf18f2d9', 'fs', null],
    ]);
    expect(bare.warnings).toEqual([]);
  });

  it('warns about each artifact whose file is gone from GridFS', () => {
    const files = filesOf(basic);
    files.delete('6b12d40bf8bbe23ccf18f2d9');
    files.delete('6b12d40bf8bbe23ccf18f2d5');
    const partial = readMongoRun(basic.runs[0], { files });
    expect(partial.artifacts[1]).toEqual({ name: 'losses.csv', absPath: null, size: null });
    expect(partial.sourceFiles).toEqual([{ name: 'basic.py', absPath: null }]);
    expect(partial.warnings).toEqual([
      'source file "basic.py" is missing from GridFS',
      'artifact "losses.csv" is missing from GridFS',
    ]);
  });
});

describe('the FAILED run of the recorded basic scenario', () => {
  const run = readMongoRun(scenario('basic').runs[1]);

  it('shows its traceback line by line and has no result', () => {
    expect(run.status).toBe('FAILED');
    expect(run.failTrace).toHaveLength(4);
    expect(run.failTrace?.[0]).toBe('Traceback (most recent call last):\n');
    expect(run.failTrace?.[3]).toBe('FloatingPointError: loss diverged at epoch 3 (lr=3.0)\n');
    expect(run.result).toBeNull();
    expect(run.artifacts).toEqual([]);
    expect(run.capturedOutput).toEqual({ text: '', truncated: false, totalBytes: 0 });
    expect(run.config).toMatchObject({ optimizer: { lr: 3 }, diverge_at: 3 });
  });
});

describe('runs of the recorded variants scenario', () => {
  const variants = scenario('variants');

  it('lists a resource by path, and a large artifact with its size', () => {
    const run = readMongoRun(variants.runs[0], { files: filesOf(variants) });
    expect(run.resources).toEqual([
      { path: '/home/alice/experiments/data/vocab.txt', stored: null, absPath: null },
    ]);
    expect(run.artifacts).toEqual([
      {
        name: 'weights.bin',
        absPath: null,
        size: 700_000,
        gridfsId: '6b12d418883eb872998a8b01',
        gridfsBucket: 'fs',
        contentType: 'application/octet-stream',
      },
    ]);
  });

  it('keeps numpy values and dotted keys of info and result as stored', () => {
    const run = readMongoRun(variants.runs[0]);
    expect(run.result).toEqual({
      score: 0.875,
      weights: {
        'py/object': 'numpy.ndarray',
        dtype: 'float64',
        values: [
          [0.5, -1],
          [2, 0.25],
        ],
      },
    });
    const stats = run.info.stats as Record<string, unknown>;
    expect(Object.keys(stats)).toEqual(['mean', 'count', 'hist', 'per.class']);
    expect(stats['per.class']).toEqual({
      'cat.dog': { 'py/object': 'numpy.float32', dtype: 'float32', value: 0.5 },
      plain: 1,
    });
    expect(run.info.notes).toBe('info with numpy values');
  });

  it('reads a QUEUED run that has no times, output or artifacts yet', () => {
    const run = readMongoRun(variants.runs[1]);
    expect(run).toMatchObject({
      id: '2',
      status: 'QUEUED',
      experiment: 'observer_variants',
      startTime: null,
      stopTime: null,
      heartbeat: null,
      result: null,
      artifacts: [],
      resources: [],
      warnings: [],
      capturedOutput: { text: '', truncated: false, totalBytes: 0 },
      unreadable: null,
    });
    expect(run.meta).toMatchObject({ queue_time: '2026-12-04T14:54:16.596Z' });
  });
});
