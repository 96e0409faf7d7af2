import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { readRunDir } from '../../main/core/folder/read-run-dir';
import type { ReadRunDirOptions } from '../../main/core/folder/read-run-dir';

// What the runs list and a run's page show for run folders that are odd in one way each: a
// status that is no text, files that hold no object, files that are links or folders, names of
// sources, resources and artifacts in every form Sacred writes, and files half-written while
// they are read. Each case owns its folder.

const FAST: ReadRunDirOptions = { retries: 0, retryDelayMs: 0 };

describe('readRunDir on odd run folders', () => {
  let work: string;
  let folder: string;
  let outside: string;

  beforeEach(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'altar-run-edges-')));
    folder = join(work, 'runs');
    outside = join(work, 'outside');
    mkdirSync(folder);
    mkdirSync(outside);
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  function run(id: string, files: Record<string, string | object>): string {
    const dir = join(folder, id);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(
        join(dir, name),
        typeof content === 'string' ? content : JSON.stringify(content),
      );
    }
    return dir;
  }

  function read(id: string, options: ReadRunDirOptions = FAST): Promise<ParsedRun> {
    return readRunDir(folder, { id, dir: join(folder, id), fingerprint: 'x' }, options);
  }

  it('says what a status that is no text is, and shows the run as UNKNOWN', async () => {
    const cases: [unknown, string][] = [
      [null, "run.json's status is null, not text"],
      [['RUNNING'], "run.json's status is a list, not text"],
      [{ s: 1 }, "run.json's status is an object, not text"],
      [3, "run.json's status is a number (3), not text"],
      [true, "run.json's status is a boolean (true), not text"],
      ['x'.repeat(50), ''],
    ];
    for (const [index, [status, warning]] of cases.entries()) {
      const id = String(index + 1);
      run(id, { 'run.json': { status }, 'config.json': {} });
      const parsed = await read(id);
      expect(parsed.unreadable, id).toBeNull();
      if (warning === '') {
        expect(parsed.status).toBe(status);
        expect(parsed.warnings).toEqual([]);
      } else {
        expect(parsed.status, id).toBe('UNKNOWN');
        expect(parsed.warnings, id).toEqual([warning]);
      }
    }
  });

  it('warns about a config.json or info.json that holds no object, and keeps the run', async () => {
    run('1', { 'run.json': { status: 'COMPLETED' }, 'config.json': '[1, 2]', 'info.json': '7' });
    const parsed = await read('1');
    expect(parsed.unreadable).toBeNull();
    expect(parsed.status).toBe('COMPLETED');
    expect(parsed.config).toEqual({});
    expect(parsed.info).toEqual({});
    // Both files are read at once: sorted, as the order is the order the reads finished.
    expect([...parsed.warnings].sort()).toEqual([
      'config.json does not hold a JSON object',
      'info.json does not hold a JSON object',
    ]);
    expect(parsed.halfWritten).toBeUndefined();
  });

  it('reads info.json, and passes on the note of a file with a byte-order mark', async () => {
    run('1', {
      'run.json': '\ufeff{"status": "COMPLETED"}',
      'config.json': '\ufeff{"lr": 1}',
      'info.json': '\ufeff{"best": 0.5}',
    });
    const parsed = await read('1');
    expect(parsed.status).toBe('COMPLETED');
    expect(parsed.config).toEqual({ lr: 1 });
    expect(parsed.info).toEqual({ best: 0.5 });
    // run.json is read first; config.json and info.json at once (sorted: finishing order).
    expect(parsed.warnings[0]).toBe(
      'run.json starts with a UTF-8 byte-order mark, which Sacred never writes; it was skipped',
    );
    expect(parsed.warnings.slice(1).sort()).toEqual([
      'config.json starts with a UTF-8 byte-order mark, which Sacred never writes; it was skipped',
      'info.json starts with a UTF-8 byte-order mark, which Sacred never writes; it was skipped',
    ]);
  });

  it('says which run files looked half-written, so the run is read again', async () => {
    run('1', {
      'run.json': { status: 'RUNNING' },
      'config.json': '{"lr": ',
      'info.json': '{"a": [',
      'metrics.json': '{"loss": {"steps": [0, 1], "values": [0.5, 0.2',
    });
    const parsed = await read('1');
    expect(parsed.unreadable).toBeNull();
    // The three are read at once: the list is in the order they finished.
    expect([...(parsed.halfWritten ?? [])].sort()).toEqual([
      'config.json is not valid JSON (truncated?)',
      'info.json is not valid JSON (truncated?)',
      'metrics.json looked half-written (metrics.json is truncated (it may be being rewritten); showing the points read before the cut)',
    ]);
    expect(Array.from(parsed.metrics[0]?.values ?? [])).toEqual([0.5]);
    // Whole files: nothing to read again.
    run('2', { 'run.json': { status: 'RUNNING' }, 'config.json': {}, 'metrics.json': '{}' });
    expect((await read('2')).halfWritten).toBeUndefined();
  });

  it('marks a broken metrics.json half-written too, and an empty one', async () => {
    run('1', { 'run.json': { status: 'RUNNING' }, 'metrics.json': '{"loss": x}' });
    const broken = await read('1');
    expect(broken.halfWritten?.[0]).toMatch(
      /^metrics\.json looked half-written \(metrics\.json is not valid JSON at byte 9 /,
    );
    run('2', { 'run.json': { status: 'RUNNING' }, 'metrics.json': '' });
    expect((await read('2')).halfWritten).toEqual([
      'metrics.json looked half-written (metrics.json is empty (it may be being rewritten))',
    ]);
  });

  it('reads metrics.json again until it is whole, within the retries', async () => {
    const dir = run('1', {
      'run.json': { status: 'RUNNING' },
      'config.json': {},
      'metrics.json': '{"loss": {"values": [1',
    });
    const reading = read('1', { retries: 400, retryDelayMs: 5 });
    // Sacred rewrites the file whole; the reader must not keep the cut copy it saw first.
    await new Promise((done) => setTimeout(done, 20));
    writeFileSync(join(dir, 'metrics.json'), '{"loss": {"values": [1, 2, 3]}}');
    const parsed = await reading;
    expect(Array.from(parsed.metrics[0]?.values ?? [])).toEqual([1, 2, 3]);
    expect(parsed.halfWritten).toBeUndefined();
    expect(parsed.warnings).toEqual([]);
  });

  it('refuses a metrics.json that is a folder, or past its size cap, saying why', async () => {
    const dir = run('1', { 'run.json': { status: 'COMPLETED' }, 'config.json': {} });
    mkdirSync(join(dir, 'metrics.json'));
    const folderMetrics = await read('1');
    expect(folderMetrics.metrics).toEqual([]);
    expect(folderMetrics.warnings).toEqual([
      'metrics.json is a directory, not a regular file; it is not read',
    ]);
    // A sparse file just past the 8 GiB cap: never read.
    const big = run('2', { 'run.json': { status: 'COMPLETED' }, 'config.json': {} });
    writeFileSync(join(big, 'metrics.json'), '');
    truncateSync(join(big, 'metrics.json'), 8 * 1024 * 1024 * 1024 + 1);
    const capped = await read('2');
    expect(capped.metrics).toEqual([]);
    expect(capped.warnings).toEqual(['metrics.json is larger than 8 GiB; it is not read']);
    // At the cap itself it is read (here: zero bytes, so not JSON from its first byte).
    truncateSync(join(big, 'metrics.json'), 8 * 1024 * 1024 * 1024);
    expect((await read('2')).warnings).toEqual([
      'metrics.json is not valid JSON at byte 0 (unexpected byte 0x00); showing the points read before it',
    ]);
    // A FIFO is no regular file either (reading it would wait forever).
    const fifo = run('3', { 'run.json': { status: 'COMPLETED' }, 'config.json': {} });
    execFileSync('mkfifo', [join(fifo, 'metrics.json')]);
    expect((await read('3')).warnings).toEqual([
      'metrics.json is a named pipe (FIFO), not a regular file; it is not read',
    ]);
  });

  it("refuses an info.json past its own cap (256 MiB), bigger than the other files' 64 MiB", async () => {
    const dir = run('1', { 'run.json': { status: 'COMPLETED' }, 'config.json': {} });
    writeFileSync(join(dir, 'info.json'), '');
    truncateSync(join(dir, 'info.json'), 256 * 1024 * 1024 + 1);
    const parsed = await read('1');
    expect(parsed.status).toBe('COMPLETED');
    expect(parsed.info).toEqual({});
    expect(parsed.warnings).toEqual([
      'info.json is larger than 256 MiB, more than a Sacred run writes; it is not read',
    ]);
  });

  it('takes a dangling metrics.json or cout.txt link as no metrics and no output yet', async () => {
    const dir = run('1', { 'run.json': { status: 'RUNNING' }, 'config.json': {} });
    symlinkSync(join(dir, 'gone-metrics.json'), join(dir, 'metrics.json'));
    symlinkSync(join(dir, 'gone-cout.txt'), join(dir, 'cout.txt'));
    const parsed = await read('1');
    expect(parsed.metrics).toEqual([]);
    expect(parsed.capturedOutput).toEqual({ text: '', truncated: false, totalBytes: 0 });
    expect(parsed.warnings).toEqual([]);
    expect(parsed.halfWritten).toBeUndefined();
  });

  it('reads metrics.json through a link inside the folder', async () => {
    const dir = run('1', { 'run.json': { status: 'COMPLETED' }, 'config.json': {} });
    writeFileSync(join(folder, 'shared-metrics.json'), '{"acc": {"values": [0.9]}}');
    symlinkSync(join(folder, 'shared-metrics.json'), join(dir, 'metrics.json'));
    const linked = await read('1');
    expect(linked.metrics.map((m) => [m.name, Array.from(m.values)])).toEqual([['acc', [0.9]]]);
    expect(linked.warnings).toEqual([]);
  });

  it('refuses config.json, info.json, metrics.json and cout.txt linked outside', async () => {
    const dir = run('1', { 'run.json': { status: 'COMPLETED' } });
    for (const name of ['config.json', 'info.json', 'metrics.json', 'cout.txt']) {
      writeFileSync(join(outside, name), name === 'cout.txt' ? 'secret' : '{"secret": 1}');
      symlinkSync(join(outside, name), join(dir, name));
    }
    const parsed = await read('1', { ...FAST, source: 'lab' });
    expect(parsed.unreadable).toBeNull();
    expect(parsed.config).toEqual({});
    expect(parsed.info).toEqual({});
    expect(parsed.metrics).toEqual([]);
    expect(parsed.capturedOutput).toEqual({ text: '', truncated: false, totalBytes: 0 });
    expect(parsed.warnings).toHaveLength(4);
    for (const name of ['config.json', 'info.json', 'metrics.json', 'cout.txt']) {
      expect(parsed.warnings).toContain(
        `${name} points to ${join(outside, name)}, outside the folders this source may read; ` +
          `it is not read. To read it, trust the folder ${outside} (source menu → "Trusted folders…", ` +
          `or altar-viewer sources set lab --trust ${outside}).`,
      );
    }
  });

  it('still refuses a config.json or cout.txt linked outside when run.json is unreadable', async () => {
    const dir = run('1', { 'run.json': '' });
    writeFileSync(join(outside, 'config.json'), '{"secret": 1}');
    writeFileSync(join(outside, 'cout.txt'), 'secret');
    symlinkSync(join(outside, 'config.json'), join(dir, 'config.json'));
    symlinkSync(join(outside, 'cout.txt'), join(dir, 'cout.txt'));
    const parsed = await read('1');
    expect(parsed.unreadable).toBe('run.json is empty');
    expect(parsed.halfWritten).toEqual(['run.json is empty']);
    expect(parsed.config).toEqual({});
    expect(parsed.capturedOutput.text).toBe('');
    expect(parsed.warnings.filter((w) => w.includes('outside the folders'))).toHaveLength(2);
    // Inside, they are shown to explain the run.
    run('2', { 'run.json': '{"status": ', 'config.json': { seed: 3 }, 'cout.txt': 'started\n' });
    const half = await read('2');
    expect(half.config).toEqual({ seed: 3 });
    expect(half.capturedOutput.text).toBe('started\n');
    expect(half.halfWritten).toEqual(['run.json is not valid JSON (truncated?)']);
    // run.json holding no object is not half-written, and nothing else is said.
    run('3', { 'run.json': '"x"' });
    const notObject = await read('3');
    expect(notObject.unreadable).toBe('run.json does not hold a JSON object');
    expect(notObject.halfWritten).toBeUndefined();
    // run.json missing: no halfWritten either (the run may not have started).
    run('4', { 'config.json': {} });
    expect((await read('4')).halfWritten).toBeUndefined();
  });

  it('refuses run.json linked outside without reading the rest', async () => {
    const dir = run('1', { 'config.json': { lr: 1 }, 'cout.txt': 'out' });
    writeFileSync(join(outside, 'run.json'), '{"status": "COMPLETED"}');
    symlinkSync(join(outside, 'run.json'), join(dir, 'run.json'));
    const parsed = await read('1');
    expect(parsed.status).toBe('UNREADABLE');
    expect(parsed.unreadable).toBe(
      `run.json points to ${join(outside, 'run.json')}, outside the folders this source may read; ` +
        `it is not read. To read it, trust the folder ${outside} for this source.`,
    );
    expect(parsed.config).toEqual({});
    expect(parsed.capturedOutput.text).toBe('');
    expect(parsed.warnings).toEqual([]);
  });

  it('reads the run files of a trusted folder through links', async () => {
    const dir = run('1', {});
    writeFileSync(join(outside, 'run.json'), '{"status": "COMPLETED"}');
    writeFileSync(join(outside, 'config.json'), '{"lr": 2}');
    symlinkSync(join(outside, 'run.json'), join(dir, 'run.json'));
    symlinkSync(join(outside, 'config.json'), join(dir, 'config.json'));
    const parsed = await read('1', { ...FAST, allowedFolders: [folder, outside] });
    expect(parsed.status).toBe('COMPLETED');
    expect(parsed.config).toEqual({ lr: 2 });
    expect(parsed.warnings).toEqual([]);
  });

  it('keeps the fail trace of a run in every form it is written', async () => {
    run('1', { 'run.json': { status: 'FAILED', fail_trace: 'one line\n' } });
    expect((await read('1')).failTrace).toEqual(['one line\n']);
    run('2', { 'run.json': { status: 'FAILED', fail_trace: ['a\n', 3, { b: null }] } });
    expect((await read('2')).failTrace).toEqual(['a\n', '3', '{"b":null}']);
    run('3', { 'run.json': { status: 'FAILED', fail_trace: 7 } });
    expect((await read('3')).failTrace).toBeNull();
  });

  it('reads the fields of run.json that are no text as none', async () => {
    run('1', {
      'run.json': {
        status: 'COMPLETED',
        command: 5,
        experiment: ['not', 'an', 'object'],
        host: 'gpu1',
        meta: [],
        start_time: 'yesterday',
        stop_time: '2026-11-26T21:32:02',
      },
    });
    const parsed = await read('1');
    expect(parsed.command).toBeNull();
    expect(parsed.experiment).toBeNull();
    expect(parsed.hostname).toBeNull();
    expect(parsed.experimentInfo).toEqual({});
    expect(parsed.hostInfo).toEqual({});
    expect(parsed.meta).toEqual({});
    expect(parsed.startTime).toBeNull();
    expect(parsed.stopTime).toBe('2026-11-26T21:32:02.000Z');
    expect(parsed.comment).toBeNull();
    expect(parsed.warnings).toEqual([
      'config.json is missing',
      'start_time "yesterday" is not a readable time (shown as none)',
    ]);
  });

  it('finds source files in every form Sacred names them, and skips malformed entries', async () => {
    mkdirSync(join(folder, '_sources'));
    writeFileSync(join(folder, '_sources', 'train_abc.py'), 'print(1)');
    mkdirSync(join(folder, 'code'));
    writeFileSync(join(folder, 'code', 'lib.py'), 'x = 1');
    const dir = run('1', {
      'run.json': {
        status: 'QUEUED',
        experiment: {
          sources: [
            ['train.py', '_sources/train_abc.py'],
            { 'py/tuple': ['queued.py', 'md5abc'] },
            { 'py/tuple': ['lib.py', 'code/lib.py'] },
            { 'py/tuple': ['gone.py', 'code/gone.py'] },
            ['win.py', 'code\\lib.py'],
            [5, '_sources/train_abc.py'],
            'not a pair',
            { other: 1 },
          ],
        },
      },
    });
    writeFileSync(join(dir, 'queued.py'), 'y = 2');
    const parsed = await read('1');
    expect(parsed.sourceFiles).toEqual([
      { name: 'train.py', absPath: join(folder, '_sources', 'train_abc.py') },
      { name: 'queued.py', absPath: join(dir, 'queued.py') },
      { name: 'lib.py', absPath: join(folder, 'code', 'lib.py') },
      { name: 'gone.py', absPath: null },
      { name: 'win.py', absPath: join(folder, 'code', 'lib.py') },
    ]);
    expect(parsed.warnings).toEqual(['config.json is missing']);
  });

  it('takes an array source from its stored path even when the run folder holds the same name', async () => {
    mkdirSync(join(folder, '_sources'));
    writeFileSync(join(folder, '_sources', 'train_abc.py'), 'print(1)');
    const dir = run('1', {
      'run.json': {
        status: 'COMPLETED',
        experiment: { sources: [['train.py', '_sources/train_abc.py']] },
      },
      'config.json': {},
      // An artifact or output that happens to share the source's name.
      'train.py': 'not the source',
    });
    expect(dir).toBe(join(folder, '1'));
    expect((await read('1')).sourceFiles).toEqual([
      { name: 'train.py', absPath: join(folder, '_sources', 'train_abc.py') },
    ]);
  });

  it('reads a queued source copied into the run folder under its last path segment', async () => {
    const dir = run('1', {
      'run.json': {
        status: 'QUEUED',
        experiment: { sources: [{ 'py/tuple': ['pkg/model.py', 'md5'] }] },
      },
    });
    writeFileSync(join(dir, 'model.py'), 'z = 3');
    expect((await read('1')).sourceFiles).toEqual([
      { name: 'pkg/model.py', absPath: join(dir, 'model.py') },
    ]);
  });

  it('warns about a source file that is a link outside or a folder, and keeps its path', async () => {
    mkdirSync(join(folder, '_sources'));
    writeFileSync(join(outside, 'secret.py'), 'token = 1');
    symlinkSync(join(outside, 'secret.py'), join(folder, '_sources', 'a_1.py'));
    mkdirSync(join(folder, '_sources', 'b_2.py'));
    run('1', {
      'run.json': {
        status: 'COMPLETED',
        experiment: {
          sources: [
            ['a.py', '_sources/a_1.py'],
            ['b.py', '_sources/b_2.py'],
          ],
        },
      },
      'config.json': {},
    });
    const parsed = await read('1');
    expect(parsed.sourceFiles).toEqual([
      { name: 'a.py', absPath: join(folder, '_sources', 'a_1.py') },
      { name: 'b.py', absPath: join(folder, '_sources', 'b_2.py') },
    ]);
    // Sources are checked at once: sorted, as the order is the order the checks finished.
    expect([...parsed.warnings].sort()).toEqual([
      `source file "a.py" points to ${join(outside, 'secret.py')}, outside the folders this source may read; it is not read. To read it, trust the folder ${outside} for this source.`,
      'source file "b.py" is a directory, not a regular file; it is not read',
    ]);
  });

  it('finds resources by the last segment of their stored path, only regular files', async () => {
    mkdirSync(join(folder, '_resources'));
    writeFileSync(join(folder, '_resources', 'data_1.csv'), 'a,b');
    mkdirSync(join(folder, '_resources', 'dir_2.csv'));
    run('1', {
      'run.json': {
        status: 'COMPLETED',
        resources: [
          ['/data/data.csv', 'C:\\lab\\_resources\\data_1.csv'],
          ['/data/dir.csv', '/lab/_resources/dir_2.csv'],
          ['/data/none.csv', null],
          ['/data/gone.csv', '/lab/_resources/gone_3.csv'],
          ['/data/empty.csv', ''],
          [7, '/lab/_resources/data_1.csv'],
          'not a pair',
        ],
      },
      'config.json': {},
    });
    expect((await read('1')).resources).toEqual([
      {
        path: '/data/data.csv',
        stored: 'C:\\lab\\_resources\\data_1.csv',
        absPath: join(folder, '_resources', 'data_1.csv'),
      },
      { path: '/data/dir.csv', stored: '/lab/_resources/dir_2.csv', absPath: null },
      { path: '/data/none.csv', stored: null, absPath: null },
      { path: '/data/gone.csv', stored: '/lab/_resources/gone_3.csv', absPath: null },
      { path: '/data/empty.csv', stored: '', absPath: null },
    ]);
    run('2', { 'run.json': { status: 'COMPLETED', resources: 'x' }, 'config.json': {} });
    expect((await read('2')).resources).toEqual([]);
  });

  it('reads artifacts named by objects or in sub-folders, and refuses what is no file', async () => {
    const dir = run('1', {
      'run.json': {
        status: 'COMPLETED',
        artifacts: [
          { name: 'model.bin' },
          'plots/loss.png',
          'plots/gone.png',
          'plots',
          'pipe',
          'link.txt',
          'inner-link.txt',
          '.',
          { name: 5 },
          7,
        ],
      },
      'config.json': {},
      'model.bin': '1234',
    });
    mkdirSync(join(dir, 'plots'));
    writeFileSync(join(dir, 'plots', 'loss.png'), 'png!!');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    symlinkSync(join(dir, 'model.bin'), join(dir, 'inner-link.txt'));
    const parsed = await read('1');
    expect(parsed.artifacts).toEqual([
      { name: 'model.bin', absPath: join(dir, 'model.bin'), size: 4 },
      { name: 'plots/loss.png', absPath: join(dir, 'plots', 'loss.png'), size: 5 },
      { name: 'plots/gone.png', absPath: null, size: null },
      { name: 'plots', absPath: join(dir, 'plots'), size: null },
      { name: 'pipe', absPath: join(dir, 'pipe'), size: null },
      { name: 'link.txt', absPath: join(dir, 'link.txt'), size: null },
      { name: 'inner-link.txt', absPath: join(dir, 'inner-link.txt'), size: 4 },
      { name: '.', absPath: null, size: null },
    ]);
    expect(parsed.warnings).toEqual([
      'artifact "plots/gone.png" is missing from the run directory',
      'artifact "plots" is a directory, not a regular file; it is not read',
      'artifact "pipe" is a named pipe (FIFO), not a regular file; it is not read',
      `artifact "link.txt" points to ${join(outside, 'secret.txt')}, outside the folders this source may read; it is not read. To read it, trust the folder ${outside} for this source.`,
      'artifact "." points outside the run directory and is not shown',
    ]);
  });

  it('refuses an artifact in a sub-folder that is a link outside', async () => {
    const dir = run('1', {
      'run.json': { status: 'COMPLETED', artifacts: ['out/a.txt', '/etc/hostname'] },
      'config.json': {},
    });
    writeFileSync(join(outside, 'a.txt'), 'secret');
    symlinkSync(outside, join(dir, 'out'));
    const parsed = await read('1');
    expect(parsed.artifacts).toEqual([
      { name: 'out/a.txt', absPath: join(dir, 'out', 'a.txt'), size: null },
      { name: '/etc/hostname', absPath: null, size: null },
    ]);
    expect(parsed.warnings).toEqual([
      `artifact "out/a.txt" points to ${join(outside, 'a.txt')}, outside the folders this source may read; it is not read. To read it, trust the folder ${outside} for this source.`,
      'artifact "/etc/hostname" points outside the run directory and is not shown',
    ]);
  });

  it('takes a negative retry count or delay as none', async () => {
    run('1', { 'run.json': '' });
    const parsed = await read('1', { retries: -5, retryDelayMs: -1 });
    expect(parsed.unreadable).toBe('run.json is empty');
  });
});
