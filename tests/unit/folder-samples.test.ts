import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { readRunDir } from '../../main/core/folder/read-run-dir';
import { scanRunDirs } from '../../main/core/folder/scan-run-dirs';

const samples = resolve(__dirname, '../fixtures/sacred-samples');

async function readAll(name: string): Promise<ParsedRun[]> {
  const folder = join(samples, name);
  const entries = await scanRunDirs(folder);
  return Promise.all(entries.map((entry) => readRunDir(folder, entry, { retries: 0 })));
}

describe('real Sacred 0.8.7 FileStorage folders', () => {
  it('finds the numbered and the custom-named run, not _sources or _resources', async () => {
    const entries = await scanRunDirs(join(samples, 'filestorage_completed'));
    expect(entries.map((entry) => entry.id)).toEqual(['1', 'myrun7']);
    expect(entries[0]?.dir).toBe(join(samples, 'filestorage_completed', '1'));
  });

  it('reads the completed run: status, times as UTC, config with NaN, result, comment', async () => {
    const [run] = await readAll('filestorage_completed');
    expect(run).toBeDefined();
    if (!run) return;
    expect(run.unreadable).toBeNull();
    expect(run.warnings).toEqual([]);
    expect(run.status).toBe('COMPLETED');
    expect(run.experiment).toBe('demo_exp');
    expect(run.command).toBe('main');
    expect(run.hostname).toBe('vm');
    expect(run.comment).toBe('a comment');
    // run.json says 21:32:02.430553 with no zone: that is UTC, whatever TZ this machine has.
    expect(run.startTime).toBe('2026-11-26T21:32:02.430Z');
    expect(run.stopTime).toBe('2026-11-26T21:32:03.645Z');
    expect(run.heartbeat).toBe('2026-11-26T21:32:03.646Z');
    expect(run.config.bad).toBe('NaN');
    expect(run.config.lr).toBe(0.02);
    expect(run.config.layers).toEqual([64, 32]);
    expect(run.config.when).toBeNull();
    expect(run.config.arr).toEqual({
      dtype: 'int64',
      'py/object': 'numpy.ndarray',
      values: [0, 1, 2],
    });
    expect(run.result).toEqual({
      acc: 0.93,
      arr: { dtype: 'float64', 'py/object': 'numpy.ndarray', values: [1.5, 2.5] },
      inf: 'Infinity',
    });
    expect(run.meta.config_updates).toEqual({ lr: 0.02 });
    expect(run.hostInfo.python_version).toBe('3.11.2');
    expect(run.experimentInfo.mainfile).toBe('my_exp.py');
    expect((run.info.custom as Record<string, unknown>)['json://1']).toBe('intkey');
    expect(run.tags).toEqual([]);
    expect(run.failTrace).toBeNull();
  });

  it('reads the completed run metrics with NaN kept and naive times as UTC', async () => {
    const [run] = await readAll('filestorage_completed');
    const metrics = run?.metrics ?? [];
    expect(metrics.map((m) => [m.name, m.values.length])).toEqual([
      ['train.loss', 7],
      ['val.acc', 5],
    ]);
    const val = metrics[1];
    expect(Array.from(val?.steps ?? [])).toEqual([0, 10, 20, 30, 40]);
    expect(Array.from(val?.values ?? [])).toEqual([0, 0.1, NaN, 0.30000000000000004, 0.4]);
    // …02.437988 as Sacred wrote it: microseconds kept.
    expect(metrics[0]?.timestamps[0]).toBe(Date.UTC(2026, 10, 26, 21, 32, 2) + 437.988);
    expect(metrics[0]?.values[2]).toBe(1 / 3);
  });

  it('resolves artifacts, sources and resources to files that exist', async () => {
    const [run] = await readAll('filestorage_completed');
    const folder = join(samples, 'filestorage_completed');
    expect(run?.artifacts).toEqual([
      { name: 'model.txt', absPath: join(folder, '1', 'model.txt'), size: 7 },
    ]);
    expect(run?.sourceFiles).toEqual([
      {
        name: 'helper.py',
        absPath: join(folder, '_sources', 'helper_7ee5786859eb70376a40564f726a39bf.py'),
      },
      {
        name: 'my_exp.py',
        absPath: join(folder, '_sources', 'my_exp_6b8395a10cc309324eb63d2042a9c428.py'),
      },
    ]);
    // run.json stores /home/alice/runs/_resources/...: found by basename in this folder instead.
    expect(run?.resources).toEqual([
      {
        path: '/home/alice/exp/data.csv',
        stored: '/home/alice/runs/_resources/data_e5ebd4c02cefbe7955977c67ada242b7.csv',
        absPath: join(folder, '_resources', 'data_e5ebd4c02cefbe7955977c67ada242b7.csv'),
      },
    ]);
    for (const source of run?.sourceFiles ?? []) {
      expect(readFileSync(source.absPath ?? '', 'utf8').length).toBeGreaterThan(0);
    }
  });

  it('reads captured output from cout.txt', async () => {
    const [run] = await readAll('filestorage_completed');
    expect(run?.capturedOutput.truncated).toBe(false);
    expect(run?.capturedOutput.totalBytes).toBe(298);
    expect(run?.capturedOutput.text).toContain('Started run with ID "1"');
    expect(run?.capturedOutput.text.endsWith('Completed after 0:00:01\n')).toBe(true);
  });

  it('reads the custom-id run with an empty metrics file', async () => {
    const [, run] = await readAll('filestorage_completed');
    expect(run?.id).toBe('myrun7');
    expect(run?.status).toBe('COMPLETED');
    expect(run?.result).toBe(1);
    expect(run?.config).toEqual({ mode: 'ok', seed: 500506228 });
    expect(run?.metrics).toEqual([]);
    expect(run?.artifacts).toEqual([]);
    expect(run?.sourceFiles[0]?.absPath).toBe(
      join(
        samples,
        'filestorage_completed',
        '_sources',
        'fail_exp_093608fdab235311e36d7e576d9ee340.py',
      ),
    );
    expect(run?.warnings).toEqual([]);
  });

  it('reads the failed run with its fail trace', async () => {
    const runs = await readAll('filestorage_failed');
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run?.status).toBe('FAILED');
    expect(run?.failTrace).toHaveLength(4);
    expect(run?.failTrace?.[0]).toBe('Traceback (most recent call last):\n');
    expect(run?.failTrace?.[3]).toBe('ValueError: boom\n');
    expect(run?.result).toBeNull();
    expect(run?.config.mode).toBe('fail');
    expect(run?.capturedOutput).toEqual({ text: '', truncated: false, totalBytes: 0 });
  });

  it('reads the interrupted run', async () => {
    const [run] = await readAll('filestorage_interrupted');
    expect(run?.status).toBe('INTERRUPTED');
    expect(run?.stopTime).toBe('2026-11-26T21:32:22.783Z');
    expect(run?.failTrace).toBeNull();
    expect(run?.unreadable).toBeNull();
  });

  it('reads the queued run: py/tuple sources copied into the run dir, no start time', async () => {
    const [run] = await readAll('filestorage_queued');
    expect(run?.status).toBe('QUEUED');
    expect(run?.unreadable).toBeNull();
    expect(run?.startTime).toBeNull();
    expect(run?.heartbeat).toBeNull();
    expect(run?.stopTime).toBeNull();
    expect(run?.artifacts).toEqual([]);
    expect(run?.metrics).toEqual([]);
    expect(run?.sourceFiles).toEqual([
      { name: 'fail_exp.py', absPath: join(samples, 'filestorage_queued', '1', 'fail_exp.py') },
    ]);
    // The queue time stays the raw jsonpickle node for the display decoder.
    expect((run?.meta.queue_time as Record<string, unknown>)['py/object']).toBe(
      'datetime.datetime',
    );
    expect(run?.warnings).toEqual([]);
  });
});
