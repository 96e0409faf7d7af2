import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { readRunDir } from '../../main/core/folder/read-run-dir';
import { scanRunDirs } from '../../main/core/folder/scan-run-dirs';

const GOOD_RUN = `{
  "artifacts": ["model.txt"],
  "command": "main",
  "experiment": {"name": "exp", "sources": [["train.py", "_sources/train_abc.py"]]},
  "heartbeat": "2026-11-26T21:32:03",
  "host": {"hostname": "gpu1"},
  "meta": {"comment": "try 3"},
  "omniboard": {"tags": ["best", "v2"]},
  "result": NaN,
  "start_time": "2026-11-26T21:32:02.5",
  "status": "RUNNING"
}`;

const GOOD_METRICS = `{
  "loss": {
    "steps": [0, 1, 2, 3],
    "timestamps": ["2026-11-26T21:32:02", "2026-11-26T21:32:03", "2026-11-26T21:32:04", "2026-11-26T21:32:05"],
    "values": [0.9, 0.5, 0.25, 0.125]
  }
}`;

const FAST = { retries: 1, retryDelayMs: 0 };

describe('readRunDir on broken runs', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'altar-broken-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function run(id: string, files: Record<string, string>) {
    await mkdir(join(folder, id), { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, id, name), text);
  }

  async function read(id: string): Promise<ParsedRun> {
    return readRunDir(folder, { id, dir: join(folder, id), fingerprint: 'x' }, FAST);
  }

  it('marks a run with an empty run.json unreadable, saying so', async () => {
    await run('1', { 'run.json': '', 'config.json': '{"lr": 0.1}' });
    const parsed = await read('1');
    expect(parsed.unreadable).toBe('run.json is empty');
    expect(parsed.status).toBe('UNREADABLE');
    expect(parsed.id).toBe('1');
    // What could be read is still there to help the user.
    expect(parsed.config).toEqual({ lr: 0.1 });
  });

  it('marks a run with a truncated run.json unreadable', async () => {
    await run('2', { 'run.json': GOOD_RUN.slice(0, 120), 'config.json': '{}' });
    const parsed = await read('2');
    expect(parsed.unreadable).toBe('run.json is not valid JSON (truncated?)');
    expect(parsed.status).toBe('UNREADABLE');
  });

  it('marks a run whose run.json is not an object unreadable', async () => {
    await run('3', { 'run.json': '[1, 2]', 'config.json': '{}' });
    expect((await read('3')).unreadable).toBe('run.json does not hold a JSON object');
  });

  it('marks an empty directory and a config-only directory as missing run.json', async () => {
    await mkdir(join(folder, '4'));
    await run('5', { 'config.json': '{"seed": 1}' });
    const empty = await read('4');
    const configOnly = await read('5');
    expect(empty.unreadable).toBe('run.json is missing');
    expect(configOnly.unreadable).toBe('run.json is missing');
    expect(configOnly.config).toEqual({ seed: 1 });
  });

  it('keeps the complete points of a truncated metrics.json and warns', async () => {
    const cut = GOOD_METRICS.indexOf('0.25') + 2;
    await run('6', {
      'run.json': GOOD_RUN,
      'config.json': '{}',
      'metrics.json': GOOD_METRICS.slice(0, cut),
    });
    const parsed = await read('6');
    expect(parsed.unreadable).toBeNull();
    expect(parsed.status).toBe('RUNNING');
    expect(Array.from(parsed.metrics[0]?.values ?? [])).toEqual([0.9, 0.5]);
    expect(Array.from(parsed.metrics[0]?.steps ?? [])).toEqual([0, 1]);
    expect(parsed.warnings.some((w) => w.startsWith('metrics.json is truncated'))).toBe(true);
  });

  it('reads a run without config.json with a warning', async () => {
    await run('7', { 'run.json': GOOD_RUN, 'metrics.json': GOOD_METRICS });
    const parsed = await read('7');
    expect(parsed.unreadable).toBeNull();
    expect(parsed.config).toEqual({});
    expect(parsed.warnings).toContain('config.json is missing');
    expect(parsed.metrics[0]?.values.length).toBe(4);
  });

  it('warns about a broken config.json and info.json but still reads the run', async () => {
    await run('8', { 'run.json': GOOD_RUN, 'config.json': '{"a": ', 'info.json': '' });
    const parsed = await read('8');
    expect(parsed.unreadable).toBeNull();
    expect(parsed.warnings).toContain('config.json is not valid JSON (truncated?)');
    expect(parsed.warnings).toContain('info.json is empty');
  });

  it('reads the fields of a running run: times as UTC, tags, comment, NaN result', async () => {
    await run('9', {
      'run.json': GOOD_RUN,
      'config.json': '{"tags": ["ignored"]}',
      'model.txt': 'w',
    });
    const parsed = await read('9');
    expect(parsed.startTime).toBe('2026-11-26T21:32:02.500Z');
    expect(parsed.heartbeat).toBe('2026-11-26T21:32:03.000Z');
    expect(parsed.stopTime).toBeNull();
    expect(parsed.hostname).toBe('gpu1');
    expect(parsed.comment).toBe('try 3');
    expect(parsed.tags).toEqual(['best', 'v2']);
    expect(parsed.result).toBe('NaN');
    expect(parsed.artifacts).toEqual([
      { name: 'model.txt', absPath: join(folder, '9', 'model.txt'), size: 1 },
    ]);
    // _sources/train_abc.py does not exist in this folder.
    expect(parsed.sourceFiles).toEqual([{ name: 'train.py', absPath: null }]);
    expect(parsed.warnings).toEqual([]);
  });

  it('takes tags from config.tags when there are no omniboard tags', async () => {
    await run('10', {
      'run.json': '{"status": "COMPLETED"}',
      'config.json': '{"tags": ["from-config"]}',
    });
    expect((await read('10')).tags).toEqual(['from-config']);
  });

  it('warns about a missing artifact and refuses one pointing outside the run', async () => {
    await run('11', {
      'run.json': '{"status": "COMPLETED", "artifacts": ["gone.bin", "../12/secret.txt"]}',
      'config.json': '{}',
    });
    await run('12', { 'secret.txt': 'x' });
    const parsed = await read('11');
    expect(parsed.artifacts).toEqual([
      { name: 'gone.bin', absPath: null, size: null },
      { name: '../12/secret.txt', absPath: null, size: null },
    ]);
    expect(parsed.warnings).toContain('artifact "gone.bin" is missing from the run directory');
    expect(parsed.warnings.some((w) => w.includes('outside the run directory'))).toBe(true);
  });

  it('resolves copy_sources=False paths relative to the folder', async () => {
    await mkdir(join(folder, 'code'));
    await writeFile(join(folder, 'code', 'train.py'), 'print(1)');
    await run('13', {
      'run.json':
        '{"status": "COMPLETED", "experiment": {"sources": [["train.py", "code/train.py"], ["gone.py", "../x/gone.py"]]}}',
      'config.json': '{}',
    });
    expect((await read('13')).sourceFiles).toEqual([
      { name: 'train.py', absPath: join(folder, 'code', 'train.py') },
      { name: 'gone.py', absPath: null },
    ]);
  });

  it('says when run.json has no status', async () => {
    await run('14', { 'run.json': '{}', 'config.json': '{}' });
    const parsed = await read('14');
    expect(parsed.unreadable).toBeNull();
    expect(parsed.status).toBe('UNKNOWN');
    expect(parsed.warnings).toContain('run.json has no status');
  });

  it('syncs a whole folder of broken runs without throwing, each saying why', async () => {
    await run('1', { 'run.json': '' });
    await run('2', { 'run.json': '{"status": "COMPL' });
    await run('3', {
      'run.json': GOOD_RUN,
      'config.json': '{}',
      'metrics.json': '{"loss": {"steps": [0, 1',
    });
    await run('4', { 'run.json': GOOD_RUN });
    await mkdir(join(folder, '5'));
    await run('6', { 'config.json': '{}' });
    await run('7', {
      'run.json': GOOD_RUN,
      'config.json': '{}',
      'metrics.json': GOOD_METRICS,
      'model.txt': 'w',
    });
    await run('8', {
      'run.json': GOOD_RUN,
      'config.json': '{}',
      'metrics.json': '',
      'cout.txt': '\u00ff\u00fe',
    });
    const entries = await scanRunDirs(folder);
    const runs = await Promise.all(entries.map((entry) => readRunDir(folder, entry, FAST)));
    expect(runs.map((r) => [r.id, r.unreadable])).toEqual([
      ['1', 'run.json is empty'],
      ['2', 'run.json is not valid JSON (truncated?)'],
      ['3', null],
      ['4', null],
      ['5', 'run.json is missing'],
      ['6', 'run.json is missing'],
      ['7', null],
      ['8', null],
    ]);
    expect(runs[2]?.warnings.some((w) => w.startsWith('metrics.json is truncated'))).toBe(true);
    expect(runs[3]?.warnings).toContain('config.json is missing');
    expect(runs[6]?.warnings).toEqual([]);
    expect(runs[7]?.warnings.some((w) => w.startsWith('metrics.json is empty'))).toBe(true);
  });

  it('reads run.json again while it is being rewritten', async () => {
    await run('1', { 'run.json': '', 'config.json': '{}' });
    const reading = readRunDir(
      folder,
      { id: '1', dir: join(folder, '1'), fingerprint: 'x' },
      { retries: 200, retryDelayMs: 10 },
    );
    await new Promise((done) => setTimeout(done, 30));
    await writeFile(join(folder, '1', 'run.json'), '{"status": "COMPLETED"}');
    const parsed = await reading;
    expect(parsed.unreadable).toBeNull();
    expect(parsed.status).toBe('COMPLETED');
  });
});
