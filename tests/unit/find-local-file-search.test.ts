// Where findLocalFile looks for a raw data file and what it tells the user when the file is not
// there: the list of searched folders is shown as is, so it must name exactly the folders tried;
// the folder budget and depth are promises of the settings; an exact name beats a case variant.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLocalFile } from '../../main/core/raw-data/find-local-file';
import type { FolderListings } from '../../main/core/raw-data/find-local-file';

let root: string;
let scratch: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'altar-local-search-'));
  scratch = mkdtempSync(join(tmpdir(), 'altar-local-cases-'));
  // The tree below, with folders counted in the order the breadth-first walk lists them for
  // local_path D:\x\run1 under this root: run1 (1), the root (2); run1/a (3), run1 again (already
  // listed, free), b (4); b/c (5), holding target.bin.
  mkdirSync(join(root, 'run1', 'a'), { recursive: true });
  mkdirSync(join(root, 'b', 'c'), { recursive: true });
  writeFileSync(join(root, 'b', 'c', 'target.bin'), 'x');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh folder of its own for a case, outside the counted tree. */
function caseDir(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('findLocalFile: what it searched', () => {
  it('lists exactly the folders tried, and no cap when the walk finished', async () => {
    const missing = await findLocalFile('D:\\x\\run1', 'absent.bin', [root]);
    expect(missing).toEqual({
      found: false,
      expected: 'D:\\x\\run1\\absent.bin',
      // The Windows path itself is no folder here: it is not among them.
      searched: [
        `${join(root, 'x', 'run1')} (absent)`,
        `${join(root, 'run1')} (and subfolders, 4 levels)`,
        `${root} (and subfolders, 4 levels)`,
      ],
    });
  });

  it('without a local_path, searches only the roots', async () => {
    const missing = await findLocalFile(null, 'absent.bin', [root, join(root, 'nope')]);
    expect(missing).toEqual({
      found: false,
      expected: 'absent.bin',
      searched: [`${root} (and subfolders, 4 levels)`, `${join(root, 'nope')} (absent)`],
    });
  });
});

describe('findLocalFile: the folder budget and the depth', () => {
  it('finds the file with exactly the folders it needs, each folder counted once', async () => {
    const found = await findLocalFile('D:\\x\\run1', 'target.bin', [root], {
      depth: 6,
      maxDirectories: 5,
    });
    expect(found).toEqual({ found: true, path: join(root, 'b', 'c', 'target.bin') });
  });

  it('stops one folder short and says so', async () => {
    const capped = await findLocalFile('D:\\x\\run1', 'target.bin', [root], {
      depth: 6,
      maxDirectories: 4,
    });
    expect(capped).toEqual({
      found: false,
      expected: 'D:\\x\\run1\\target.bin',
      searched: [
        `${join(root, 'x', 'run1')} (absent)`,
        `${join(root, 'run1')} (and subfolders, 6 levels)`,
        `${root} (and subfolders, 6 levels)`,
        '(search stopped after 4 folders)',
      ],
    });
  });

  it('searches exactly `depth` levels of subfolders', async () => {
    const dir = caseDir('depth');
    mkdirSync(join(dir, 'l1', 'l2', 'l3'), { recursive: true });
    writeFileSync(join(dir, 'l1', 'l2', 'l3', 'deep.bin'), 'x');
    const limits = (depth: number) => ({ depth, maxDirectories: 100 });
    expect(await findLocalFile(null, 'deep.bin', [dir], limits(3))).toEqual({
      found: true,
      path: join(dir, 'l1', 'l2', 'l3', 'deep.bin'),
    });
    expect(await findLocalFile(null, 'deep.bin', [dir], limits(2))).toMatchObject({
      found: false,
    });
  });
});

describe('findLocalFile: which file', () => {
  it('prefers the exact name under a later folder to a case variant found by the walk', async () => {
    const first = caseDir('first');
    const second = caseDir('second');
    writeFileSync(join(first, 'DATA.BIN'), 'variant');
    mkdirSync(join(second, 'run1'));
    writeFileSync(join(second, 'run1', 'data.bin'), 'exact');
    const found = await findLocalFile('D:\\acq\\run1', 'data.bin', [first, second]);
    expect(found).toEqual({ found: true, path: join(second, 'run1', 'data.bin') });
    // Without the exact one, the case variant is what there is.
    const variant = await findLocalFile('D:\\acq\\run1', 'data.bin', [first]);
    expect(variant).toEqual({ found: true, path: join(first, 'DATA.BIN') });
  });

  it('lists a folder once for all the lookups that share the listings', async () => {
    const dir = caseDir('shared-listings');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'one.bin'), 'x');
    const listings: FolderListings = new Map();
    expect(await findLocalFile(null, 'one.bin', [dir], undefined, listings)).toMatchObject({
      found: true,
    });
    // A file that appears after the folder was listed is not seen by a lookup of the same run's
    // files (one walk of a big share per run, not one per file) but is by a fresh lookup.
    writeFileSync(join(dir, 'sub', 'two.bin'), 'x');
    expect(await findLocalFile(null, 'two.bin', [dir], undefined, listings)).toMatchObject({
      found: false,
    });
    expect(await findLocalFile(null, 'two.bin', [dir])).toEqual({
      found: true,
      path: join(dir, 'sub', 'two.bin'),
    });
  });
});
