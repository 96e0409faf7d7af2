import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLocalFile } from '../../main/core/raw-data/find-local-file';
import {
  expectedLocalPath,
  isWindowsPath,
  pathSegments,
  pathTails,
} from '../../main/core/raw-data/local-path-candidates';

describe('local path candidates', () => {
  it('splits Windows, UNC and POSIX paths into folder segments', () => {
    expect(pathSegments('D:\\acq\\2023\\run1')).toEqual(['acq', '2023', 'run1']);
    expect(pathSegments('\\\\labserver\\share\\2023\\')).toEqual(['labserver', 'share', '2023']);
    expect(pathSegments('/mnt/lab/data')).toEqual(['mnt', 'lab', 'data']);
    expect(pathSegments('C:/mixed\\seps/x')).toEqual(['mixed', 'seps', 'x']);
    // ".." must never walk out of a local root.
    expect(pathSegments('D:\\acq\\..\\..\\etc')).toEqual(['acq', 'etc']);
    expect(pathSegments('')).toEqual([]);
  });

  it('tries the longest tail first, then shorter ones, then the root itself', () => {
    expect(pathTails('D:\\acq\\2023\\run1')).toEqual([
      ['acq', '2023', 'run1'],
      ['2023', 'run1'],
      ['run1'],
      [],
    ]);
    expect(pathTails('')).toEqual([[]]);
  });

  it('spells the expected path as the recording computer would', () => {
    expect(expectedLocalPath('\\\\labserver\\share\\2023', 'notes.txt')).toBe(
      '\\\\labserver\\share\\2023\\notes.txt',
    );
    expect(expectedLocalPath('D:\\acq\\', 'a.tif')).toBe('D:\\acq\\a.tif');
    expect(expectedLocalPath('/data/run1/', 'a.tif')).toBe('/data/run1/a.tif');
    expect(isWindowsPath('D:data')).toBe(true);
    expect(isWindowsPath('/data')).toBe(false);
  });

  it('drops "." folders and doubled separators, and keeps a POSIX name with a colon POSIX', () => {
    expect(pathSegments('/data/./run1')).toEqual(['data', 'run1']);
    expect(pathSegments('D:\\acq\\.\\run1')).toEqual(['acq', 'run1']);
    expect(expectedLocalPath('/scratch/job:42', 'a.tif')).toBe('/scratch/job:42/a.tif');
    expect(expectedLocalPath('/data/run1//', 'a.tif')).toBe('/data/run1/a.tif');
    expect(expectedLocalPath('D:\\acq\\\\', 'a.tif')).toBe('D:\\acq\\a.tif');
    // No folder recorded: the file name alone, not a path at the filesystem root.
    expect(expectedLocalPath('', 'a.tif')).toBe('a.tif');
  });
});

describe('findLocalFile', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'altar-local-'));
    // A share mounted here: the tail "2023/run1" of D:\acq\2023\run1 survives under it.
    mkdirSync(join(root, 'share', '2023', 'run1'), { recursive: true });
    writeFileSync(join(root, 'share', '2023', 'run1', 'trace.csv'), 'a,b\n');
    // Another file, deeper, only reachable by the subfolder search.
    mkdirSync(join(root, 'other', 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'other', 'a', 'b', 'Deep.TIFF'), 'x');
    // Too deep for a depth-4 search from the root: root/d1/d2/d3/d4/d5/far.bin.
    mkdirSync(join(root, 'd1', 'd2', 'd3', 'd4', 'd5'), { recursive: true });
    writeFileSync(join(root, 'd1', 'd2', 'd3', 'd4', 'd5', 'far.bin'), 'x');
    mkdirSync(join(root, 'posix', 'run'), { recursive: true });
    writeFileSync(join(root, 'posix', 'run', 'direct.txt'), 'x');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds a POSIX local_path directly, without any root', async () => {
    const found = await findLocalFile(join(root, 'posix', 'run'), 'direct.txt', []);
    expect(found).toEqual({ found: true, path: join(root, 'posix', 'run', 'direct.txt') });
  });

  it('finds a Windows path by its tail under a local root', async () => {
    const found = await findLocalFile('D:\\acq\\2023\\run1', 'trace.csv', [join(root, 'share')]);
    expect(found).toEqual({ found: true, path: join(root, 'share', '2023', 'run1', 'trace.csv') });
  });

  it('finds a file in a subfolder, whatever its case', async () => {
    const found = await findLocalFile('\\\\srv\\x\\nowhere', 'deep.tiff', [root]);
    expect(found).toEqual({ found: true, path: join(root, 'other', 'a', 'b', 'Deep.TIFF') });
  });

  it('says where the file was expected and which folders were searched', async () => {
    const missing = await findLocalFile('D:\\acq\\2023\\run1', 'absent.bin', [
      root,
      join(root, 'not-mounted'),
    ]);
    expect(missing.found).toBe(false);
    if (missing.found) return;
    expect(missing.expected).toBe('D:\\acq\\2023\\run1\\absent.bin');
    expect(missing.searched).toContain(`${root} (and subfolders, 4 levels)`);
    expect(missing.searched).toContain(`${join(root, 'not-mounted')} (absent)`);
    expect(missing.searched).toContain(`${join(root, 'acq', '2023', 'run1')} (absent)`);
  });

  it('stays within its depth and folder budget', async () => {
    const tooDeep = await findLocalFile(null, 'far.bin', [root]);
    expect(tooDeep.found).toBe(false);
    const deeper = await findLocalFile(null, 'far.bin', [root], { depth: 6, maxDirectories: 100 });
    expect(deeper.found).toBe(true);
    const capped = await findLocalFile(null, 'far.bin', [root], { depth: 6, maxDirectories: 2 });
    expect(capped.found).toBe(false);
    if (!capped.found) expect(capped.searched.at(-1)).toBe('(search stopped after 2 folders)');
  });
});
