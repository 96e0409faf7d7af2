import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflateCapturedOutput } from '../../main/core/cache/captured-output-deflate';

/** The captured output a user opens is the text the run printed, whatever its size. */
describe('deflateCapturedOutput', () => {
  const roundTrip = (text: string): string =>
    inflateRawSync(deflateCapturedOutput(Buffer.from(text, 'utf8'))).toString('utf8');

  it('gives back the exact text of empty, tiny, window-sized and multi-MB outputs', () => {
    const progress = Array.from(
      { length: 40_000 },
      (_, i) => `epoch ${i % 50} step ${i} loss=${((i * 7919) % 1000) / 1000}\r`,
    ).join('');
    for (const text of ['', 'x', 'ünïcødé ✓\n', 'a'.repeat(511), 'b'.repeat(512), progress]) {
      expect(roundTrip(text)).toBe(text);
    }
  });

  it('keeps outputs several times smaller than their text', () => {
    const log = Array.from({ length: 2_000 }, (_, i) => `INFO - step ${i} - loss 0.${i % 97}\n`);
    const small = Buffer.from(log.slice(0, 60).join(''));
    const big = Buffer.from(log.join('').repeat(20));
    expect(deflateCapturedOutput(small).byteLength * 3).toBeLessThan(small.byteLength);
    expect(deflateCapturedOutput(big).byteLength * 4).toBeLessThan(big.byteLength);
  });
});
