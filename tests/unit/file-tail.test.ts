import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileHead, readFileTail, utf8Tail } from '../../main/core/file-tail';
import { readRunDir } from '../../main/core/folder/read-run-dir';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'altar-tail-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file tail and head', () => {
  it('returns exactly the last bytes of a file bigger than the tail', async () => {
    const lines = Array.from(
      { length: 5000 },
      (_, i) => `epoch ${i} loss ${(1 / (i + 1)).toFixed(6)}\n`,
    );
    const text = lines.join('');
    const path = join(dir, 'cout.txt');
    await writeFile(path, text);
    const tail = await readFileTail(path, 1000);
    expect(tail.truncated).toBe(true);
    expect(tail.totalBytes).toBe(Buffer.byteLength(text));
    expect(tail.text).toBe(text.slice(text.length - 1000));
  });

  it('returns the whole file when it fits', async () => {
    const path = join(dir, 'cout.txt');
    await writeFile(path, 'héllo\nwörld\n');
    expect(await readFileTail(path, 1000)).toEqual({
      text: 'héllo\nwörld\n',
      truncated: false,
      totalBytes: Buffer.byteLength('héllo\nwörld\n'),
    });
  });

  it('drops only the one character cut in half at the start of the tail', async () => {
    // "€" is 3 bytes and "😀" 4: cut inside each of them.
    for (const char of ['€', '😀', 'é']) {
      const body = `${char}after the cut ✓\n`;
      const path = join(dir, 'cout.txt');
      await writeFile(path, `before ${body}`);
      const cutInside = Buffer.byteLength(body) - 1;
      const tail = await readFileTail(path, cutInside);
      expect(tail.text).toBe('after the cut ✓\n');
      expect(tail.text).not.toContain('\ufffd');
      expect(utf8Tail(`before ${body}`, cutInside)).toEqual({
        text: 'after the cut ✓\n',
        bytes: cutInside,
      });
    }
  });

  it('leaves out a character whose last bytes have not been written yet', async () => {
    const path = join(dir, 'cout.txt');
    const full = Buffer.from('step 1 ✓');
    await writeFile(path, full.subarray(0, full.length - 1));
    const tail = await readFileTail(path, 100);
    expect(tail.text).toBe('step 1 ');
    expect(tail.totalBytes).toBe(full.length - 1);
  });

  it('rejects a missing file', async () => {
    await expect(readFileTail(join(dir, 'cout.txt'), 100)).rejects.toMatchObject({
      code: 'ENOENT',
    });
    await expect(readFileHead(join(dir, 'cout.txt'), 100)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('cuts the head of a file before a character that does not fit', async () => {
    const path = join(dir, 'source.py');
    await writeFile(path, '€€€');
    expect(await readFileHead(path, 7)).toEqual({ text: '€€', truncated: true });
    expect(await readFileHead(path, 9)).toEqual({ text: '€€€', truncated: false });
  });
});

describe('cout.txt in readRunDir', () => {
  async function runWith(cout: string | null): Promise<string> {
    const run = join(dir, '1');
    await mkdir(run);
    await writeFile(join(run, 'run.json'), '{"status": "RUNNING"}');
    await writeFile(join(run, 'config.json'), '{}');
    if (cout !== null) await writeFile(join(run, 'cout.txt'), cout);
    return run;
  }

  it('puts the tail in capturedOutput, capped by coutTailBytes', async () => {
    const run = await runWith(`${'x'.repeat(10_000)}the end\n`);
    const parsed = await readRunDir(
      dir,
      { id: '1', dir: run, fingerprint: '' },
      { coutTailBytes: 8 },
    );
    expect(parsed.capturedOutput).toEqual({
      text: 'the end\n',
      truncated: true,
      totalBytes: 10_008,
    });
  });

  it('treats a missing cout.txt as no output, without a warning', async () => {
    const run = await runWith(null);
    const parsed = await readRunDir(dir, { id: '1', dir: run, fingerprint: '' });
    expect(parsed.capturedOutput).toEqual({ text: '', truncated: false, totalBytes: 0 });
    expect(parsed.warnings.filter((w) => w.includes('cout.txt'))).toEqual([]);
  });

  it('warns about a cout.txt that cannot be read', async () => {
    const run = await runWith(null);
    await mkdir(join(run, 'cout.txt'));
    const parsed = await readRunDir(dir, { id: '1', dir: run, fingerprint: '' });
    expect(parsed.capturedOutput).toEqual({ text: '', truncated: false, totalBytes: 0 });
    expect(parsed.warnings).toContainEqual(expect.stringContaining('cout.txt cannot be read'));
  });
});
