import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import { PNG_SIGNATURE, crc32, encodePng } from '../../main/core/demo/png-encoder';
import { parsePythonJson, tempDir } from './generator-support';

interface Chunk {
  type: string;
  data: Buffer;
}

function readChunks(png: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(
      crc32(png.subarray(at + 4, at + 8 + length)),
    );
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

const dir = tempDir('gen-png-');
afterAll(() => dir.remove());

describe('PNG encoder', () => {
  it('round-trips pixels through IHDR and IDAT', () => {
    const pixels = Uint8Array.from([
      255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90,
    ]);
    const png = encodePng({ width: 3, height: 2, pixels });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const chunks = readChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([3, 2, 8, 2]);
    const raw = inflateSync(chunks[1]!.data);
    expect([...raw]).toEqual([0, ...pixels.subarray(0, 9), 0, ...pixels.subarray(9)]);
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(5) })).toThrow(/size/u);
  });

  it('gives generated runs a real plot image listed in run.json', async () => {
    const folder = await generateSacredFolder(dir.path, { runs: 20, seed: 9, variants: false });
    const withPlot = folder.runIds.find((id) => {
      const run = parsePythonJson(readFileSync(join(dir.path, id, 'run.json'), 'utf8')) as {
        artifacts?: string[];
      };
      return run.artifacts?.includes('loss_curve.png');
    });
    expect(withPlot).toBeDefined();
    const png = readFileSync(join(dir.path, withPlot!, 'loss_curve.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const chunks = readChunks(png);
    const width = chunks[0]!.data.readUInt32BE(0);
    const height = chunks[0]!.data.readUInt32BE(4);
    expect([width, height]).toEqual([320, 200]);
    const raw = inflateSync(
      Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)),
    );
    expect(raw.length).toBe((width * 3 + 1) * height);
    // A plot, not a blank canvas: some pixels are coloured (r, g, b differ).
    let coloured = 0;
    for (let i = 0; i + 2 < raw.length; i += 3)
      if (raw[i] !== raw[i + 1] || raw[i + 1] !== raw[i + 2]) coloured++;
    expect(coloured).toBeGreaterThan(100);
  });
});
