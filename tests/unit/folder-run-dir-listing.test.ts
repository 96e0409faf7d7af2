import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderReadContext } from '../../main/core/folder/folder-read-context';
import { readRunDir } from '../../main/core/folder/read-run-dir';
import { listRunDir, listedContainment } from '../../main/core/folder/run-dir-listing';

/**
 * The reader answers "where does this run file really lie" from one listing of the run
 * directory instead of a realpath per file (run-dir-listing.ts). These are the cases where the
 * listing's answer and the per-file answer could part: a run directory that is itself a link,
 * names that are links, files that are not there, and the checks a sync shares between runs.
 */

function writeRun(dir: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(dir, { recursive: true });
  const run = {
    status: 'COMPLETED',
    command: 'main',
    experiment: { name: 'listing', sources: [['train.py', '_sources/train_0a1b.py']] },
    host: { hostname: 'box' },
    meta: {},
    start_time: '2026-01-01T00:00:00',
    artifacts: ['model.bin'],
    resources: [],
    ...extra,
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ lr: 0.5 }));
  writeFileSync(join(dir, 'cout.txt'), 'hello\n');
  writeFileSync(join(dir, 'model.bin'), '123456');
}

describe('reading a run directory from its listing', () => {
  let work: string;
  let folder: string;
  let outside: string;

  beforeEach(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'altar-listing-')));
    folder = join(work, 'runs');
    outside = join(work, 'outside');
    mkdirSync(join(folder, '_sources'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(folder, '_sources', 'train_0a1b.py'), 'print(1)\n');
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const entry = (id: string) => ({ id, dir: join(folder, id), fingerprint: 'x' });

  it('says which names are plain files, which need the full check, and where they lie', async () => {
    const dir = join(folder, '1');
    writeRun(dir);
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    mkdirSync(join(dir, 'plots'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const listing = await listRunDir(dir);
    expect(listing?.realDir).toBe(dir);
    expect(listing?.kinds.get('run.json')).toBe('file');
    for (const name of ['link.txt', 'plots', 'pipe'])
      expect(listing?.kinds.get(name)).toBe('other');
    expect(listedContainment(listing, 'run.json', [folder])).toEqual({
      realPath: join(dir, 'run.json'),
      inside: true,
    });
    expect(listedContainment(listing, 'run.json', [outside])?.inside).toBe(false);
    // Links and missing names are not the listing's to answer.
    expect(listedContainment(listing, 'link.txt', [folder])).toBeUndefined();
    expect(listedContainment(listing, 'info.json', [folder])).toBeUndefined();
    expect(await listRunDir(join(folder, 'gone'))).toBeNull();
  });

  it('refuses every file of a run directory linked outside, naming where each really is', async () => {
    const target = join(outside, 'elsewhere');
    writeRun(target);
    symlinkSync(target, join(folder, '7'));
    const run = await readRunDir(folder, entry('7'), { allowedFolders: [folder], source: 'lab' });
    expect(run.unreadable).toContain(`run.json points to ${join(target, 'run.json')}`);
    expect(run.unreadable).toContain('outside the folders this source may read');
    expect(run.config).toEqual({});
    expect(run.capturedOutput.text).toBe('');
  });

  it('reads the same linked run directory once its real folder is trusted', async () => {
    const target = join(outside, 'elsewhere');
    writeRun(target);
    symlinkSync(target, join(folder, '7'));
    const run = await readRunDir(folder, entry('7'), {
      allowedFolders: [folder, outside],
      source: 'lab',
    });
    expect(run.unreadable).toBeNull();
    expect(run.config).toEqual({ lr: 0.5 });
    expect(run.capturedOutput.text).toBe('hello\n');
    expect(run.artifacts).toEqual([
      { name: 'model.bin', absPath: join(folder, '7', 'model.bin'), size: 6 },
    ]);
    expect(run.warnings).toEqual([]);
  });

  it('refuses a plain-file artifact of a run directory linked outside when only run files are trusted', async () => {
    // The run files are reached through a trusted folder; the artifact is named by the run.
    const target = join(outside, 'elsewhere');
    writeRun(target);
    symlinkSync(target, join(folder, '7'));
    const run = await readRunDir(folder, entry('7'), {
      allowedFolders: [folder, join(target, 'run.json'), join(target, 'config.json')],
      source: 'lab',
    });
    const artifact = run.artifacts[0];
    expect(artifact).toMatchObject({ name: 'model.bin', size: null });
    expect(run.warnings.join('\n')).toContain(
      `artifact "model.bin" points to ${join(target, 'model.bin')}`,
    );
  });

  it('says an artifact is missing, and reads a run without info.json or metrics.json quietly', async () => {
    const dir = join(folder, '2');
    writeRun(dir, { artifacts: ['model.bin', 'gone.png'] });
    const run = await readRunDir(folder, entry('2'), { allowedFolders: [folder] });
    expect(run.artifacts).toEqual([
      { name: 'model.bin', absPath: join(dir, 'model.bin'), size: 6 },
      { name: 'gone.png', absPath: null, size: null },
    ]);
    expect(run.warnings).toEqual(['artifact "gone.png" is missing from the run directory']);
    expect(run.info).toEqual({});
    expect(run.metrics).toEqual([]);
  });

  it('checks a shared _sources file once a sync, yet warns in every run that names it', async () => {
    writeRun(join(folder, '1'));
    writeRun(join(folder, '2'));
    rmSync(join(folder, '_sources', 'train_0a1b.py'));
    symlinkSync(join(outside, 'secret.py'), join(folder, '_sources', 'train_0a1b.py'));
    writeFileSync(join(outside, 'secret.py'), 'token = 1\n');
    const context = new FolderReadContext([folder]);
    const options = { allowedFolders: [folder], source: 'lab', context };
    const first = await readRunDir(folder, entry('1'), options);
    const second = await readRunDir(folder, entry('2'), options);
    for (const run of [first, second]) {
      expect(run.warnings.join('\n')).toContain(
        `source file "train.py" points to ${join(outside, 'secret.py')}`,
      );
    }
  });
});
