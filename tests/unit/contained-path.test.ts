// The one rule for files a run names (main/core/files/contained-path.ts) and the one way they
// are opened (regular-file.ts): real paths decide, not the text of the name; only regular
// files are read, within a size cap.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkContained,
  isWithin,
  outsideMessage,
  realFolders,
} from '../../main/core/files/contained-path';
import {
  FileRefusedError,
  openRegularFile,
  readRegularFile,
  regularFileStream,
} from '../../main/core/files/regular-file';
import { mkfifo } from '../support/hostile-run-folders';

let root: string;
let inside: string;
let outside: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'altar-contained-'));
  inside = join(root, 'runs');
  outside = join(root, 'outside');
  mkdirSync(join(inside, 'run'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(inside, 'run', 'plot.png'), 'png');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(join(outside, 'secret.txt'), join(inside, 'run', 'link.png'));
  symlinkSync(outside, join(inside, 'run', 'sub'));
  symlinkSync(join(inside, 'run', 'plot.png'), join(inside, 'run', 'inner-link.png'));
  symlinkSync(join(root, 'nowhere'), join(inside, 'run', 'dangling.png'));
  // A folder whose name starts like the source folder's is not inside it.
  mkdirSync(join(root, 'runs-evil'));
  writeFileSync(join(root, 'runs-evil', 'x.txt'), 'x');
  mkfifo(join(inside, 'run', 'pipe'));
  symlinkSync('/dev/zero', join(inside, 'run', 'zero'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('isWithin', () => {
  it('is true for the folder and below it only', () => {
    expect(isWithin('/a/runs', '/a/runs')).toBe(true);
    expect(isWithin('/a/runs', '/a/runs/1/x')).toBe(true);
    expect(isWithin('/a/runs', '/a/runs-evil/x')).toBe(false);
    expect(isWithin('/a/runs', '/a')).toBe(false);
    expect(isWithin('/a/runs', '/a/runs/../other')).toBe(false);
    expect(isWithin('/a/runs', '/a/runs/..x/y')).toBe(true);
  });
});

describe('checkContained', () => {
  it('follows links: a name inside that points outside is outside', async () => {
    const roots = await realFolders([inside]);
    expect((await checkContained(join(inside, 'run', 'plot.png'), roots)).kind).toBe('inside');
    expect((await checkContained(join(inside, 'run', 'inner-link.png'), roots)).kind).toBe(
      'inside',
    );
    expect(await checkContained(join(inside, 'run', 'link.png'), roots)).toMatchObject({
      kind: 'outside',
      realPath: join(outside, 'secret.txt'),
    });
    expect((await checkContained(join(inside, 'run', 'sub', 'secret.txt'), roots)).kind).toBe(
      'outside',
    );
    expect((await checkContained(join(inside, '..', 'runs-evil', 'x.txt'), roots)).kind).toBe(
      'outside',
    );
    expect((await checkContained(join(inside, 'run', 'dangling.png'), roots)).kind).toBe('missing');
  });

  it('accepts what lies in a trusted folder, and a trusted folder that is gone trusts nothing', async () => {
    const roots = await realFolders([inside, outside, join(root, 'gone')]);
    expect(roots).toHaveLength(2);
    expect((await checkContained(join(inside, 'run', 'link.png'), roots)).kind).toBe('inside');
  });

  it('says where the name points and how to trust that folder', () => {
    const text = outsideMessage('artifact "a.png"', '/home/u/.ssh/id_rsa', 'lab');
    expect(text).toContain('artifact "a.png" points to /home/u/.ssh/id_rsa');
    expect(text).toContain('altar-viewer sources set lab --trust /home/u/.ssh');
    expect(outsideMessage('x', "/a b/it's", 'lab')).toContain(`--trust '/a b'`);
  });
});

describe('regular files only', () => {
  it('refuses a FIFO without blocking, and a device without reading it', async () => {
    await expect(openRegularFile(join(inside, 'run', 'pipe'), 'pipe')).rejects.toThrow(
      'pipe is a named pipe (FIFO), not a regular file',
    );
    await expect(readRegularFile(join(inside, 'run', 'zero'), 1024, 'zero')).rejects.toThrow(
      'zero is a character device',
    );
    await expect(openRegularFile(inside, 'runs')).rejects.toThrow('is a directory');
  });

  it('refuses a file over its cap instead of cutting it', async () => {
    const big = join(root, 'big.json');
    writeFileSync(big, 'x'.repeat(2048));
    await expect(readRegularFile(big, 1024, 'big.json')).rejects.toBeInstanceOf(FileRefusedError);
    expect((await readRegularFile(big, 4096)).length).toBe(2048);
  });

  it('streams a range, and refuses a file found outside once it is open', async () => {
    const file = join(inside, 'run', 'plot.png');
    const chunks: Buffer[] = [];
    for await (const chunk of regularFileStream(file, { start: 1, end: 2 })) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('ng');
    const stream = regularFileStream(join(inside, 'run', 'link.png'), undefined, [inside]);
    await expect(async () => {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    }).rejects.toThrow(/outside its folder/u);
  });
});
