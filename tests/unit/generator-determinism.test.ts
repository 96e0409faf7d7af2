import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import { listFiles, tempDir } from './generator-support';

const now = Date.UTC(2026, 10, 26, 21, 32, 2, 430);
const dirs = [tempDir('gen-a-'), tempDir('gen-b-'), tempDir('gen-c-')];
afterAll(() => dirs.forEach((d) => d.remove()));

describe('generateSacredFolder determinism', () => {
  it('writes byte-identical folders for the same seed and now', async () => {
    const [a, b] = dirs;
    const first = await generateSacredFolder(a!.path, { runs: 40, seed: 11, now });
    const second = await generateSacredFolder(b!.path, { runs: 40, seed: 11, now });
    expect(second.runIds).toEqual(first.runIds);
    const files = listFiles(a!.path);
    expect(listFiles(b!.path)).toEqual(files);
    expect(files.length).toBeGreaterThan(40 * 3);
    for (const file of files) {
      expect(
        readFileSync(join(b!.path, file)).equals(readFileSync(join(a!.path, file))),
        file,
      ).toBe(true);
    }
  });

  it('writes different runs for another seed', async () => {
    const [, , c] = dirs;
    // Its own folder for seed 11, whatever the other test wrote or whether it ran.
    const a = tempDir('gen-a2-');
    dirs.push(a);
    await generateSacredFolder(a.path, { runs: 40, seed: 11, now });
    await generateSacredFolder(c!.path, { runs: 40, seed: 12, now });
    expect(readFileSync(join(c!.path, '1', 'config.json'), 'utf8')).not.toBe(
      readFileSync(join(a.path, '1', 'config.json'), 'utf8'),
    );
  });
});
