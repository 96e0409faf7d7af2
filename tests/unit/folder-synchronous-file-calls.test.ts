import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OUTSIDE_MARKER } from '../../main/core/files/contained-path';
import { fileCalls, useSynchronousFileCalls } from '../../main/core/files/file-calls';
import { FolderReadContext } from '../../main/core/folder/folder-read-context';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { readOrExplain } from '../../main/core/folder/read-or-explain';

/**
 * The sync's read worker calls the file system synchronously (file-calls.ts): the same reader,
 * so a run must read exactly as it does through the async calls, hostile folders included: a
 * file linked out of the run folder is still refused, a FIFO still never blocks the read.
 */

const SECRET = 'the secret key';

function writeRun(dir: string, run: Record<string, unknown> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({
      status: 'COMPLETED',
      experiment: { name: 'calls', sources: [['train.py', '_sources/train_1.py']] },
      host: { hostname: 'box' },
      start_time: '2026-01-01T00:00:00.000000',
      artifacts: ['model.bin', 'escape.bin', 'sub/deep.bin', 'gone.bin'],
      ...run,
    }),
  );
  writeFileSync(join(dir, 'config.json'), '{"lr": NaN, "depth": 3}');
  writeFileSync(
    join(dir, 'metrics.json'),
    JSON.stringify({
      loss: {
        steps: [0, 1, 2],
        timestamps: ['2026-01-01T00:00:01.000000', '2026-01-01T00:00:02.000000', 7],
        values: [1.5, 'x', 0.25],
      },
    }),
  );
  writeFileSync(join(dir, 'cout.txt'), 'epoch 1\n');
  writeFileSync(join(dir, 'model.bin'), '123456');
}

describe('reading run folders with synchronous file calls', () => {
  let work: string;
  let folder: string;

  beforeAll(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'altar-sync-calls-')));
    folder = join(work, 'runs');
    const outside = join(work, 'outside');
    mkdirSync(join(folder, '_sources'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), SECRET);
    writeFileSync(join(folder, '_sources', 'train_1.py'), 'print(1)\n');

    writeRun(join(folder, '1'));
    mkdirSync(join(folder, '1', 'sub'));
    writeFileSync(join(folder, '1', 'sub', 'deep.bin'), 'deep');
    symlinkSync(join(outside, 'secret.txt'), join(folder, '1', 'escape.bin'));
    // Run files linked out of the run folder: never read.
    writeRun(join(folder, '2'));
    rmSync(join(folder, '2', 'cout.txt'));
    symlinkSync(join(outside, 'secret.txt'), join(folder, '2', 'cout.txt'));
    rmSync(join(folder, '2', 'config.json'));
    symlinkSync(join(outside, 'secret.txt'), join(folder, '2', 'config.json'));
    // A whole run folder linked outside.
    writeRun(join(outside, 'elsewhere'));
    symlinkSync(join(outside, 'elsewhere'), join(folder, '3'));
    // FIFOs and a directory where files belong: refused, and nothing blocks.
    writeRun(join(folder, '4'));
    for (const name of ['metrics.json', 'cout.txt']) {
      rmSync(join(folder, '4', name));
      execFileSync('mkfifo', [join(folder, '4', name)]);
    }
    rmSync(join(folder, '4', 'config.json'));
    mkdirSync(join(folder, '4', 'config.json'));
    // Half-written files, and a run.json that is no JSON at all.
    writeRun(join(folder, '5'));
    writeFileSync(join(folder, '5', 'metrics.json'), '{"loss": {"steps": [0, 1');
    writeFileSync(join(folder, '5', 'info.json'), '');
    mkdirSync(join(folder, '6'));
    writeFileSync(join(folder, '6', 'run.json'), '{"status": "RUNN');
    writeFileSync(join(folder, '6', 'cout.txt'), 'started\n');
    // run.json itself linked outside, and a run folder with no run.json.
    writeRun(join(folder, '7'));
    rmSync(join(folder, '7', 'run.json'));
    symlinkSync(join(outside, 'elsewhere', 'run.json'), join(folder, '7', 'run.json'));
    mkdirSync(join(folder, '8'));
  });

  afterAll(() => {
    useSynchronousFileCalls(false);
    rmSync(work, { recursive: true, force: true });
  });

  afterEach(() => {
    useSynchronousFileCalls(false);
  });

  async function readAll(): Promise<Map<string, ParsedRun | null>> {
    const context = new FolderReadContext([folder]);
    const runs = new Map<string, ParsedRun | null>();
    for (const id of readdirSync(folder).filter((name) => !name.startsWith('_'))) {
      const entry = { id, dir: join(folder, id), fingerprint: 'x' };
      const run = await readOrExplain(folder, entry, {
        allowedFolders: [folder],
        source: 'calls',
        context,
        retryDelayMs: 0,
      });
      // The captured output's text, not its lazy getter, is what the user sees.
      runs.set(id, run === null ? null : { ...run, capturedOutput: { ...run.capturedOutput } });
    }
    return runs;
  }

  it('reads every run exactly as the async calls do', async () => {
    const viaPool = await readAll();
    useSynchronousFileCalls();
    const direct = await readAll();
    expect(direct.size).toBe(8);
    expect(direct).toEqual(viaPool);
  });

  it('still refuses files linked out of the run folder and never reads their content', async () => {
    useSynchronousFileCalls();
    const runs = await readAll();
    const shown = JSON.stringify([...runs.values()]);
    expect(shown).not.toContain(SECRET);
    const escaped = runs.get('1');
    expect(escaped?.artifacts.find((a) => a.name === 'escape.bin')?.size).toBeNull();
    expect(escaped?.artifacts.find((a) => a.name === 'sub/deep.bin')?.size).toBe(4);
    expect(escaped?.warnings.some((w) => w.startsWith('artifact "escape.bin" points to'))).toBe(
      true,
    );
    const linkedFiles = runs.get('2');
    expect(linkedFiles?.capturedOutput.text).toBe('');
    expect(linkedFiles?.config).toEqual({});
    expect(linkedFiles?.warnings.filter((w) => w.includes(OUTSIDE_MARKER))).toHaveLength(2);
    expect(runs.get('3')?.unreadable).toContain(OUTSIDE_MARKER);
    expect(runs.get('7')?.unreadable).toContain(OUTSIDE_MARKER);
  });

  it('refuses FIFOs and directories where files belong, and reports broken files', async () => {
    useSynchronousFileCalls();
    const runs = await readAll();
    expect(runs.get('4')?.warnings).toEqual(
      expect.arrayContaining([
        'metrics.json is a named pipe (FIFO), not a regular file; it is not read',
        `cout.txt cannot be read (${join(folder, '4', 'cout.txt')} is a named pipe (FIFO), not a regular file; it is not read)`,
        'config.json is a directory, not a regular file; it is not read',
      ]),
    );
    expect(runs.get('5')?.halfWritten).toEqual(
      expect.arrayContaining([expect.stringContaining('metrics.json looked half-written')]),
    );
    expect(runs.get('6')?.unreadable).toBe('run.json is not valid JSON (truncated?)');
    expect(runs.get('6')?.capturedOutput.text).toBe('started\n');
    expect(runs.get('8')?.unreadable).toBe('run.json is missing');
  });

  it('gives the same errors as the async calls, as rejections', async () => {
    const missing = join(folder, 'nothing-here');
    const codes = async (): Promise<unknown[]> => {
      const calls = fileCalls();
      return Promise.all(
        [
          calls.stat(missing),
          calls.realpath(missing),
          calls.readdirWithTypes(join(folder, '1', 'run.json')),
          calls.open(missing, 0),
          calls.readlink(join(folder, '1', 'run.json')),
        ].map((call) => call.then(() => 'ok').catch((error: { code?: string }) => error.code)),
      );
    };
    const viaPool = await codes();
    useSynchronousFileCalls();
    expect(await codes()).toEqual(viaPool);
    expect(viaPool).toEqual(['ENOENT', 'ENOENT', 'ENOTDIR', 'ENOENT', 'EINVAL']);
  });
});
