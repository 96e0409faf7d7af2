import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCoutTail } from '../../main/core/folder/read-cout-tail';
import { readRunDir } from '../../main/core/folder/read-run-dir';

describe('cout.txt tail', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'altar-cout-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns exactly the last bytes of a file bigger than the tail', async () => {
    const lines = Array.from(
      { length: 5000 },
      (_, i) => `epoch ${i} loss ${(1 / (i + 1)).toFixed(6)}\n`,
    );
    const text = lines.join('');
    const path = join(dir, 'cout.txt');
    await writeFile(path, text);
    const tail = await readCoutTail(path, 1000);
    expect(tail.truncated).toBe(true);
    expect(tail.totalBytes).toBe(Buffer.byteLength(text));
    expect(tail.text).toBe(text.slice(text.length - 1000));
  });

  it('returns the whole file when it fits', async () => {
    const path = join(dir, 'cout.txt');
    await writeFile(path, 'héllo\nwörld\n');
    expect(await readCoutTail(path, 1000)).toEqual({
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
      const tail = await readCoutTail(path, cutInside);
      expect(tail.text).toBe('after the cut ✓\n');
      expect(tail.text).not.toContain('\ufffd');
    }
  });

  it('leaves out a character whose last bytes have not been written yet', async () => {
    const path = join(dir, 'cout.txt');
    const full = Buffer.from('step 1 ✓');
    await writeFile(path, full.subarray(0, full.length - 1));
    const tail = await readCoutTail(path, 100);
    expect(tail.text).toBe('step 1 ');
    expect(tail.totalBytes).toBe(full.length - 1);
  });

  it('treats a missing cout.txt as no output', async () => {
    expect(await readCoutTail(join(dir, 'cout.txt'), 100)).toEqual({
      text: '',
      truncated: false,
      totalBytes: 0,
    });
  });

  it('is what readRunDir puts in capturedOutput, capped by coutTailBytes', async () => {
    const run = join(dir, '1');
    await mkdir(run);
    await writeFile(join(run, 'run.json'), '{"status": "RUNNING"}');
    await writeFile(join(run, 'config.json'), '{}');
    await writeFile(join(run, 'cout.txt'), `${'x'.repeat(10_000)}the end\n`);
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
});
